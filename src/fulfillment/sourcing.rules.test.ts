import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../platform/errors.js';
import { FulfillmentErrors } from './fulfillment.errors.js';
import {
  DEFAULT_SOURCING_RULES,
  type SourcingCandidate,
  type SourcingOrder,
  type SourcingRules,
  sourcingRulesFor,
} from './sourcing.config.js';
import { packExplanation, unpackExplanation } from './sourcing.explain.js';
import {
  assertPlanned,
  type FulfillmentPlan,
  type LocationExplanation,
  type PlannedFulfillment,
  type UnfulfillablePlan,
} from './sourcing.plan.js';
import { planFulfillment } from './sourcing.rules.js';

const NOW = new Date('2026-11-22T02:00:00.000Z');
const RULES = sourcingRulesFor('online');

// Places, with distances from the Shanghai address below: JA ≈ 2.8 km, PD ≈ 3.0 km, XH ≈ 5.2 km,
// SZ (Suzhou) ≈ 85 km, BJ (Beijing) ≈ 1,068 km.
const PLACES = {
  JA: { city: '上海', lat: 31.2236, lng: 121.4454 },
  XH: { city: '上海', lat: 31.1951, lng: 121.4372 },
  PD: { city: '上海', lat: 31.2335, lng: 121.5055 },
  SZ: { city: '苏州', lat: 31.2989, lng: 120.5853 },
  BJ: { city: '北京', lat: 39.9087, lng: 116.3975 },
} as const;
const ADDRESS = { city: '上海', lat: 31.2304, lng: 121.4737 };

function warehouse(code: string, place: keyof typeof PLACES, stock: Record<string, number>, over = {}) {
  return location(code, 'warehouse', place, stock, over);
}
function store(
  code: string,
  place: keyof typeof PLACES,
  stock: Record<string, number>,
  over: Partial<SourcingCandidate> = {},
) {
  return location(code, 'store', place, stock, over);
}
function location(
  code: string,
  kind: 'warehouse' | 'store',
  place: keyof typeof PLACES,
  stock: Record<string, number>,
  over: Partial<SourcingCandidate>,
): SourcingCandidate {
  return {
    code,
    kind,
    ...PLACES[place],
    capabilities:
      kind === 'store'
        ? { pickup: true, shipFromStore: true, sameDayRadiusKm: 10 }
        : { pickup: false, shipFromStore: false, sameDayRadiusKm: null },
    priorityTier: kind === 'warehouse' ? 1 : 2,
    remainingCapacity: null,
    active: true,
    stock: new Map(Object.entries(stock)),
    ...over,
  };
}

function delivery(lines: Record<string, number>, over: Partial<SourcingOrder> = {}): SourcingOrder {
  return {
    channel: 'online',
    lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
    fulfillment: { type: 'delivery', address: ADDRESS },
    ...over,
  };
}

function plan(order: SourcingOrder, candidates: SourcingCandidate[], rules: SourcingRules = RULES) {
  return planFulfillment(order, candidates, rules, { now: NOW });
}
function planned(order: SourcingOrder, candidates: SourcingCandidate[], rules: SourcingRules = RULES) {
  const result = plan(order, candidates, rules);
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.unfulfillable)}`);
  return result;
}
function failed(order: SourcingOrder, candidates: SourcingCandidate[], rules: SourcingRules = RULES) {
  const result = plan(order, candidates, rules);
  if (result.ok) throw new Error(`expected no plan, got ${JSON.stringify(result.groups)}`);
  return result;
}
function sources(result: PlannedFulfillment) {
  return result.groups.map((g) => `${g.location}:${g.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')}`);
}
function why(result: FulfillmentPlan, code: string): LocationExplanation {
  const entry = result.explanation.find((e) => e.location === code);
  if (!entry) throw new Error(`no explanation for ${code}`);
  return entry;
}

