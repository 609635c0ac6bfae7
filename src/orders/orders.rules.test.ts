import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FulfillmentStatus } from '../fulfillment/index.js';
import { isDomainError } from '../platform/errors.js';
import { OrderErrors } from './orders.errors.js';
import {
  apportion,
  apportionDiscount,
  canCancelOrder,
  canTransitionOrder,
  ORDER_STATUSES,
  type OrderStatus,
  orderMovesFromFulfillments,
  orderStatusFromFulfillments,
  priceOrder,
  transitionOrder,
} from './orders.rules.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('order lifecycle', () => {
  const allowed: [OrderStatus, OrderStatus][] = [
    ['pending_payment', 'paid'],
    ['pending_payment', 'cancelled'],
    ['paid', 'fulfilling'],
    ['paid', 'cancelled'],
    ['fulfilling', 'completed'],
    ['fulfilling', 'cancelled'],
  ];

  it('allows exactly the moves of the table', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const ok = allowed.some(([a, b]) => a === from && b === to);
        expect(canTransitionOrder(from, to), `${from} → ${to}`).toBe(ok);
        if (ok) expect(transitionOrder(from, to, [])).toBe(to);
        else {
          const error = thrown(() => transitionOrder(from, to, []));
          expect(isDomainError(error, OrderErrors.invalidTransition), `${from} → ${to}`).toBe(true);
        }
      }
    }
  });

  it.each<[FulfillmentStatus[], boolean]>([
    [[], true],
    [['pending', 'accepted'], true],
    [['awaiting_transfer', 'ready_for_pickup'], true],
    [['cancelled', 'accepted'], true],
    [['accepted', 'shipped'], false],
    [['delivered'], false],
    [['picked_up', 'pending'], false],
  ])('a fulfilling order with groups %j may be cancelled: %s', (groups, ok) => {
    expect(canCancelOrder('fulfilling', groups)).toBe(ok);
    if (ok) expect(transitionOrder('fulfilling', 'cancelled', groups)).toBe('cancelled');
    else {
      const error = thrown(() => transitionOrder('fulfilling', 'cancelled', groups));
      expect(isDomainError(error, OrderErrors.notCancellable)).toBe(true);
      expect((error as { kind: string }).kind).toBe('conflict');
    }
  });

  it('cancel rules for the other statuses', () => {
    expect(canCancelOrder('pending_payment', ['shipped'])).toBe(true);
    expect(canCancelOrder('paid', [])).toBe(true);
    expect(canCancelOrder('completed', [])).toBe(false);
    expect(canCancelOrder('cancelled', [])).toBe(false);
  });

  it('refuses to cancel a fulfilling order without knowing its groups', () => {
    expect(() => transitionOrder('fulfilling', 'cancelled')).toThrow(/fulfillment statuses/);
  });

  it.each<[FulfillmentStatus[], ReturnType<typeof orderStatusFromFulfillments>]>([
    [[], null],
    [['pending', 'pending'], null],
    [['pending', 'accepted'], 'fulfilling'],
    [['shipped', 'ready_for_pickup'], 'fulfilling'],
    [['delivered', 'shipped'], 'fulfilling'],
    [['delivered', 'picked_up'], 'completed'],
    [['delivered', 'cancelled'], 'completed'],
    [['cancelled', 'cancelled'], 'cancelled'],
    [['cancelled', 'pending'], null],
  ])('groups %j imply %s', (groups, expected) => {
    expect(orderStatusFromFulfillments(groups)).toBe(expected);
  });

  it.each<[OrderStatus, FulfillmentStatus[], OrderStatus[]]>([
    ['paid', ['accepted'], ['fulfilling']],
    ['paid', ['picked_up'], ['fulfilling', 'completed']],
    ['fulfilling', ['delivered', 'shipped'], []],
    ['fulfilling', ['delivered', 'picked_up'], ['completed']],
    ['fulfilling', ['cancelled'], ['cancelled']],
    ['paid', ['cancelled', 'cancelled'], ['cancelled']],
    ['pending_payment', ['picked_up'], []],
    ['completed', ['delivered'], []],
    ['cancelled', ['cancelled'], []],
  ])('%s with groups %j moves through %j', (current, groups, moves) => {
    expect(orderMovesFromFulfillments(current, groups)).toEqual(moves);
  });
});

