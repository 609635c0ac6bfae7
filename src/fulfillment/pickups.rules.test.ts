import { describe, expect, it } from 'vitest';
import { generatePickupCode, isPickupCode, pickupDeadline } from './pickups.rules.js';

describe('pickup codes', () => {
  it('are six digits, zero-padded, from the injected generator', () => {
    expect(generatePickupCode(() => 42)).toBe('000042');
    expect(generatePickupCode(() => 999_999)).toBe('999999');
    expect(() => generatePickupCode(() => 1_000_000)).toThrow(RangeError);
    expect(() => generatePickupCode(() => -1)).toThrow(RangeError);
  });

  it('come from the CSPRNG by default and look like codes', () => {
    const codes = new Set(Array.from({ length: 200 }, () => generatePickupCode()));
    for (const code of codes) expect(isPickupCode(code)).toBe(true);
    expect(codes.size).toBeGreaterThan(190);
    expect(isPickupCode('12345')).toBe(false);
    expect(isPickupCode('12345a')).toBe(false);
  });

  it('expire three days after ready by default, or after the configured days', () => {
    expect(pickupDeadline('2026-11-22T10:00:00.000Z')).toBe('2026-11-25T10:00:00.000Z');
    expect(pickupDeadline(new Date('2026-11-22T10:00:00.000Z'), 7)).toBe('2026-11-29T10:00:00.000Z');
    expect(() => pickupDeadline('not a time')).toThrow(RangeError);
    expect(() => pickupDeadline('2026-11-22T10:00:00.000Z', 0)).toThrow(RangeError);
  });
});