describe('planFulfillment — delivery ranking', () => {
  it.each([
    {
      name: 'one location holding everything beats a nearer split',
      candidates: [
        store('JA', 'JA', { A: 5 }),
        store('XH', 'XH', { B: 5 }),
        warehouse('W-SZ', 'SZ', { A: 5, B: 5 }),
      ],
      expected: ['W-SZ:A×1,B×1'],
    },
    {
      name: 'a better priority tier beats distance',
      candidates: [store('JA', 'JA', { A: 5, B: 5 }), warehouse('W-SZ', 'SZ', { A: 5, B: 5 })],
      expected: ['W-SZ:A×1,B×1'],
    },
    {
      name: 'within a tier the nearer location wins',
      candidates: [store('PD', 'PD', { A: 5, B: 5 }), store('JA', 'JA', { A: 5, B: 5 })],
      expected: ['JA:A×1,B×1'],
    },
    {
      name: 'same tier and place: the location code breaks the tie',
      candidates: [store('S2', 'JA', { A: 5, B: 5 }), store('S1', 'JA', { A: 5, B: 5 })],
      expected: ['S1:A×1,B×1'],
    },
    {
      name: 'fewest splits: two locations beat three nearer ones',
      candidates: [
        store('JA', 'JA', { A: 5 }),
        store('XH', 'XH', { B: 5 }),
        store('PD', 'PD', { C: 5 }),
        warehouse('W-SZ', 'SZ', { A: 5, B: 5 }),
        warehouse('W-BJ', 'BJ', { C: 5 }, { priorityTier: 3 }),
      ],
      rules: { ...RULES, maxSplits: 3 },
      lines: { A: 1, B: 1, C: 1 },
      expected: ['W-SZ:A×1,B×1', 'PD:C×1'],
    },
  ])('$name', ({ candidates, expected, rules, lines }) => {
    expect(sources(planned(delivery(lines ?? { A: 1, B: 1 }), candidates, rules))).toEqual(expected);
  });

  it('tie-breakers are configurable per channel: distance first, then tier', () => {
    const candidates = [store('JA', 'JA', { A: 5 }), warehouse('W-SZ', 'SZ', { A: 5 })];
    const rules = { ...RULES, tieBreakers: ['distance', 'priority_tier'] as const };
    expect(sources(planned(delivery({ A: 1 }), candidates, rules))).toEqual(['JA:A×1']);
    const storesFirst = { ...RULES, tieBreakers: ['stores_first', 'distance'] as const };
    const farStore = [store('S-BJ', 'BJ', { A: 5 }), warehouse('W-JA', 'JA', { A: 5 })];
    expect(sources(planned(delivery({ A: 1 }), farStore, storesFirst))).toEqual(['S-BJ:A×1']);
    const warehousesFirst = { ...RULES, tieBreakers: ['warehouses_first', 'distance'] as const };
    expect(sources(planned(delivery({ A: 1 }), farStore, warehousesFirst))).toEqual(['W-JA:A×1']);
  });

  it('explains why each location that could have helped lost', () => {
    const result = planned(delivery({ A: 1, B: 1 }), [
      warehouse('W-SZ', 'SZ', { A: 5, B: 5 }),
      warehouse('W-BJ', 'BJ', { A: 5, B: 5 }),
      warehouse('W-SZ2', 'SZ', { A: 5, B: 5 }),
      store('JA', 'JA', { A: 5, B: 5 }),
      store('XH', 'XH', { A: 5 }),
    ]);
    expect(why(result, 'W-SZ')).toMatchObject({ decision: 'chosen', reasons: ['HOLDS_ALL_LINES'] });
    expect(why(result, 'W-SZ').distanceKm).toBeCloseTo(83, -1);
    expect(why(result, 'W-BJ')).toMatchObject({ decision: 'not_needed', reasons: ['FARTHER_THAN_CHOSEN'] });
    expect(why(result, 'W-SZ2')).toMatchObject({ decision: 'not_needed', reasons: ['TIE_BROKEN_BY_CODE'] });
    expect(why(result, 'JA')).toMatchObject({ decision: 'not_needed', reasons: ['LOWER_PRIORITY_TIER'] });
    expect(why(result, 'XH')).toMatchObject({ decision: 'not_needed', reasons: ['WOULD_SPLIT'] });
    expect(why(result, 'W-SZ').message).toContain('W-SZ chosen');
    // Chosen first, then the runners-up best first, then the excluded by code.
    expect(result.explanation.map((e) => e.location)).toEqual(['W-SZ', 'W-SZ2', 'W-BJ', 'JA', 'XH']);
  });

  it.each([
    { name: 'inactive', candidate: store('X', 'JA', { A: 9 }, { active: false }), reasons: ['INACTIVE'] },
    {
      name: 'no capacity left today',
      candidate: store('X', 'JA', { A: 9 }, { remainingCapacity: 0 }),
      reasons: ['NO_CAPACITY'],
    },
    {
      name: 'a store that does not ship',
      candidate: store(
        'X',
        'JA',
        { A: 9 },
        { capabilities: { pickup: true, shipFromStore: false, sameDayRadiusKm: 5 } },
      ),
      reasons: ['NO_SHIP_FROM_STORE_CAPABILITY'],
    },
    { name: 'none of the items', candidate: store('X', 'JA', { B: 9 }), reasons: ['INSUFFICIENT_STOCK'] },
    {
      name: 'only its last unit (stock floor)',
      candidate: store('X', 'JA', { A: 1 }),
      reasons: ['BALANCE_FLOOR'],
    },
    {
      name: 'several reasons at once',
      candidate: store('X', 'JA', { A: 9 }, { active: false, remainingCapacity: 0 }),
      reasons: ['INACTIVE', 'NO_CAPACITY'],
    },
  ])('excludes a location: $name', ({ candidate, reasons }) => {
    const result = planned(delivery({ A: 1 }), [candidate, warehouse('W-SZ', 'SZ', { A: 9 })]);
    expect(sources(result)).toEqual(['W-SZ:A×1']);
    expect(why(result, 'X')).toMatchObject({ decision: 'excluded', reasons });
  });

  it('a channel that ships from warehouses only excludes stores by kind', () => {
    const candidates = [store('JA', 'JA', { A: 9 }), warehouse('W-SZ', 'SZ', { A: 9 })];
    const result = planned(
      delivery({ A: 1 }, { channel: 'marketplace' }),
      candidates,
      DEFAULT_SOURCING_RULES.marketplace,
    );
    expect(sources(result)).toEqual(['W-SZ:A×1']);
    expect(why(result, 'JA')).toMatchObject({ decision: 'excluded', reasons: ['KIND_NOT_ALLOWED'] });
  });

  it('capacity: null is unlimited, a positive figure is enough for one group', () => {
    const result = planned(delivery({ A: 1 }), [
      warehouse('W1', 'SZ', { A: 9 }, { remainingCapacity: 0 }),
      warehouse('W2', 'SZ', { A: 9 }, { remainingCapacity: 1 }),
      warehouse('W0', 'SZ', { A: 9 }, { remainingCapacity: null, active: false }),
    ]);
    expect(sources(result)).toEqual(['W2:A×1']);
    expect(why(result, 'W1').reasons).toEqual(['NO_CAPACITY']);
  });
});

