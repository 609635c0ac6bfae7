import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCING_RULES, type SourcingOrder } from './sourcing.config.js';
import {
  ADDRESS,
  delivery,
  failed,
  planned,
  RULES,
  sources,
  store,
  warehouse,
  why,
} from './sourcing.testkit.js';

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

  it('fails for the address when no store’s radius covers it, and for the stock when one does', () => {
    const result = failed(sameDay({ A: 1 }), [store('SZ', 'SZ', { A: 9 }), warehouse('W', 'JA', { A: 9 })]);
    expect(result.unfulfillable).toEqual([{ sku: 'A', quantity: 1, reason: 'OUTSIDE_SAME_DAY_RADIUS' }]);
    expect(why(result, 'SZ').reasons).toEqual(['OUTSIDE_SAME_DAY_RADIUS']);
    const noneOffer = failed(sameDay({ A: 1 }), [warehouse('W', 'JA', { A: 9 })]);
    expect(noneOffer.unfulfillable[0]?.reason).toBe('NO_SAME_DAY_CAPABILITY');
    const covered = failed(sameDay({ A: 1 }), [store('PD', 'PD', { B: 9 })]);
    expect(covered.unfulfillable).toEqual([{ sku: 'A', quantity: 1, reason: 'INSUFFICIENT_STOCK' }]);
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
});
