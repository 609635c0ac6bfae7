import { describe, expect, it } from 'vitest';
import { deriveKey } from '../platform/crypto.js';
import { MEMBER_CODE_PATTERN, memberCodeOf, readMemberCode } from './member-code.rules.js';

const key = deriveKey('a-test-secret-of-enough-length-0123456789', 'member-code');
const at = Date.parse('2026-12-03T10:00:30.000Z');

describe('member codes', () => {
  it('are 18 digits a scanner types, good for the minute they are made in and the next', () => {
    const made = memberCodeOf(key, 42, at);
    expect(made.code).toMatch(MEMBER_CODE_PATTERN);
    expect(made.refreshAt).toBe('2026-12-03T10:01:00.000Z');
    expect(made.expiresAt).toBe('2026-12-03T10:02:00.000Z');
    expect(readMemberCode(key, made.code, at)).toEqual({ ok: true, number: 42 });
    expect(readMemberCode(key, made.code, Date.parse('2026-12-03T10:01:59.999Z'))).toEqual({
      ok: true,
      number: 42,
    });
    expect(readMemberCode(key, made.code, Date.parse('2026-12-03T10:02:00.000Z'))).toEqual({
      ok: false,
      reason: 'expired',
      number: 42,
    });
    expect(readMemberCode(key, made.code, Date.parse('2026-12-03T11:30:00.000Z'))).toMatchObject({
      reason: 'expired',
    });
  });

  it('change every minute and cannot be made without the key', () => {
    const a = memberCodeOf(key, 42, at).code;
    const b = memberCodeOf(key, 42, at + 60_000).code;
    expect(a).not.toBe(b);
    const other = deriveKey('another-secret-of-enough-length-0123456789', 'member-code');
    expect(readMemberCode(other, a, at)).toEqual({ ok: false, reason: 'invalid' });
    // Another member's number with this signature, a digit changed, junk: not a code.
    const forged = `8${'43'.padStart(9, '0')}${a.slice(10)}`;
    expect(readMemberCode(key, forged, at)).toEqual({ ok: false, reason: 'invalid' });
    const flipped = a.slice(0, 17) + String((Number(a[17]) + 1) % 10);
    expect(readMemberCode(key, flipped, at)).toEqual({ ok: false, reason: 'invalid' });
    expect(readMemberCode(key, '6901234567890', at)).toEqual({ ok: false, reason: 'invalid' });
    expect(readMemberCode(key, '800000000000000000', at)).toEqual({ ok: false, reason: 'invalid' });
  });
});