describe('planFulfillment — inventory balance', () => {
  it.each([
    {
      name: 'keeps the last unit by default',
      stock: 3,
      onHand: undefined,
      rule: { minUnits: 1, minShareOfOnHand: 0 },
      gives: 2,
    },
    {
      name: 'keeps N units',
      stock: 5,
      onHand: undefined,
      rule: { minUnits: 3, minShareOfOnHand: 0 },
      gives: 2,
    },
    {
      name: 'keeps a share of on hand',
      stock: 6,
      onHand: 10,
      rule: { minUnits: 0, minShareOfOnHand: 0.3 },
      gives: 3,
    },
    {
      name: 'the larger floor wins',
      stock: 6,
      onHand: 10,
      rule: { minUnits: 4, minShareOfOnHand: 0.3 },
      gives: 2,
    },
    { name: 'no floor', stock: 3, onHand: undefined, rule: { minUnits: 0, minShareOfOnHand: 0 }, gives: 3 },
  ])('$name', ({ stock, onHand, rule, gives }) => {
    const rules = { ...RULES, storeBalance: rule, maxSplits: 2 };
    const candidates = [
      store('JA', 'JA', { A: stock }, onHand === undefined ? {} : { onHand: new Map([['A', onHand]]) }),
      warehouse('W-BJ', 'BJ', { A: 9 }, { priorityTier: 3 }),
    ];
    // 10 units and no one holds them all: the store gives what its floor allows, the far warehouse the rest.
    const result = planned(delivery({ A: 10 }), candidates, rules);
    expect(result.groups.find((g) => g.location === 'JA')?.lines[0]?.quantity ?? 0).toBe(gives);
  });

  it('warehouses have no floor', () => {
    const result = planned(delivery({ A: 3 }), [warehouse('W', 'SZ', { A: 3 })]);
    expect(sources(result)).toEqual(['W:A×3']);
  });
});

