import { describe, expect, it } from 'vitest';
import { addDays, earlierOf, isoAfter, localDay, localInstant, nowIso } from './time.js';

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

  it('formats instants the same when asked again, or asked for another instant in between', () => {
    const at = Date.parse('2026-11-22T08:00:00.000Z');
    expect(isoAfter(0, at)).toBe('2026-11-22T08:00:00.000Z');
    expect(isoAfter(1_800_000, at)).toBe('2026-11-22T08:30:00.000Z');
    expect(isoAfter(0, at)).toBe('2026-11-22T08:00:00.000Z');
    expect(isoAfter(1, at)).toBe('2026-11-22T08:00:00.001Z');
    expect(isoAfter(1_800_000, at)).toBe('2026-11-22T08:30:00.000Z');
    // More instants than are kept, asked in turn: each is still right.
    for (let round = 0; round < 3; round++)
      for (let i = 0; i < 6; i++) expect(isoAfter(i * 1000, at)).toBe(new Date(at + i * 1000).toISOString());
    expect(() => isoAfter(Number.NaN, at)).toThrow(RangeError);
    expect(() => isoAfter(9e15, 0)).toThrow(RangeError);
    expect(() => isoAfter(9e15, 0)).toThrow(RangeError);
    expect(Date.parse(nowIso())).toBeGreaterThanOrEqual(at);
  });
});

describe('localInstant', () => {
  it('reads a wall-clock time in a zone, across daylight saving, and refuses what is not one', () => {
    expect(localInstant('2011-12-09 12:50:00', 'Europe/London')?.toISOString()).toBe(
      '2011-12-09T12:50:00.000Z',
    );
    expect(localInstant('2011-06-09 12:50', 'Europe/London')?.toISOString()).toBe('2011-06-09T11:50:00.000Z');
    expect(localInstant('2026-12-03 08:00:00', 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-12-03T00:00:00.000Z',
    );
    expect(localInstant('2011-02-30 10:00:00', 'UTC')).toBeUndefined();
    expect(localInstant('12/1/2010 8:26', 'UTC')).toBeUndefined();
  });

  it('adds calendar days across months, years and a leap day', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-12-04', 14)).toBe('2026-12-18');
  });
});
