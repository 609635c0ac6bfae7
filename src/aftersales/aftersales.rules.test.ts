import { describe, expect, it } from 'vitest';
import {
  expandWeeklyTemplate,
  type LineReturnState,
  refundForUnits,
  refundStateOf,
  returnWindowOpensAt,
  templateProblems,
  wholeOrderReturned,
  withinReturnWindow,
  zonedInstant,
} from './aftersales.rules.js';

function returnAll(
  line: Omit<LineReturnState, 'returnedQuantity' | 'refundedMoney' | 'refundedPoints'>,
  parts: number[],
) {
  const state: LineReturnState = { ...line, returnedQuantity: 0, refundedMoney: 0, refundedPoints: 0 };
  return parts.map((units) => {
    const r = refundForUnits(state, units);
    state.returnedQuantity += units;
    state.refundedMoney += r.money;
    state.refundedPoints += r.points;
    return r;
  });
}

describe('refundForUnits', () => {
  it('gives each unit its share, and the last return exactly what is left', () => {
    const parts = returnAll({ quantity: 3, moneyTotal: 10_000, pointsTotal: 101 }, [1, 1, 1]);
    expect(parts).toEqual([
      { money: 3333, points: 33 },
      { money: 3333, points: 33 },
      { money: 3334, points: 35 },
    ]);
  });

  it.each([
    [7, 99_999, 1234, [1, 2, 1, 3]],
    [5, 1, 0, [1, 1, 1, 1, 1]],
    [10, 123_457, 7, [3, 3, 3, 1]],
    [4, 0, 5000, [2, 2]],
  ])(
    'quantity %i, %i fen, %i in points: the returns sum to what was paid, never more',
    (quantity, moneyTotal, pointsTotal, split) => {
      const parts = returnAll({ quantity, moneyTotal, pointsTotal }, split);
      expect(parts.reduce((s, p) => s + p.money, 0)).toBe(moneyTotal);
      expect(parts.reduce((s, p) => s + p.points, 0)).toBe(pointsTotal);
      for (const p of parts) expect(p.money).toBeGreaterThanOrEqual(0);
    },
  );

  it('refuses more units than are left', () => {
    expect(() =>
      refundForUnits(
        {
          quantity: 2,
          moneyTotal: 100,
          pointsTotal: 0,
          returnedQuantity: 2,
          refundedMoney: 100,
          refundedPoints: 0,
        },
        1,
      ),
    ).toThrow(RangeError);
  });
});

describe('the return window', () => {
  it('opens at completion, else at the latest delivery of the item', () => {
    expect(
      returnWindowOpensAt({
        completedAt: '2026-11-01T00:00:00.000Z',
        deliveredAt: ['2026-10-30T00:00:00.000Z'],
      }),
    ).toBe('2026-11-01T00:00:00.000Z');
    expect(
      returnWindowOpensAt({
        completedAt: null,
        deliveredAt: ['2026-10-30T00:00:00.000Z', '2026-10-31T00:00:00.000Z'],
      }),
    ).toBe('2026-10-31T00:00:00.000Z');
    expect(returnWindowOpensAt({ completedAt: null, deliveredAt: [] })).toBeNull();
  });

  it('lasts seven days', () => {
    const opens = '2026-11-01T00:00:00.000Z';
    expect(withinReturnWindow(opens, new Date('2026-11-08T00:00:00.000Z'))).toBe(true);
    expect(withinReturnWindow(opens, new Date('2026-11-08T00:00:00.001Z'))).toBe(false);
  });
});

describe('refund state', () => {
  it('is succeeded only when every part is, failed while any part is refused', () => {
    expect(refundStateOf([{ status: 'pending', attempts: 0, lastError: null }]).status).toBe('pending');
    expect(
      refundStateOf([
        { status: 'succeeded', attempts: 1, lastError: null },
        { status: 'failed', attempts: 2, lastError: 'bank busy' },
      ]),
    ).toEqual({ status: 'failed', attempts: 2, lastError: 'bank busy' });
    expect(refundStateOf([{ status: 'succeeded', attempts: 3, lastError: 'x' }])).toEqual({
      status: 'succeeded',
      attempts: 3,
      lastError: null,
    });
  });

  it('knows when the whole order is back', () => {
    expect(
      wholeOrderReturned([
        { quantity: 2, receivedQuantity: 2 },
        { quantity: 1, receivedQuantity: 1 },
      ]),
    ).toBe(true);
    expect(wholeOrderReturned([{ quantity: 2, receivedQuantity: 1 }])).toBe(false);
  });
});

describe('service slots', () => {
  it('places local wall-clock times in the brand’s time zone', () => {
    expect(zonedInstant('2026-11-23', 10 * 60, 'Asia/Shanghai').toISOString()).toBe(
      '2026-11-23T02:00:00.000Z',
    );
    // Across a daylight-saving change elsewhere.
    expect(zonedInstant('2026-03-29', 12 * 60, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T10:00:00.000Z',
    );
  });

  it('lays a weekly template over days: Monday 2026-11-23, two one-hour slots, two services', () => {
    const slots = expandWeeklyTemplate(
      [
        {
          weekday: 1,
          opens: '10:00',
          closes: '12:30',
          slotMinutes: 60,
          services: [
            { service: 'skin_test', capacity: 2 },
            { service: 'makeup', capacity: 1 },
          ],
        },
      ],
      '2026-11-22',
      9,
      'Asia/Shanghai',
    );
    expect(slots.map((s) => [s.localDay, s.service, s.startsAt, s.capacity])).toEqual([
      ['2026-11-23', 'skin_test', '2026-11-23T02:00:00.000Z', 2],
      ['2026-11-23', 'makeup', '2026-11-23T02:00:00.000Z', 1],
      ['2026-11-23', 'skin_test', '2026-11-23T03:00:00.000Z', 2],
      ['2026-11-23', 'makeup', '2026-11-23T03:00:00.000Z', 1],
      ['2026-11-30', 'skin_test', '2026-11-30T02:00:00.000Z', 2],
      ['2026-11-30', 'makeup', '2026-11-30T02:00:00.000Z', 1],
      ['2026-11-30', 'skin_test', '2026-11-30T03:00:00.000Z', 2],
      ['2026-11-30', 'makeup', '2026-11-30T03:00:00.000Z', 1],
    ]);
    expect(
      templateProblems([{ weekday: 1, opens: '10:00', closes: '10:30', slotMinutes: 60, services: [] }]),
    ).toHaveLength(1);
  });
});