describe('planFulfillment — splits', () => {
  it('splits across the fewest locations and explains it', () => {
    const result = planned(delivery({ A: 1, B: 1 }), [
      store('JA', 'JA', { A: 5 }),
      store('XH', 'XH', { B: 5 }),
      store('PD', 'PD', { B: 5 }),
    ]);
    expect(sources(result)).toEqual(['JA:A×1', 'PD:B×1']);
    expect(why(result, 'JA').reasons).toEqual(['FEWEST_SPLITS']);
    expect(why(result, 'XH')).toMatchObject({ decision: 'not_needed', reasons: ['FARTHER_THAN_CHOSEN'] });
  });

  it('never splits beyond maxSplits, and says which lines could not be sourced', () => {
    const candidates = [
      store('JA', 'JA', { A: 5 }),
      store('XH', 'XH', { B: 5 }),
      store('PD', 'PD', { C: 5 }),
    ];
    const result = failed(delivery({ A: 1, B: 2, C: 1 }), candidates, { ...RULES, maxSplits: 2 });
    expect(result.unfulfillable).toEqual([{ sku: 'C', quantity: 1, reason: 'SPLIT_LIMIT' }]);
    expect(why(result, 'JA')).toMatchObject({ decision: 'excluded', reasons: ['SPLIT_LIMIT'] });
    expect(
      sources(planned(delivery({ A: 1, B: 2, C: 1 }), candidates, { ...RULES, maxSplits: 3 })),
    ).toHaveLength(3);
  });

  it('a live-stream order is one parcel', () => {
    const candidates = [warehouse('W1', 'SZ', { A: 5 }), warehouse('W2', 'SZ', { B: 5 })];
    const order = delivery({ A: 1, B: 1 }, { channel: 'live' });
    expect(planFulfillment(order, candidates, undefined, { now: NOW }).ok).toBe(false);
  });

  it('finds an exact two-location cover where a greedy pick of the biggest holder would need three', () => {
    const candidates = [
      warehouse('BIG', 'SZ', { A: 1, B: 1, C: 1, D: 1 }),
      store(
        'L',
        'BJ',
        { A: 1, B: 1, E: 1 },
        { capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: null } },
      ),
      store('R', 'BJ', { C: 1, D: 1, F: 1 }),
    ];
    const rules = { ...RULES, storeBalance: { minUnits: 0, minShareOfOnHand: 0 } };
    const result = planned(delivery({ A: 1, B: 1, C: 1, D: 1, E: 1, F: 1 }), candidates, rules);
    expect(sources(result)).toEqual(['L:A×1,B×1,E×1', 'R:C×1,D×1,F×1']);
    expect(why(result, 'BIG')).toMatchObject({ decision: 'not_needed', reasons: ['BETTER_COMBINATION'] });
  });

  it('among covers of the same size, picks the best summed rank', () => {
    const candidates = [
      store('JA', 'JA', { A: 5 }),
      store('PD', 'PD', { A: 5 }),
      store('XH', 'XH', { B: 5 }),
      store('BJ', 'BJ', { B: 5 }),
    ];
    expect(sources(planned(delivery({ A: 1, B: 1 }), candidates))).toEqual(['JA:A×1', 'XH:B×1']);
    const nearerB = [...candidates, store('PD-B', 'PD', { B: 5 })];
    expect(sources(planned(delivery({ A: 1, B: 1 }), nearerB))).toEqual(['JA:A×1', 'PD-B:B×1']);
  });

  it('splits one line across locations when none holds all of it, unless the rules forbid it', () => {
    const candidates = [store('JA', 'JA', { A: 4 }), store('XH', 'XH', { A: 3 })];
    expect(sources(planned(delivery({ A: 5 }), candidates))).toEqual(['JA:A×3', 'XH:A×2']);
    const whole = failed(delivery({ A: 5 }), candidates, { ...RULES, splitLines: false });
    expect(whole.unfulfillable).toEqual([{ sku: 'A', quantity: 5, reason: 'INSUFFICIENT_STOCK' }]);
  });

  it('takes a whole line from one location of the split when it can', () => {
    const candidates = [store('JA', 'JA', { A: 1, B: 2 }), store('XH', 'XH', { A: 9 })];
    // JA can give 1 A (floor) and 1 B; XH must join for A, and then gives all of A itself.
    expect(sources(planned(delivery({ A: 2, B: 1 }), candidates))).toEqual(['JA:B×1', 'XH:A×2']);
  });

  it('falls back to a bounded or greedy search when the budget is spent, and says so', () => {
    const candidates = [
      store('JA', 'JA', { A: 5 }),
      store('XH', 'XH', { B: 5 }),
      store('PD', 'PD', { B: 5 }),
    ];
    const result = planned(delivery({ A: 1, B: 1 }), candidates, { ...RULES, searchBudget: 1 });
    expect(result.groups).toHaveLength(2);
    expect(why(result, 'JA').reasons).toContain('SEARCH_LIMITED');
  });

  it('reports short lines when the eligible locations together lack stock', () => {
    const result = failed(delivery({ A: 10, B: 1 }), [
      store('JA', 'JA', { A: 4, B: 3 }),
      warehouse('W', 'SZ', { A: 3 }),
    ]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 4, reason: 'INSUFFICIENT_STOCK' }]);
    expect(result.groups).toEqual([]);
    expect(why(result, 'W')).toMatchObject({ decision: 'excluded', reasons: ['INSUFFICIENT_STOCK'] });
  });
});

describe('planFulfillment — same-day', () => {
  const sameDay = (lines: Record<string, number>): SourcingOrder => ({
    ...delivery(lines),
    fulfillment: { type: 'same_day', address: ADDRESS },
  });

  it('only from stores whose radius covers the address', () => {
    const result = planned(sameDay({ A: 1 }), [
      warehouse('W', 'JA', { A: 9 }),
      store(
        'JA',
        'JA',
        { A: 9 },
        { capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: 1 } },
      ),
      store('PD', 'PD', { A: 9 }),
      store(
        'XH',
        'XH',
        { A: 9 },
        { capabilities: { pickup: true, shipFromStore: true, sameDayRadiusKm: null } },
      ),
    ]);
    expect(result.groups).toEqual([
      {
        location: 'PD',
        type: 'same_day',
        lines: [{ sku: 'A', quantity: 1 }],
        distanceKm: expect.any(Number),
      },
    ]);
    expect(why(result, 'W').reasons).toEqual(['NO_SAME_DAY_CAPABILITY']);
    expect(why(result, 'XH').reasons).toEqual(['NO_SAME_DAY_CAPABILITY']);
    expect(why(result, 'JA')).toMatchObject({ decision: 'excluded', reasons: ['OUTSIDE_SAME_DAY_RADIUS'] });
    expect(why(result, 'JA').distanceKm).toBeGreaterThan(1);
  });

  it('fails when no store within reach holds the items', () => {
    const result = failed(sameDay({ A: 1 }), [store('SZ', 'SZ', { A: 9 }), warehouse('W', 'JA', { A: 9 })]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 1, reason: 'INSUFFICIENT_STOCK' }]);
    expect(why(result, 'SZ').reasons).toEqual(['OUTSIDE_SAME_DAY_RADIUS']);
  });
});

