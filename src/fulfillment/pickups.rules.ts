import { randomInt } from 'node:crypto';

/*
 * Pickup codes (核销码) and the deadline of an uncollected pickup. Pure: no I/O.
 */

/** A random integer in [0, max): node's CSPRNG by default, injectable for tests. */
export type RandomInt = (max: number) => number;

const PICKUP_CODE_SPACE = 1_000_000;

/**
 * A 6-digit pickup code (核销码). It is a secret shown only to the customer, so it comes from a cryptographic
 * generator: a guessable sequence would let anyone who knows one code collect others' orders.
 */
export function generatePickupCode(random: RandomInt = randomInt): string {
  const n = random(PICKUP_CODE_SPACE);
  if (!Number.isSafeInteger(n) || n < 0 || n >= PICKUP_CODE_SPACE) {
    throw new RangeError(`pickup code generator returned ${n}, outside [0, ${PICKUP_CODE_SPACE})`);
  }
  return String(n).padStart(6, '0');
}

/** Whether a string has the shape of a pickup code (checked before any lookup). */
export function isPickupCode(code: string): boolean {
  return /^[0-9]{6}$/.test(code);
}

export const DEFAULT_PICKUP_HOLD_DAYS = 3;

/** When an uncollected pickup is cancelled: `days` × 24 h after it became ready (ISO 8601 UTC). */
export function pickupDeadline(readyAt: Date | string, days: number = DEFAULT_PICKUP_HOLD_DAYS): string {
  const ready = typeof readyAt === 'string' ? new Date(readyAt) : readyAt;
  if (Number.isNaN(ready.getTime())) throw new RangeError(`pickupDeadline: ${String(readyAt)} is not a time`);
  if (!(days > 0)) throw new RangeError('pickupDeadline: days must be positive');
  return new Date(ready.getTime() + days * 86_400_000).toISOString();
}
