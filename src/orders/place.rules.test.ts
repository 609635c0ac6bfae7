import { describe, expect, it } from 'vitest';
import type { Sku } from '../catalog/index.js';
import { isDomainError } from '../platform/errors.js';
import { OrderErrors } from './orders.errors.js';
import {
  assertFulfillable,
  couponLinesOf,
  mergeLines,
  newOrderRows,
  ownStoreOf,
  type PlaceLine,
  type PlaceOrderInput,
  pricePlacement,
  privateAddressText,
  requestHashOf,
  sellableLines,
  sharesTransaction,
  sourcingRequest,
} from './place.rules.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function sku(code: string, price: number, active = true): Sku {
  return {
    code,
    productCode: 'P',
    name: `name of ${code}`,
    price,
    barcode: null,
    attributes: {},
    category: 'lipstick',
    active,
    createdAt: '2026-11-22T00:00:00.000Z',
    updatedAt: '2026-11-22T00:00:00.000Z',
  };
}

const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };

function input(overrides: Partial<PlaceOrderInput> = {}): PlaceOrderInput {
  return {
    channel: 'online',
    lines: [{ sku: 'A', quantity: 1 }],
    fulfillment: { type: 'delivery', address: SHANGHAI },
    ...overrides,
  };
}

/** Two lines: A × 2 at ¥100.00, B × 1 at ¥50.01. */
const LINES: PlaceLine[] = [
  { lineNo: 1, sku: sku('A', 10000), quantity: 2 },
  { lineNo: 2, sku: sku('B', 5001), quantity: 1 },
];

describe('the lines of an order being placed', () => {
  it.each<[string, { sku: string; quantity: number }[], [string, number][]]>([
    ['one line', [{ sku: 'A', quantity: 2 }], [['A', 2]]],
    [
      'lines of one SKU merged, in the order first named',
      [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 3 },
      ],
      [
        ['B', 4],
        ['A', 2],
      ],
    ],
  ])('%s', (_, lines, merged) => {
    expect([...mergeLines(lines)]).toEqual(merged);
  });

  it('are numbered from the catalog, each SKU existing and on sale', () => {
    const skus = new Map([
      ['A', sku('A', 100)],
      ['B', sku('B', 200)],
      ['OFF', sku('OFF', 300, false)],
    ]);
    expect(
      sellableLines(
        new Map([
          ['B', 1],
          ['A', 2],
        ]),
        skus,
      ).map((l) => [l.lineNo, l.sku.code, l.quantity]),
    ).toEqual([
      [1, 'B', 1],
      [2, 'A', 2],
    ]);
    expect((thrown(() => sellableLines(new Map([['NOPE', 1]]), skus)) as { code: string }).code).toBe(
      'CATALOG.SKU_NOT_FOUND',
    );
    expect(
      isDomainError(
        thrown(() => sellableLines(new Map([['OFF', 1]]), skus)),
        OrderErrors.skuNotSellable,
      ),
    ).toBe(true);
  });

  it('offer coupons their amounts before any discount', () => {
    expect(couponLinesOf(LINES)).toEqual([
      { key: '1', sku: 'A', category: 'lipstick', amount: 20000 },
      { key: '2', sku: 'B', category: 'lipstick', amount: 5001 },
    ]);
  });
});