describe('planFulfillment — pickup', () => {
  const pickup = (lines: Record<string, number>, at = 'JA'): SourcingOrder => ({
    ...delivery(lines, { channel: 'mini_program' }),
    fulfillment: { type: 'pickup', store: at },
  });

  it('one pickup group when the store holds everything, ready in two hours', () => {
    const result = planned(pickup({ A: 1, B: 2 }), [
      store('JA', 'JA', { A: 1, B: 2 }),
      warehouse('W', 'JA', { A: 9 }),
    ]);
    expect(result.groups).toEqual([
      {
        location: 'JA',
        type: 'pickup',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 2 },
        ],
        readyBy: '2026-11-22T04:00:00.000Z',
      },
    ]);
    expect(why(result, 'JA').reasons).toEqual(['PICKUP_STORE', 'HOLDS_ALL_LINES']);
    expect(why(result, 'W')).toMatchObject({ decision: 'not_needed', reasons: ['PICKUP_STORE_HAS_STOCK'] });
  });

  it('sells the store its own last unit and ignores its packing capacity: the customer chose it', () => {
    const result = planned(pickup({ A: 1 }), [store('JA', 'JA', { A: 1 }, { remainingCapacity: 0 })]);
    expect(result.groups[0]?.transfers).toBeUndefined();
  });

  it('plans a transfer from the same city first, and the ready time follows the lead time', () => {
    const result = planned(pickup({ A: 1, B: 3 }), [
      store('JA', 'JA', { A: 1, B: 1 }),
      store('XH', 'XH', { B: 9 }),
      warehouse('W-SZ', 'SZ', { B: 99 }),
    ]);
    expect(result.groups).toEqual([
      {
        location: 'JA',
        type: 'pickup',
        lines: [
          { sku: 'A', quantity: 1 },
          { sku: 'B', quantity: 3 },
        ],
        transfers: [{ from: 'XH', sku: 'B', quantity: 2 }],
        readyBy: '2026-11-23T04:00:00.000Z', // 24 h same-city transfer + 2 h
      },
    ]);
    expect(why(result, 'XH')).toMatchObject({ decision: 'chosen', reasons: ['TRANSFER_SOURCE'] });
    expect(why(result, 'W-SZ')).toMatchObject({ decision: 'not_needed', reasons: ['SLOWER_TRANSFER'] });
  });

  it('prefers a warehouse to a store within the same lead time', () => {
    const result = planned(pickup({ A: 1 }), [
      store('JA', 'JA', {}),
      store('XH', 'XH', { A: 9 }),
      warehouse('W-PD', 'PD', { A: 9 }),
    ]);
    expect(result.groups[0]?.transfers).toEqual([{ from: 'W-PD', sku: 'A', quantity: 1 }]);
    expect(why(result, 'XH')).toMatchObject({ decision: 'not_needed', reasons: ['KIND_PREFERENCE'] });
  });

  it('brings units from another city when the city lacks them (48 h within 500 km, 72 h beyond)', () => {
    const near = planned(pickup({ A: 1 }), [store('JA', 'JA', {}), warehouse('W-SZ', 'SZ', { A: 9 })]);
    expect(near.groups[0]).toMatchObject({
      transfers: [{ from: 'W-SZ', sku: 'A', quantity: 1 }],
      readyBy: '2026-11-24T04:00:00.000Z',
    });
    const far = planned(pickup({ A: 1 }), [store('JA', 'JA', {}), warehouse('W-BJ', 'BJ', { A: 9 })]);
    expect(far.groups[0]?.readyBy).toBe('2026-11-25T04:00:00.000Z');
  });

  it('does not drain the source store below its floor', () => {
    const result = planned(pickup({ A: 2 }), [
      store('JA', 'JA', {}),
      store('XH', 'XH', { A: 2 }),
      warehouse('W-BJ', 'BJ', { A: 9 }),
    ]);
    expect(result.groups[0]?.transfers).toEqual([{ from: 'W-BJ', sku: 'A', quantity: 2 }]);
  });

  it('fails when the pickup store is missing, inactive or holds no pickups', () => {
    const inactive = failed(pickup({ A: 1 }), [
      store('JA', 'JA', { A: 9 }, { active: false }),
      store('XH', 'XH', { A: 9 }),
    ]);
    expect(inactive.unfulfillable).toEqual([{ sku: 'A', quantity: 1, reason: 'PICKUP_STORE_UNAVAILABLE' }]);
    expect(why(inactive, 'JA').reasons).toEqual(['INACTIVE']);
    const noCounter = failed(pickup({ A: 1 }), [
      store(
        'JA',
        'JA',
        { A: 9 },
        { capabilities: { pickup: false, shipFromStore: true, sameDayRadiusKm: null } },
      ),
    ]);
    expect(why(noCounter, 'JA').reasons).toEqual(['NO_PICKUP_CAPABILITY']);
    expect(failed(pickup({ A: 1 }, 'NOPE'), [store('JA', 'JA', { A: 9 })]).unfulfillable[0]?.reason).toBe(
      'PICKUP_STORE_UNAVAILABLE',
    );
  });

  it('fails when no transfer can make up the difference', () => {
    const result = failed(pickup({ A: 5 }), [store('JA', 'JA', { A: 2 }), store('XH', 'XH', { A: 2 })]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 2, reason: 'INSUFFICIENT_STOCK' }]);
    expect(why(result, 'JA').reasons).toEqual(['INSUFFICIENT_STOCK']);
  });
});