describe('pricing', () => {
  it.each([
    {
      name: 'proportional to line amounts',
      lines: [
        { key: 'a', amount: 10000 },
        { key: 'b', amount: 5000 },
        { key: 'c', amount: 5000 },
      ],
      discount: 2000,
      expected: { a: 1000, b: 500, c: 500 },
    },
    {
      name: 'largest remainder gets the odd fen',
      lines: [
        { key: 'a', amount: 100 },
        { key: 'b', amount: 100 },
        { key: 'c', amount: 100 },
      ],
      discount: 100,
      expected: { a: 34, b: 33, c: 33 },
    },
    {
      name: 'equal remainders: the larger amount first',
      lines: [
        { key: 'a', amount: 1 },
        { key: 'b', amount: 3 },
      ],
      discount: 2,
      expected: { a: 0, b: 2 },
    },
    {
      name: 'remainders decide before amounts',
      lines: [
        { key: 'a', amount: 10 },
        { key: 'b', amount: 3 },
      ],
      discount: 4,
      // exact shares 3.08 and 0.92: the odd fen goes to the larger remainder, the smaller line
      expected: { a: 3, b: 1 },
    },
    {
      name: 'the whole amount',
      lines: [
        { key: 'a', amount: 399 },
        { key: 'b', amount: 1 },
      ],
      discount: 400,
      expected: { a: 399, b: 1 },
    },
    {
      name: 'zero-amount lines get nothing',
      lines: [
        { key: 'gift', amount: 0 },
        { key: 'b', amount: 999 },
      ],
      discount: 10,
      expected: { gift: 0, b: 10 },
    },
    { name: 'nothing to split', lines: [{ key: 'a', amount: 0 }], discount: 0, expected: { a: 0 } },
  ])('apportionDiscount: $name', ({ lines, discount, expected }) => {
    expect(Object.fromEntries(apportionDiscount(lines, discount))).toEqual(expected);
  });

  it('stays exact beyond 2^53 fen² products', () => {
    const parts = [
      { key: 'a', amount: 9_000_000_000 },
      { key: 'b', amount: 1_000_000_001 },
    ];
    const split = apportion(parts, 7_777_777_777);
    expect(split.get('a')! + split.get('b')!).toBe(7_777_777_777);
  });

  it('refuses a total above the parts, negative or fractional fen, and repeated keys', () => {
    expect(() => apportion([{ key: 'a', amount: 5 }], 6)).toThrow(RangeError);
    expect(() => apportion([{ key: 'a', amount: 5 }], -1)).toThrow(RangeError);
    expect(() => apportion([{ key: 'a', amount: 5.5 }], 1)).toThrow(RangeError);
    expect(() =>
      apportion(
        [
          { key: 'a', amount: 5 },
          { key: 'a', amount: 5 },
        ],
        1,
      ),
    ).toThrow(RangeError);
  });

  it('property: parts sum to the discount, each between 0 and its line, deterministically', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (amounts, share) => {
          const lines = amounts.map((amount, i) => ({ key: `l${i}`, amount }));
          const total = amounts.reduce((a, b) => a + b, 0);
          const discount = Math.floor(total * share);
          const parts = apportionDiscount(lines, discount);
          let sum = 0;
          for (const line of lines) {
            const part = parts.get(line.key)!;
            expect(Number.isInteger(part)).toBe(true);
            expect(part).toBeGreaterThanOrEqual(0);
            expect(part).toBeLessThanOrEqual(line.amount);
            // Largest remainder never strays a whole fen from the exact share.
            const exact = total === 0 ? 0 : (discount * line.amount) / total;
            expect(Math.abs(part - exact)).toBeLessThan(1);
            sum += part;
          }
          expect(sum).toBe(discount);
          expect(apportionDiscount(lines, discount)).toEqual(parts);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('prices an order: lines, stacked discounts on their lines, points, payable', () => {
    const pricing = priceOrder(
      [
        { key: 'LIP-999', quantity: 2, unitPrice: 32000 },
        { key: 'CREAM', quantity: 1, unitPrice: 68000 },
        { key: 'MASK', quantity: 3, unitPrice: 1990 },
      ],
      [
        { source: 'coupon:LIP50', amount: 5000, lines: ['LIP-999'] },
        { source: 'promo:ALL100', amount: 10000 },
      ],
      { pointsAmount: 3000 },
    );
    expect(pricing.totalAmount).toBe(64000 + 68000 + 5970);
    expect(pricing.discountAmount).toBe(15000);
    expect(pricing.pointsAmount).toBe(3000);
    expect(pricing.payableAmount).toBe(137970 - 15000 - 3000);
    expect(pricing.discounts).toEqual([
      { source: 'coupon:LIP50', requested: 5000, amount: 5000 },
      { source: 'promo:ALL100', requested: 10000, amount: 10000 },
    ]);
    const lip = pricing.lines[0]!;
    expect(lip.lineAmount).toBe(64000);
    expect(lip.discountAmount).toBeGreaterThan(5000);
    for (const line of pricing.lines) {
      expect(line.paidAmount).toBe(line.lineAmount - line.discountAmount);
      expect(line.pointsAmount).toBeLessThanOrEqual(line.paidAmount);
    }
    expect(pricing.lines.reduce((s, l) => s + l.discountAmount, 0)).toBe(15000);
    expect(pricing.lines.reduce((s, l) => s + l.pointsAmount, 0)).toBe(3000);
  });

  it('caps a discount at what its lines still cost, and points at what is left to pay', () => {
    const pricing = priceOrder(
      [
        { key: 'a', quantity: 1, unitPrice: 3000 },
        { key: 'b', quantity: 1, unitPrice: 1000 },
      ],
      [
        { source: 'c1', amount: 5000, lines: ['b'] },
        { source: 'c2', amount: 2000, lines: ['a', 'b'] },
      ],
      { pointsAmount: 99999 },
    );
    expect(pricing.discounts.map((d) => d.amount)).toEqual([1000, 2000]);
    expect(pricing.lines.map((l) => [l.key, l.discountAmount, l.paidAmount, l.pointsAmount])).toEqual([
      ['a', 2000, 1000, 1000],
      ['b', 1000, 0, 0],
    ]);
    expect(pricing.payableAmount).toBe(0);
  });

  it('no discounts: payable is the total', () => {
    const pricing = priceOrder([{ key: 'a', quantity: 3, unitPrice: 999 }]);
    expect(pricing).toMatchObject({
      totalAmount: 2997,
      discountAmount: 0,
      pointsAmount: 0,
      payableAmount: 2997,
    });
  });

  it('refuses malformed lines and unknown discount lines', () => {
    expect(() => priceOrder([{ key: 'a', quantity: 0, unitPrice: 1 }])).toThrow(RangeError);
    expect(() => priceOrder([{ key: 'a', quantity: 1, unitPrice: 1.5 }])).toThrow(RangeError);
    expect(() =>
      priceOrder([{ key: 'a', quantity: 1, unitPrice: 1 }], [{ source: 'x', amount: 1, lines: ['z'] }]),
    ).toThrow(RangeError);
  });
});