describe('what the sourcing planner is asked', () => {
  it.each<[string, PlaceOrderInput, ReturnType<typeof sourcingRequest>, string | null]>([
    [
      'a delivery goes to the address (its point, not the recipient)',
      input({ fulfillment: { type: 'delivery', address: { ...SHANGHAI, name: '王小明', phone: '138' } } }),
      { type: 'delivery', address: SHANGHAI },
      null,
    ],
    [
      'same-day as well',
      input({ fulfillment: { type: 'same_day', address: SHANGHAI } }),
      { type: 'same_day', address: SHANGHAI },
      null,
    ],
    [
      'a pickup at the store the customer chose, whose whole shelf counts',
      input({ fulfillment: { type: 'pickup', store: 'SH01' } }),
      { type: 'pickup', store: 'SH01' },
      'SH01',
    ],
    [
      'a carry-out at the till’s store',
      input({ channel: 'pos', storeCode: 'SH02', fulfillment: { type: 'carry_out' } }),
      { type: 'carry_out', store: 'SH02' },
      'SH02',
    ],
  ])('%s', (_, order, request, ownStore) => {
    expect(sourcingRequest(order)).toEqual(request);
    expect(ownStoreOf(sourcingRequest(order), order)).toBe(ownStore);
  });

  it.each<[string, PlaceOrderInput, boolean]>([
    ['a carry-out names its store', input({ storeCode: 'SH01', fulfillment: { type: 'carry_out' } }), true],
    ['a carry-out without a store is refused', input({ fulfillment: { type: 'carry_out' } }), false],
    ['a delivery needs no store', input(), true],
  ])('%s', (_, order, ok) => {
    if (ok) expect(() => assertFulfillable(order)).not.toThrow();
    else {
      const error = thrown(() => assertFulfillable(order));
      expect(isDomainError(error, OrderErrors.invalidFulfillment)).toBe(true);
      expect((error as { errors: unknown }).errors).toEqual([
        { path: 'storeCode', message: 'required for carry_out' },
      ]);
    }
  });
});

describe('pricing an order being placed', () => {
  it.each<
    [
      string,
      Parameters<typeof pricePlacement>[1],
      Parameters<typeof pricePlacement>[2],
      Parameters<typeof pricePlacement>[3],
      { total: number; discount: number; points: number; payable: number; lines: [number, number][] },
    ]
  >([
    [
      'at the catalog’s prices',
      [],
      undefined,
      null,
      {
        total: 25001,
        discount: 0,
        points: 0,
        payable: 25001,
        lines: [
          [0, 0],
          [0, 0],
        ],
      },
    ],
    [
      'a coupon on one line discounts that line only',
      [{ code: 'C1', template: 'T', amount: 1000, lineKeys: ['2'] }],
      undefined,
      null,
      {
        total: 25001,
        discount: 1000,
        points: 0,
        payable: 24001,
        lines: [
          [0, 0],
          [1000, 0],
        ],
      },
    ],
    [
      'an exchange’s credit is a discount over every line',
      [],
      { source: 'exchange:x', amount: 5000 },
      null,
      {
        total: 25001,
        discount: 5000,
        points: 0,
        payable: 20001,
        lines: [
          [4000, 0],
          [1000, 0],
        ],
      },
    ],
    [
      'points pay part of what the discounts leave',
      [{ code: 'C1', template: 'T', amount: 1, lineKeys: ['2'] }],
      undefined,
      { requested: 500, amount: 5000 },
      {
        total: 25001,
        discount: 1,
        points: 5000,
        payable: 20000,
        lines: [
          [0, 4000],
          [1, 1000],
        ],
      },
    ],
    [
      'points may pay all of it',
      [],
      { source: 'exchange:x', amount: 1 },
      { requested: 2500, amount: 25000 },
      {
        total: 25001,
        discount: 1,
        points: 25000,
        payable: 0,
        lines: [
          [1, 20000 - 1],
          [0, 5001],
        ],
      },
    ],
  ])('%s', (_, coupons, credit, points, expected) => {
    const pricing = pricePlacement(LINES, coupons, credit, points);
    expect({
      total: pricing.totalAmount,
      discount: pricing.discountAmount,
      points: pricing.pointsAmount,
      payable: pricing.payableAmount,
      lines: pricing.lines.map((l) => [l.discountAmount, l.pointsAmount]),
    }).toEqual(expected);
  });

  it('refuses points worth more than what is left to pay, naming the field', () => {
    const error = thrown(() =>
      pricePlacement(LINES, [{ code: 'C1', template: 'T', amount: 1001, lineKeys: ['1'] }], undefined, {
        requested: 2400,
        amount: 24001,
      }),
    );
    expect(isDomainError(error, OrderErrors.pointsExceedPayable)).toBe(true);
    expect((error as Error).message).toBe('2400 points are worth 24001 fen; only 24000 fen are left to pay');
    expect((error as { errors: unknown }).errors).toEqual([
      { path: 'pointsToRedeem', message: 'worth more than the 24000 fen left to pay' },
    ]);
  });
});