describe('planFulfillment — store sales', () => {
  it('endless aisle: a till sale of an item the store lacks ships from elsewhere', () => {
    const order = delivery({ A: 1 }, { channel: 'pos', storeCode: 'JA' });
    const result = planned(
      order,
      [store('JA', 'JA', { B: 5 }), warehouse('W-SZ', 'SZ', { A: 5 })],
      DEFAULT_SOURCING_RULES.pos,
    );
    expect(sources(result)).toEqual(['W-SZ:A×1']);
    expect(result.groups[0]?.type).toBe('ship');
    expect(why(result, 'W-SZ').reasons).toEqual(['HOLDS_ALL_LINES', 'ENDLESS_AISLE']);
    expect(why(result, 'JA')).toMatchObject({ decision: 'excluded', reasons: ['INSUFFICIENT_STOCK'] });
  });

  it("carry-out takes the selling store's own stock, down to its last unit", () => {
    const order: SourcingOrder = {
      channel: 'pos',
      storeCode: 'JA',
      lines: [{ sku: 'A', quantity: 1 }],
      fulfillment: { type: 'carry_out' },
    };
    const result = planned(order, [store('JA', 'JA', { A: 1 }), warehouse('W', 'JA', { A: 99 })]);
    expect(result.groups).toEqual([
      { location: 'JA', type: 'carry_out', lines: [{ sku: 'A', quantity: 1 }] },
    ]);
    expect(why(result, 'W')).toMatchObject({ decision: 'excluded', reasons: ['NOT_SELLING_STORE'] });
  });

  it('carry-out fails when the store is short, even if others hold the item', () => {
    const order: SourcingOrder = {
      channel: 'pos',
      lines: [{ sku: 'A', quantity: 3 }],
      fulfillment: { type: 'carry_out', store: 'JA' },
    };
    const result = failed(order, [store('JA', 'JA', { A: 1 }), warehouse('W', 'JA', { A: 99 })]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 2, reason: 'INSUFFICIENT_STOCK' }]);
    const nowhere = failed({ ...order, fulfillment: { type: 'carry_out' } }, [store('JA', 'JA', { A: 9 })]);
    expect(nowhere.unfulfillable[0]?.reason).toBe('SELLING_STORE_UNAVAILABLE');
  });
});

