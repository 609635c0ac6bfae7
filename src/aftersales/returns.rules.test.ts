import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/index.js';
import { RETURN_WINDOW_MS } from './aftersales.rules.js';
import {
  assertReturnLocation,
  gradeReceivedLines,
  type LineReturnTotals,
  lineCost,
  planReturn,
  type ReturnPlanInput,
  requestedUnits,
  sameReturnRequest,
} from './returns.rules.js';

const DELIVERED = '2026-11-01T00:00:00.000Z';
const NOW = new Date('2026-11-03T00:00:00.000Z');

function totals(
  lineNo: number,
  quantity: number,
  moneyTotal: number,
  pointsTotal = 0,
  returned: Partial<Pick<LineReturnTotals, 'returnedQuantity' | 'refundedMoney' | 'refundedPoints'>> = {},
): LineReturnTotals {
  return {
    lineNo,
    quantity,
    moneyTotal,
    pointsTotal,
    returnedQuantity: 0,
    refundedMoney: 0,
    refundedPoints: 0,
    ...returned,
  };
}

/** Order O-1: line 1 is 3 × A (9,999 fen and 300 in points), line 2 is 2 × B (24,000 fen); all delivered. */
function input(overrides: Partial<ReturnPlanInput> & { ask?: [string, number][] } = {}): ReturnPlanInput {
  const { ask, ...rest } = overrides;
  return {
    order: {
      id: 'O-1',
      status: 'completed',
      completedAt: null,
      lines: [
        { lineNo: 1, sku: 'A' },
        { lineNo: 2, sku: 'B' },
      ],
      fulfillments: [
        {
          status: 'delivered',
          updatedAt: DELIVERED,
          lines: [
            { sku: 'A', quantity: 3 },
            { sku: 'B', quantity: 2 },
          ],
        },
      ],
    },
    requested: new Map(ask ?? [['A', 1]]),
    totals: [totals(1, 3, 9_999, 300), totals(2, 2, 24_000)],
    now: NOW,
    windowMs: RETURN_WINDOW_MS,
    ...rest,
  };
}

function refusal(plan: () => unknown): { code: string; extra: Record<string, unknown> | undefined } {
  try {
    plan();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, extra: error.extra };
    throw error;
  }
  throw new Error('planReturn did not refuse');
}

describe('planReturn', () => {
  it.each<[string, ReturnPlanInput, { lineNo: number; quantity: number; money: number; points: number }[]]>([
    ['one unit: its share, rounded down', input(), [{ lineNo: 1, quantity: 1, money: 3333, points: 100 }]],
    [
      'lines in line order, whatever the order asked',
      input({
        ask: [
          ['B', 1],
          ['A', 3],
        ],
      }),
      [
        { lineNo: 1, quantity: 3, money: 9_999, points: 300 },
        { lineNo: 2, quantity: 1, money: 12_000, points: 0 },
      ],
    ],
    [
      'the last units take exactly what is left of the line',
      input({
        ask: [['A', 1]],
        totals: [
          totals(1, 3, 9_999, 300, { returnedQuantity: 2, refundedMoney: 6666, refundedPoints: 200 }),
          totals(2, 2, 24_000),
        ],
      }),
      [{ lineNo: 1, quantity: 1, money: 3333, points: 100 }],
    ],
    [
      'the last units after uneven earlier returns',
      input({
        ask: [['A', 1]],
        totals: [
          totals(1, 3, 10_000, 101, { returnedQuantity: 2, refundedMoney: 6666, refundedPoints: 66 }),
          totals(2, 2, 24_000),
        ],
      }),
      [{ lineNo: 1, quantity: 1, money: 3334, points: 35 }],
    ],
    [
      'a collected pickup is handed over too',
      input({
        ask: [['B', 2]],
        order: {
          ...input().order,
          fulfillments: [{ status: 'picked_up', updatedAt: DELIVERED, lines: [{ sku: 'B', quantity: 2 }] }],
        },
      }),
      [{ lineNo: 2, quantity: 2, money: 24_000, points: 0 }],
    ],
  ])('%s', (_, plan, expected) => {
    const result = planReturn(plan);
    expect(result.lines).toMatchObject(expected);
    expect(result.moneyValue).toBe(expected.reduce((s, l) => s + l.money, 0));
    expect(result.pointsValue).toBe(expected.reduce((s, l) => s + l.points, 0));
  });

  it('keeps, per line, the units that reached the customer', () => {
    expect(planReturn(input({ ask: [['B', 1]] })).lines).toEqual([
      { lineNo: 2, sku: 'B', quantity: 1, delivered: 2, money: 12_000, points: 0 },
    ]);
  });

  const shipped = {
    ...input().order,
    fulfillments: [
      { status: 'delivered', updatedAt: DELIVERED, lines: [{ sku: 'A', quantity: 1 }] },
      { status: 'shipped', updatedAt: DELIVERED, lines: [{ sku: 'A', quantity: 2 }] },
    ],
  };
  it.each<[string, ReturnPlanInput, string, Record<string, unknown> | undefined]>([
    [
      'an order that is not paid',
      input({ order: { ...input().order, status: 'pending_payment' } }),
      'RETURN.ORDER_NOT_RETURNABLE',
      undefined,
    ],
    ['a SKU the order does not have', input({ ask: [['C', 1]] }), 'RETURN.NOT_PURCHASED', { sku: 'C' }],
    [
      'a SKU still on its way',
      input({ order: { ...input().order, fulfillments: [] } }),
      'RETURN.NOT_DELIVERED',
      { sku: 'A' },
    ],
    [
      'more units than reached the customer',
      input({ ask: [['A', 2]], order: shipped }),
      'RETURN.NOT_DELIVERED',
      { sku: 'A', delivered: 1 },
    ],
    [
      'after the window closed',
      input({ now: new Date('2026-11-08T00:00:00.001Z') }),
      'RETURN.WINDOW_CLOSED',
      { sku: 'A', closesAt: '2026-11-08T00:00:00.000Z' },
    ],
    [
      'after the window of a completed order, open since its completion',
      input({
        order: { ...input().order, completedAt: '2026-10-20T00:00:00.000Z' },
      }),
      'RETURN.WINDOW_CLOSED',
      { sku: 'A', closesAt: '2026-10-27T00:00:00.000Z' },
    ],
    [
      'more units than were bought',
      input({ ask: [['A', 4]] }),
      'RETURN.QUANTITY_EXCEEDED',
      {
        sku: 'A',
        bought: 3,
        returned: 0,
      },
    ],
    [
      'units already returned or being returned',
      input({
        ask: [['B', 1]],
        totals: [
          totals(1, 3, 9_999, 300),
          totals(2, 2, 24_000, 0, { returnedQuantity: 2, refundedMoney: 24_000 }),
        ],
      }),
      'RETURN.QUANTITY_EXCEEDED',
      { sku: 'B', bought: 2, returned: 2 },
    ],
    [
      'the first refusal in the order asked (SKU checks before quantities)',
      input({
        ask: [
          ['A', 9],
          ['C', 1],
        ],
      }),
      'RETURN.NOT_PURCHASED',
      { sku: 'C' },
    ],
  ])('refuses %s', (_, plan, code, extra) => {
    expect(refusal(() => planReturn(plan))).toEqual({ code, extra });
  });
});

