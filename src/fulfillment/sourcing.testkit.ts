import fc from 'fast-check';
import {
  type SourcingCandidate,
  type SourcingOrder,
  type SourcingRules,
  sourcingRulesFor,
} from './sourcing.config.js';
import type { FulfillmentPlan, LocationExplanation, PlannedFulfillment } from './sourcing.plan.js';
import { planFulfillment } from './sourcing.rules.js';

/* The sourcing planner's tests share these: places, locations, orders, and random worlds for the properties. */

export const NOW = new Date('2026-11-22T02:00:00.000Z');
export const RULES = sourcingRulesFor('online');

// Places, with distances from the Shanghai address below: JA ≈ 2.8 km, PD ≈ 3.0 km, XH ≈ 5.2 km,
// SZ (Suzhou) ≈ 85 km, BJ (Beijing) ≈ 1,068 km.
const PLACES = {
  JA: { city: '上海', lat: 31.2236, lng: 121.4454 },
  XH: { city: '上海', lat: 31.1951, lng: 121.4372 },
  PD: { city: '上海', lat: 31.2335, lng: 121.5055 },
  SZ: { city: '苏州', lat: 31.2989, lng: 120.5853 },
  BJ: { city: '北京', lat: 39.9087, lng: 116.3975 },
} as const;
export const ADDRESS = { city: '上海', lat: 31.2304, lng: 121.4737 };

export function warehouse(
  code: string,
  place: keyof typeof PLACES,
  stock: Record<string, number>,
  over = {},
) {
  return location(code, 'warehouse', place, stock, over);
}
export function store(
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

export function delivery(lines: Record<string, number>, over: Partial<SourcingOrder> = {}): SourcingOrder {
  return {
    channel: 'online',
    lines: Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity })),
    fulfillment: { type: 'delivery', address: ADDRESS },
    ...over,
  };
}

export function plan(order: SourcingOrder, candidates: SourcingCandidate[], rules: SourcingRules = RULES) {
  return planFulfillment(order, candidates, rules, { now: NOW });
}
export function planned(order: SourcingOrder, candidates: SourcingCandidate[], rules: SourcingRules = RULES) {
  const result = plan(order, candidates, rules);
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.unfulfillable)}`);
  return result;
}
export function failed(order: SourcingOrder, candidates: SourcingCandidate[], rules: SourcingRules = RULES) {
  const result = plan(order, candidates, rules);
  if (result.ok) throw new Error(`expected no plan, got ${JSON.stringify(result.groups)}`);
  return result;
}
export function sources(result: PlannedFulfillment) {
  return result.groups.map((g) => `${g.location}:${g.lines.map((l) => `${l.sku}×${l.quantity}`).join(',')}`);
}
export function why(result: FulfillmentPlan, code: string): LocationExplanation {
  const entry = result.explanation.find((e) => e.location === code);
  if (!entry) throw new Error(`no explanation for ${code}`);
  return entry;
}

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

export const arbWorld = fc.record({
  candidates: fc.array(arbCandidate, { minLength: 1, maxLength: 10 }),
  lines: fc.dictionary(fc.constantFrom(...SKUS), fc.integer({ min: 1, max: 4 }), { minKeys: 1, maxKeys: 4 }),
  maxSplits: fc.integer({ min: 1, max: 3 }),
  splitLines: mostly,
  minUnits: fc.integer({ min: 0, max: 1 }),
  fromStores: mostly,
});

type World = typeof arbWorld extends fc.Arbitrary<infer T> ? T : never;

export function buildWorld(world: World) {
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