describe('planFulfillment — inputs and determinism', () => {
  const candidates = [
    store('JA', 'JA', { A: 5 }),
    store('XH', 'XH', { B: 5, C: 2 }),
    store('PD', 'PD', { B: 5 }),
    warehouse('W-SZ', 'SZ', { C: 9 }),
    warehouse('W-BJ', 'BJ', { A: 9, B: 9 }, { priorityTier: 2 }),
    store('OFF', 'JA', { A: 9 }, { active: false }),
  ];

  it('gives the same plan whatever order the candidates arrive in', () => {
    const order = delivery({ A: 1, B: 1, C: 1 });
    const reference = plan(order, candidates);
    fc.assert(
      fc.property(fc.shuffledSubarray(candidates, { minLength: candidates.length }), (shuffled) => {
        expect(plan(order, shuffled)).toEqual(reference);
      }),
      { numRuns: 50 },
    );
    expect(plan(order, candidates)).toEqual(reference);
  });

  it('merges repeated SKUs and accepts stock as a plain object', () => {
    const result = planned(
      delivery(
        {},
        {
          lines: [
            { sku: 'A', quantity: 1 },
            { sku: 'A', quantity: 2 },
          ],
        },
      ),
      [{ ...warehouse('W', 'SZ', {}), stock: { A: 3 } }],
    );
    expect(sources(result)).toEqual(['W:A×3']);
  });

  it('refuses malformed input as a bug, not a business outcome', () => {
    expect(() => plan(delivery({ A: 0 }), candidates)).toThrow(RangeError);
    expect(() => plan(delivery({}), candidates)).toThrow(RangeError);
    // Codes are unique by contract; the checks that cost nothing catch a repeated entry.
    expect(() => plan(delivery({ A: 1 }), [...candidates, candidates[0]!])).toThrow(/given twice/);
    expect(() => plan(delivery({ A: 1 }), [...candidates, candidates[5]!])).toThrow(/given twice/);
  });

  it('assertPlanned throws FULFILLMENT.NO_SOURCE naming the lines', () => {
    const result = plan(delivery({ Z: 1 }), candidates);
    try {
      assertPlanned(result);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, FulfillmentErrors.noSource)).toBe(true);
      expect((error as Error).message).toContain('1 × Z (INSUFFICIENT_STOCK)');
    }
    const ok = plan(delivery({ A: 1 }), candidates);
    assertPlanned(ok);
    expect(ok.groups).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties, against an independent brute force over the same rules.

const SKUS = ['A', 'B', 'C', 'D'];

/** True nine times in ten: most locations are usable, so that plans succeed and split often enough. */
const mostly = fc.integer({ min: 0, max: 9 }).map((n) => n > 0);

const arbCandidate = fc.record({
  kind: fc.constantFrom<'warehouse' | 'store'>('warehouse', 'store', 'store'),
  place: fc.constantFrom<keyof typeof PLACES>('JA', 'XH', 'PD', 'SZ', 'BJ'),
  tier: fc.integer({ min: 1, max: 3 }),
  active: mostly,
  shipFromStore: mostly,
  pickup: fc.boolean(),
  capacity: fc.constantFrom<number | null>(null, null, null, 0, 3),
  stock: fc.dictionary(fc.constantFrom(...SKUS), fc.integer({ min: 0, max: 6 }), { maxKeys: 3 }),
});

const arbWorld = fc.record({
  candidates: fc.array(arbCandidate, { minLength: 1, maxLength: 10 }),
  lines: fc.dictionary(fc.constantFrom(...SKUS), fc.integer({ min: 1, max: 4 }), { minKeys: 1, maxKeys: 4 }),
  maxSplits: fc.integer({ min: 1, max: 3 }),
  splitLines: mostly,
  minUnits: fc.integer({ min: 0, max: 1 }),
  fromStores: mostly,
});

type World = typeof arbWorld extends fc.Arbitrary<infer T> ? T : never;

function buildWorld(world: World) {
  const candidates: SourcingCandidate[] = world.candidates.map(
    (c, i): SourcingCandidate => ({
      code: `L${String(i).padStart(2, '0')}`,
      kind: c.kind,
      ...PLACES[c.place],
      capabilities:
        c.kind === 'store'
          ? { pickup: c.pickup, shipFromStore: c.shipFromStore, sameDayRadiusKm: null }
          : { pickup: false, shipFromStore: false, sameDayRadiusKm: null },
      priorityTier: c.tier,
      remainingCapacity: c.capacity,
      active: c.active,
      stock: new Map(Object.entries(c.stock)),
    }),
  );
  const rules: SourcingRules = {
    ...RULES,
    maxSplits: world.maxSplits,
    splitLines: world.splitLines,
    storeBalance: { minUnits: world.minUnits, minShareOfOnHand: 0 },
    deliveryFrom: { warehouses: true, stores: world.fromStores },
  };
  const order = delivery(world.lines);
  return { candidates, rules, order };
}

/** What a location may give for delivery under the rules, computed independently of the planner. */
function allowance(c: SourcingCandidate, rules: SourcingRules, sku: string, need: number): number {
  const eligible =
    c.active &&
    (c.remainingCapacity === null || c.remainingCapacity > 0) &&
    (c.kind === 'warehouse'
      ? rules.deliveryFrom.warehouses
      : rules.deliveryFrom.stores && c.capabilities.shipFromStore);
  if (!eligible) return 0;
  const available = (c.stock as Map<string, number>).get(sku) ?? 0;
  const floor = c.kind === 'store' && available > 0 ? rules.storeBalance.minUnits : 0;
  const usable = Math.max(0, available - floor);
  if (!rules.splitLines && usable < need) return 0;
  return Math.min(usable, need);
}

/** The smallest number of locations that can cover the order, or Infinity. */
function bruteForceMinimum(
  candidates: SourcingCandidate[],
  rules: SourcingRules,
  lines: Record<string, number>,
) {
  const n = candidates.length;
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 1; mask < 1 << n; mask++) {
    const size = popcount(mask);
    if (size >= best) continue;
    const covers = Object.entries(lines).every(([sku, need]) => {
      let total = 0;
      for (let i = 0; i < n; i++) if (mask & (1 << i)) total += allowance(candidates[i]!, rules, sku, need);
      return total >= need;
    });
    if (covers) best = size;
  }
  return best;
}

function popcount(x: number): number {
  let count = 0;
  for (let v = x; v; v &= v - 1) count++;
  return count;
}

describe('planFulfillment — properties', () => {
  it('never over-assigns stock, never exceeds maxSplits, covers every line exactly, and splits minimally', () => {
    const seen = { planned: 0, split: 0, unfulfillable: 0 };
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { candidates, rules, order } = buildWorld(world);
        const lines = world.lines;
        const result = plan(order, candidates, rules);
        const minimum = bruteForceMinimum(candidates, rules, lines);

        // Every candidate is explained exactly once.
        expect(result.explanation.map((e) => e.location).sort()).toEqual(
          candidates.map((c) => c.code).sort(),
        );

        if (!result.ok) {
          seen.unfulfillable++;
          expect((result as UnfulfillablePlan).unfulfillable.length).toBeGreaterThan(0);
          expect(minimum).toBeGreaterThan(rules.maxSplits);
          return;
        }
        seen.planned++;
        if (result.groups.length > 1) seen.split++;
        expect(result.groups.length).toBeLessThanOrEqual(rules.maxSplits);
        expect(result.groups.length).toBe(minimum);
        const assigned = new Map<string, number>();
        for (const group of result.groups) {
          const location = candidates.find((c) => c.code === group.location)!;
          expect(group.lines.length).toBeGreaterThan(0);
          for (const line of group.lines) {
            expect(line.quantity).toBeGreaterThan(0);
            expect(line.quantity).toBeLessThanOrEqual(allowance(location, rules, line.sku, lines[line.sku]!));
            assigned.set(line.sku, (assigned.get(line.sku) ?? 0) + line.quantity);
          }
        }
        expect(Object.fromEntries(assigned)).toEqual(lines);
      }),
      { numRuns: 600 },
    );
    // The generator must exercise every branch, or the property proves little.
    expect(seen.planned).toBeGreaterThan(40);
    expect(seen.split).toBeGreaterThan(10);
    expect(seen.unfulfillable).toBeGreaterThan(40);
  });

  it('pickup: the store gives what it has, transfers bring the rest from sources that hold it', () => {
    let transferred = 0;
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { candidates, rules, order } = buildWorld(world);
        const at = candidates[0]!;
        const pickupStore: SourcingCandidate = {
          ...at,
          kind: 'store',
          active: true,
          capabilities: { pickup: true, shipFromStore: false, sameDayRadiusKm: null },
        };
        const all = [pickupStore, ...candidates.slice(1)];
        const result = plan({ ...order, fulfillment: { type: 'pickup', store: at.code } }, all, rules);
        expect(result.explanation.map((e) => e.location).sort()).toEqual(all.map((c) => c.code).sort());
        if (!result.ok) return;
        expect(result.groups).toHaveLength(1);
        const group = result.groups[0]!;
        expect(group.location).toBe(at.code);
        const lines = world.lines;
        expect(Object.fromEntries(group.lines.map((l) => [l.sku, l.quantity]))).toEqual(lines);
        const moved = new Map<string, number>();
        if (group.transfers) transferred++;
        for (const transfer of group.transfers ?? []) {
          const source = all.find((c) => c.code === transfer.from)!;
          expect(source.code).not.toBe(at.code);
          expect(source.active).toBe(true);
          const available = (source.stock as Map<string, number>).get(transfer.sku) ?? 0;
          const floor = source.kind === 'store' ? rules.storeBalance.minUnits : 0;
          expect(transfer.quantity).toBeLessThanOrEqual(available - floor);
          moved.set(transfer.sku, (moved.get(transfer.sku) ?? 0) + transfer.quantity);
        }
        expect(new Set((group.transfers ?? []).map((t) => t.from)).size).toBeLessThanOrEqual(
          rules.transfers.maxSources,
        );
        for (const [sku, quantity] of Object.entries(lines)) {
          const own = (pickupStore.stock as Map<string, number>).get(sku) ?? 0;
          expect(Math.min(own, quantity) + (moved.get(sku) ?? 0)).toBe(quantity);
        }
      }),
      { numRuns: 300 },
    );
    expect(transferred).toBeGreaterThan(20);
  });

  it('an explanation packed for storage reads back exactly as planned, every sentence included', () => {
    let packedChars = 0;
    let fullChars = 0;
    fc.assert(
      fc.property(arbWorld, fc.boolean(), (world, pickup) => {
        const { candidates, rules, order } = buildWorld(world);
        const request = pickup
          ? { ...order, fulfillment: { type: 'pickup', store: candidates[0]!.code } }
          : order;
        const explanation = plan(request as SourcingOrder, candidates, rules).explanation;
        const stored = JSON.stringify(packExplanation(explanation));
        packedChars += stored.length;
        fullChars += JSON.stringify(explanation).length;
        expect(unpackExplanation(JSON.parse(stored))).toEqual(JSON.parse(JSON.stringify(explanation)));
      }),
      { numRuns: 300 },
    );
    // Entries written before packing existed read as they are.
    const old: LocationExplanation = {
      location: 'SH01',
      decision: 'excluded',
      reasons: ['INACTIVE'],
      message: 'SH01 excluded: it is not active.',
    };
    expect(unpackExplanation([old])).toEqual([old]);
    expect(packedChars).toBeLessThan(fullChars / 2);
  });
});
