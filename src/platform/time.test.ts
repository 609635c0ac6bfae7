import { describe, expect, it } from 'vitest';
import { earlierOf, localDay } from './time.js';

describe('time', () => {
  it("gives the brand's calendar day, across its midnight and for other zones asked in the same minute", () => {
    expect(localDay('2026-11-22T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026-11-22');
    expect(localDay('2026-11-22T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDay('2026-11-22T16:00:30.000Z', 'America/New_York')).toBe('2026-11-22');
    expect(localDay(new Date('2026-11-22T16:00:59.000Z'), 'Asia/Shanghai')).toBe('2026-11-23');
    expect(() => localDay('not a time', 'Asia/Shanghai')).toThrow(RangeError);
  });

  it('orders ISO times as text', () => {
    expect(earlierOf('2026-11-22T16:00:00.000Z', '2026-11-22T15:59:59.999Z')).toBe(
      '2026-11-22T15:59:59.999Z',
    );
  });
});