describe('asking for a return', () => {
  it('adds up a SKU asked for on two lines', () => {
    expect([
      ...requestedUnits([
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 2 },
      ]),
    ]).toEqual([
      ['B', 3],
      ['A', 2],
    ]);
  });

  it.each<{ what: string; location: string; asked: [string, number][]; retry: boolean }>([
    { what: 'the same lines at the same place', location: 'S1', asked: [['A', 1]], retry: true },
    { what: 'another place', location: 'S2', asked: [['A', 1]], retry: false },
    { what: 'other units', location: 'S1', asked: [['A', 2]], retry: false },
    {
      what: 'another SKU as well',
      location: 'S1',
      asked: [
        ['A', 1],
        ['B', 1],
      ],
      retry: false,
    },
  ])('a clientRequestId reused with $what is a retry: $retry', ({ location, asked, retry }) => {
    expect(
      sameReturnRequest({ location: 'S1', lines: [{ sku: 'A', quantity: 1 }] }, location, new Map(asked)),
    ).toBe(retry);
  });

  it.each<{ where: string; kind: string; active: boolean; atCounter: boolean; code: string | null }>([
    { where: 'an open store, at the counter', kind: 'store', active: true, atCounter: true, code: null },
    { where: 'an open warehouse, sent there', kind: 'warehouse', active: true, atCounter: false, code: null },
    {
      where: 'a warehouse, at the counter',
      kind: 'warehouse',
      active: true,
      atCounter: true,
      code: 'RETURN.LOCATION_INVALID',
    },
    {
      where: 'a closed store',
      kind: 'store',
      active: false,
      atCounter: false,
      code: 'RETURN.LOCATION_INVALID',
    },
  ])('a return taken at $where: $code', ({ kind, active, atCounter, code }) => {
    const check = () => assertReturnLocation('L-1', { kind, active }, atCounter);
    if (code === null) expect(check).not.toThrow();
    else expect(refusal(check).code).toBe(code);
  });

  it('gives back in money what a line paid less its points part', () => {
    expect(lineCost({ paidAmount: 12_000, pointsAmount: 2_000 })).toEqual({
      moneyTotal: 10_000,
      pointsTotal: 2_000,
    });
  });
});

describe('gradeReceivedLines', () => {
  const lines = [
    { lineNo: 1, sku: 'A', quantity: 1 },
    { lineNo: 2, sku: 'B', quantity: 2 },
  ];
  it.each([
    ['as stated when asked', {}, ['resellable', 'resellable']],
    ['as given for the whole return', { condition: 'damaged' }, ['damaged', 'damaged']],
    [
      'per SKU over the whole return',
      { condition: 'damaged', lines: [{ sku: 'A', condition: 'resellable' }] },
      ['resellable', 'damaged'],
    ],
  ] as [string, Parameters<typeof gradeReceivedLines>[2], string[]][])(
    'grades each line %s',
    (_, grading, conditions) => {
      expect(gradeReceivedLines('ret_1', lines, grading, 'resellable').map((l) => l.condition)).toEqual(
        conditions,
      );
    },
  );

  it('refuses a grade for a SKU the return does not hold', () => {
    expect(
      refusal(() =>
        gradeReceivedLines('ret_1', lines, { lines: [{ sku: 'C', condition: 'damaged' }] }, 'resellable'),
      ),
    ).toEqual({ code: 'RETURN.NOT_PURCHASED', extra: { sku: 'C' } });
  });
});
