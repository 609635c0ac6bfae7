import { describe, expect, it } from 'vitest';
import { isDomainError } from '../platform/errors.js';
import {
  type CancelGroup,
  type CancelOrderLine,
  groupRefundAmount,
  lineMoneyShare,
  planLineCancellation,
} from './cancel.rules.js';
import { OrderErrors } from './orders.errors.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('what cancelled units refund', () => {
  it.each<[string, Parameters<typeof lineMoneyShare>[0], number, number]>([
    ['one unit of three', { quantity: 3, paidAmount: 1000, pointsAmount: 0, cancelledQuantity: 0 }, 1, 333],
    ['the second', { quantity: 3, paidAmount: 1000, pointsAmount: 0, cancelledQuantity: 1 }, 1, 333],
    [
      'the last takes the remainder',
      { quantity: 3, paidAmount: 1000, pointsAmount: 0, cancelledQuantity: 2 },
      1,
      334,
    ],
    ['all at once', { quantity: 3, paidAmount: 1000, pointsAmount: 0, cancelledQuantity: 0 }, 3, 1000],
    [
      'money only: points come back as points',
      { quantity: 2, paidAmount: 1000, pointsAmount: 400, cancelledQuantity: 0 },
      1,
      300,
    ],
  ])('%s', (_, line, quantity, refund) => {
    expect(lineMoneyShare(line, quantity)).toBe(refund);
  });

  it.each<[string, Parameters<typeof groupRefundAmount>[0], number]>([
    ['a group with every unit of a line', [{ sku: 'A', quantity: 3 }], 1000],
    ['a group with some units', [{ sku: 'A', quantity: 1 }], 333],
    [
      'a group with several lines',
      [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      666 + 300,
    ],
    ['a SKU the order does not have', [{ sku: 'Z', quantity: 1 }], 0],
  ])('a cancelled group: %s', (_, groupLines, amount) => {
    expect(
      groupRefundAmount(groupLines, [
        { sku: 'A', quantity: 3, paidAmount: 1000, pointsAmount: 0 },
        { sku: 'B', quantity: 2, paidAmount: 1000, pointsAmount: 400 },
      ]),
    ).toBe(amount);
  });
});

describe('which groups give up cancelled units', () => {
  const LINES: CancelOrderLine[] = [
    { lineNo: 1, sku: 'A', quantity: 3, paidAmount: 3000, pointsAmount: 300, cancelledQuantity: 0 },
    { lineNo: 2, sku: 'B', quantity: 2, paidAmount: 2000, pointsAmount: 0, cancelledQuantity: 1 },
  ];
  const GROUPS: CancelGroup[] = [
    { id: 'shipped', cancellable: false, lines: [{ sku: 'A', quantity: 1 }] },
    { id: 'g1', cancellable: true, lines: [{ sku: 'A', quantity: 1 }] },
    {
      id: 'g2',
      cancellable: true,
      lines: [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
      ],
    },
  ];

  it.each<[string, { sku: string; quantity: number }[], Record<string, Record<string, number>>, number]>([
    ['the first open group holding the units', [{ sku: 'A', quantity: 1 }], { g1: { A: 1 } }, 900],
    ['then the next', [{ sku: 'A', quantity: 2 }], { g1: { A: 1 }, g2: { A: 1 } }, 1800],
    [
      'a SKU asked twice takes on from where the first left',
      [
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ],
      { g1: { A: 1 }, g2: { A: 1 } },
      1800,
    ],
    [
      'several lines',
      [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ],
      { g2: { B: 1 }, g1: { A: 1 } },
      1000 + 900,
    ],
  ])('%s', (_, requested, take, refund) => {
    const plan = planLineCancellation('ord_1', LINES, GROUPS, requested);
    expect(Object.fromEntries([...plan.take].map(([g, skus]) => [g, Object.fromEntries(skus)]))).toEqual(
      take,
    );
    expect(plan.refundAmount).toBe(refund);
    expect(plan.cancelled).toEqual(
      requested.map((r) => ({ lineNo: r.sku === 'A' ? 1 : 2, quantity: r.quantity })),
    );
  });

  it('gives back the points part of the units', () => {
    expect(planLineCancellation('ord_1', LINES, GROUPS, [{ sku: 'A', quantity: 2 }]).pointsBack).toEqual([
      { lineNo: 1, quantity: 2, pointsAmount: 200 },
    ]);
    expect(planLineCancellation('ord_1', LINES, GROUPS, [{ sku: 'B', quantity: 1 }]).pointsBack).toEqual([]);
  });

  it.each<
    [string, { sku: string; quantity: number }[], (typeof OrderErrors)[keyof typeof OrderErrors], string]
  >([
    [
      'a SKU not on the order',
      [{ sku: 'Z', quantity: 1 }],
      OrderErrors.lineNotFound,
      'Order ord_1 has no line for Z',
    ],
    [
      'more units than the line still has',
      [{ sku: 'B', quantity: 2 }],
      OrderErrors.cancelQuantityExceeded,
      'Only 1 of B can still be cancelled',
    ],
    [
      'units that have left a location',
      [{ sku: 'A', quantity: 3 }],
      OrderErrors.notCancellable,
      '1 of A have left a location, been handed over or wait for a transfer: return them, or cancel the whole order',
    ],
  ])('refuses %s', (_, requested, factory, message) => {
    const error = thrown(() => planLineCancellation('ord_1', LINES, GROUPS, requested));
    expect(isDomainError(error, factory)).toBe(true);
    expect((error as Error).message).toBe(message);
  });

  it('names the field of a line the order does not have', () => {
    const error = thrown(() => planLineCancellation('ord_1', LINES, GROUPS, [{ sku: 'Z', quantity: 1 }]));
    expect((error as { errors: unknown }).errors).toEqual([{ path: 'lines', message: 'no line Z' }]);
  });
});