describe('the rows of a new order', () => {
  const now = new Date('2026-11-22T10:00:00.000Z');
  const rowsFor = (order: PlaceOrderInput) =>
    newOrderRows({
      orderId: 'ord_1',
      input: order,
      requestHash: '',
      memberId: null,
      lines: LINES,
      pricing: pricePlacement(LINES, [], undefined, null),
      pointsRedeemed: 0,
      couponCodes: [],
      plan: { groups: [], explanation: [] },
      privateAddress: null,
      now,
      localDay: '2026-11-22',
    });

  it.each<[string, PlaceOrderInput, string, string | null]>([
    ['online holds its stock 30 minutes', input(), '2026-11-22T10:30:00.000Z', null],
    ['live 10 minutes', input({ channel: 'live' }), '2026-11-22T10:10:00.000Z', null],
    ['or as long as asked', input({ holdSeconds: 60 }), '2026-11-22T10:01:00.000Z', null],
    [
      'a pickup is fulfilled at its store',
      input({ channel: 'mini_program', fulfillment: { type: 'pickup', store: 'SH01' } }),
      '2026-11-22T10:30:00.000Z',
      'SH01',
    ],
    [
      'a carry-out at the till’s',
      input({ channel: 'pos', storeCode: 'SH02', fulfillment: { type: 'carry_out' } }),
      '2026-11-22T10:15:00.000Z',
      'SH02',
    ],
  ])('%s', (_, order, expiresAt, store) => {
    const { row } = rowsFor(order);
    expect(row).toMatchObject({ status: 'pending_payment', expires_at: expiresAt, fulfillment_store: store });
  });

  it('start unpaid, with each line’s prices', () => {
    const { row, lineRows } = rowsFor(input());
    expect(row).toMatchObject({
      total_amount: 25001,
      payable_amount: 25001,
      paid_amount: 0,
      address_city: '上海',
      created_at: now.toISOString(),
      coupon_codes: '[]',
    });
    expect(
      lineRows.map((l) => [l.line_no, l.sku, l.line_amount, l.paid_amount, l.cancelled_quantity]),
    ).toEqual([
      [1, 'A', 20000, 20000, 0],
      [2, 'B', 5001, 5001, 0],
    ]);
  });

  it.each<[string, Parameters<typeof privateAddressText>[0], string | null]>([
    ['no address', null, null],
    ['an address with nothing personal', SHANGHAI, null],
    [
      'the recipient’s street, name and phone',
      { ...SHANGHAI, name: '王小明', phone: '13812345678' },
      '{"line1":null,"name":"王小明","phone":"13812345678"}',
    ],
  ])('keep in the encrypted part: %s', (_, address, text) => {
    expect(privateAddressText(address)).toBe(text);
  });

  it('tell a replayed channel order from a clash by their content, whatever its key order', () => {
    const a = input({ externalId: 'X1' });
    const b: PlaceOrderInput = {
      fulfillment: a.fulfillment,
      lines: a.lines,
      externalId: 'X1',
      channel: 'online',
    };
    expect(requestHashOf(a)).toBe(requestHashOf(b));
    expect(requestHashOf(a)).not.toBe(requestHashOf({ ...a, lines: [{ sku: 'A', quantity: 2 }] }));
  });
});

describe('which orders may share a transaction with others', () => {
  const order = {
    channel: 'online' as const,
    lines: [{ sku: 'A', quantity: 1 }],
    fulfillment: { type: 'delivery' as const, address: { city: '上海', lat: 31.2, lng: 121.5 } },
  };

  it('one that spends nothing and names its member, or none', () => {
    expect(sharesTransaction(order)).toBe(true);
    expect(sharesTransaction({ ...order, memberId: 'mem_1', externalId: 'T-1', couponCodes: [] })).toBe(true);
  });

  it('not one that spends coupons, points or credit, or has a customer to identify', () => {
    expect(sharesTransaction({ ...order, couponCodes: ['C-1'] })).toBe(false);
    expect(sharesTransaction({ ...order, pointsToRedeem: 100 })).toBe(false);
    expect(sharesTransaction({ ...order, credit: { source: 'exchange', amount: 100 } })).toBe(false);
    expect(
      sharesTransaction({ ...order, customer: { identifiers: [{ type: 'phone', value: '13800000000' }] } }),
    ).toBe(false);
  });
});
