// The member code (会员码) a customer shows at the till: 18 digits that a barcode scanner types like any other
// code, signed so that only the platform can make one, and good for the minute it was made in and the next. No I/O.

import { createHmac, timingSafeEqual } from 'node:crypto';

/** Every member code starts with this digit (a till tells it from a SKU barcode or a coupon code by it). */
export const MEMBER_CODE_PREFIX = '8';
const WINDOW_MS = 60_000;
/** The windows a code spans: the one it was made in and the next (a code shown at 10:00:59 still scans). */
const VALID_WINDOWS = 2;
const NUMBER_DIGITS = 9;
/** The largest member number a code carries. */
export const MAX_MEMBER_NUMBER = 10 ** NUMBER_DIGITS - 1;

export const MEMBER_CODE_PATTERN = /^8\d{17}$/;

/** The member's code for the window `now` falls in, when it stops scanning and when to show the next. */
export function memberCodeOf(
  key: Buffer,
  number: number,
  now: number,
): { code: string; expiresAt: string; refreshAt: string } {
  if (!Number.isInteger(number) || number < 1 || number > MAX_MEMBER_NUMBER) {
    throw new RangeError(`a member code number is 1 to ${MAX_MEMBER_NUMBER}`);
  }
  const window = Math.floor(now / WINDOW_MS);
  const digits = String(number).padStart(NUMBER_DIGITS, '0');
  const shown = String(window % 100).padStart(2, '0');
  return {
    code: `${MEMBER_CODE_PREFIX}${digits}${shown}${mac(key, number, window)}`,
    expiresAt: new Date((window + VALID_WINDOWS) * WINDOW_MS).toISOString(),
    refreshAt: new Date((window + 1) * WINDOW_MS).toISOString(),
  };
}

export type MemberCodeReading =
  | { ok: true; number: number }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'expired'; number: number };

/**
 * Reads a scanned code: the member's number when it is genuine and current; `expired` when it is genuine but from
 * an earlier minute (a screenshot, a photo of her phone); `invalid` otherwise.
 */
export function readMemberCode(key: Buffer, code: string, now: number): MemberCodeReading {
  if (!MEMBER_CODE_PATTERN.test(code)) return { ok: false, reason: 'invalid' };
  const number = Number(code.slice(1, 1 + NUMBER_DIGITS));
  const shown = Number(code.slice(1 + NUMBER_DIGITS, 3 + NUMBER_DIGITS));
  const signature = code.slice(3 + NUMBER_DIGITS);
  if (number < 1) return { ok: false, reason: 'invalid' };
  const current = Math.floor(now / WINDOW_MS);
  // The one window of the last hundred whose last two digits the code shows.
  const age = (((current - shown) % 100) + 100) % 100;
  const window = current - age;
  if (!sameDigits(mac(key, number, window), signature)) return { ok: false, reason: 'invalid' };
  return age < VALID_WINDOWS ? { ok: true, number } : { ok: false, reason: 'expired', number };
}

/** Six digits of an HMAC of the number and the window (truncated as HOTP does). */
function mac(key: Buffer, number: number, window: number): string {
  const digest = createHmac('sha256', key).update(`${number}:${window}`).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const value = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

function sameDigits(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
