import type { Channel } from '../platform/channels.js';
import { distanceKm } from '../platform/geo.js';
import { FulfillmentErrors } from './fulfillment.errors.js';

/*
 * Sourcing (寻源): which location(s) fulfil an order, and why. Pure: the order service reads the candidates
 * (locations with their available stock), calls planFulfillment, then reserves exactly what the plan says.
 *
 * Ranking, in this order: the fewest locations (one location holding everything first), then the channel's
 * tie-breakers (priority tier, distance, kind), then the location code, so that the same inputs always give the
 * same plan whatever order the candidates arrive in.
 */

// ---------------------------------------------------------------------------------------------------------------
// Inputs

export type LocationKind = 'warehouse' | 'store';
export type FulfillmentGroupType = 'ship' | 'pickup' | 'same_day' | 'carry_out';

export interface SourcingAddress {
  city: string;
  lat: number;
  lng: number;
}

/** How the customer receives the goods (API.md `fulfillment`). */
export type FulfillmentRequest =
  | { type: 'delivery'; address: SourcingAddress }
  | { type: 'pickup'; store: string }
  | { type: 'same_day'; address: SourcingAddress }
  /** The selling store is `store`, or the order's `storeCode` when absent (API.md sends none). */
  | { type: 'carry_out'; store?: string | undefined };

export interface SourcingLine {
  sku: string;
  quantity: number;
}

export interface SourcingOrder {
  channel: Channel;
  lines: readonly SourcingLine[];
  fulfillment: FulfillmentRequest;
  /** Where a pos or wecom sale happened. */
  storeCode?: string | null | undefined;
}

/** Units by SKU code: a Map or a plain object; a missing SKU is 0. */
export type StockBySku = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export interface SourcingCandidate {
  code: string;
  kind: LocationKind;
  city: string;
  lat: number;
  lng: number;
  capabilities: { pickup: boolean; shipFromStore: boolean; sameDayRadiusKm: number | null };
  /** Lower is preferred (warehouses are usually tier 1, stores tier 2). */
  priorityTier: number;
  /** Fulfillment groups the location can still take today; null = unlimited. */
  remainingCapacity: number | null;
  active: boolean;
  /** Available to promise: already net of reservations, safety stock and the channel's extra safety stock. */
  stock: StockBySku;
  /** On hand by SKU, the base of the percentage stock floor; when absent the available figure is used. */
  onHand?: StockBySku | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Rules

/** Criteria that order locations after "fewest locations"; the location code always breaks the last tie. */
export type SourcingTieBreaker = 'priority_tier' | 'distance' | 'warehouses_first' | 'stores_first';

/** A transfer's lead time between cities: the first band whose `upToKm` covers the distance (null = any). */
export interface TransferBand {
  upToKm: number | null;
  hours: number;
}

export interface SourcingRules {
  /** Which kinds of location may ship a delivery order (stores also need the ship-from-store capability). */
  deliveryFrom: { warehouses: boolean; stores: boolean };
  /** The most locations (groups) a delivery or same-day order may be split across; 1 = never split. */
  maxSplits: number;
  /** Whether one line's quantity may come from several locations when none holds all of it. */
  splitLines: boolean;
  tieBreakers: readonly SourcingTieBreaker[];
  /**
   * Inventory balance: a store never ships or transfers out stock that would leave it below
   * max(minUnits, ⌈minShareOfOnHand × on hand⌉) available, so walk-in customers still find the item.
   * Warehouses exist to be drained and are exempt; so is a store's own pickup or carry-out sale.
   */
  storeBalance: { minUnits: number; minShareOfOnHand: number };
  /** Pickup at a store that lacks some lines: where the missing units may come from and how long they take. */
  transfers: {
    fromWarehouses: boolean;
    fromStores: boolean;
    maxSources: number;
    sameCityHours: number;
    bands: readonly TransferBand[];
  };
  /** Time from placing to "ready for pickup" when the store holds everything. */
  pickupReadyHours: number;
  /** Nodes the exact combination search may visit before it settles for a greedy cover. */
  searchBudget: number;
}

const BASE_RULES: SourcingRules = {
  deliveryFrom: { warehouses: true, stores: true },
  maxSplits: 2,
  splitLines: true,
  tieBreakers: ['priority_tier', 'distance'],
  storeBalance: { minUnits: 1, minShareOfOnHand: 0 },
  transfers: {
    fromWarehouses: true,
    fromStores: true,
    maxSources: 2,
    sameCityHours: 24,
    bands: [
      { upToKm: 500, hours: 48 },
      { upToKm: null, hours: 72 },
    ],
  },
  pickupReadyHours: 2,
  searchBudget: 20_000,
};

/**
 * Per-channel defaults. Marketplaces and live-stream sales ship from warehouses only: their platforms hold the
 * brand to dispatch deadlines a store cannot promise during a peak, and a live-stream order is one parcel.
 */
export const DEFAULT_SOURCING_RULES: Readonly<Record<Channel, SourcingRules>> = deepFreeze({
  online: BASE_RULES,
  mini_program: BASE_RULES,
  pos: BASE_RULES,
  wecom: BASE_RULES,
  marketplace: { ...BASE_RULES, deliveryFrom: { warehouses: true, stores: false } },
  live: { ...BASE_RULES, deliveryFrom: { warehouses: true, stores: false }, maxSplits: 1 },
});

// Every request shares these objects: a caller that changed one would change every later plan.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The channel's default rules with some settings replaced (nested objects are replaced whole). */
export function sourcingRulesFor(channel: Channel, overrides: Partial<SourcingRules> = {}): SourcingRules {
  return { ...DEFAULT_SOURCING_RULES[channel], ...overrides };
}

// ---------------------------------------------------------------------------------------------------------------
// Output

/** Stable machine codes for why a location was chosen, excluded or not needed. */
export type SourcingReason =
  | 'HOLDS_ALL_LINES'
  | 'FEWEST_SPLITS'
  | 'PICKUP_STORE'
  | 'TRANSFER_SOURCE'
  | 'SELLING_STORE'
  | 'ENDLESS_AISLE'
  | 'SEARCH_LIMITED'
  | 'INACTIVE'
  | 'KIND_NOT_ALLOWED'
  | 'NO_SHIP_FROM_STORE_CAPABILITY'
  | 'NO_PICKUP_CAPABILITY'
  | 'NO_SAME_DAY_CAPABILITY'
  | 'OUTSIDE_SAME_DAY_RADIUS'
  | 'NO_CAPACITY'
  | 'INSUFFICIENT_STOCK'
  | 'BALANCE_FLOOR'
  | 'SPLIT_LIMIT'
  | 'NOT_SELLING_STORE'
  | 'NOT_PICKUP_STORE'
  | 'PICKUP_STORE_HAS_STOCK'
  | 'PICKUP_STORE_UNAVAILABLE'
  | 'SELLING_STORE_UNAVAILABLE'
  | 'WOULD_SPLIT'
  | 'BETTER_COMBINATION'
  | 'LOWER_PRIORITY_TIER'
  | 'FARTHER_THAN_CHOSEN'
  | 'KIND_PREFERENCE'
  | 'TIE_BROKEN_BY_CODE'
  | 'SLOWER_TRANSFER';

export type SourcingDecision = 'chosen' | 'excluded' | 'not_needed';

export interface LocationExplanation {
  location: string;
  decision: SourcingDecision;
  reasons: readonly SourcingReason[];
  /** One human sentence; the console may show its own text keyed by the reason codes. */
  message: string;
  distanceKm?: number;
}

export interface PlannedTransfer {
  from: string;
  sku: string;
  quantity: number;
}

export interface PlannedGroup {
  location: string;
  type: FulfillmentGroupType;
  lines: SourcingLine[];
  /** Pickup only: units other locations send to the pickup store first. */
  transfers?: PlannedTransfer[];
  /** Pickup only: when the goods should be ready at the counter (ISO 8601 UTC). */
  readyBy?: string;
  /** Delivery and same-day: from the location to the address. */
  distanceKm?: number;
}

export type UnfulfillableReason =
  | 'INSUFFICIENT_STOCK'
  | 'SPLIT_LIMIT'
  | 'PICKUP_STORE_UNAVAILABLE'
  | 'SELLING_STORE_UNAVAILABLE';

export interface UnfulfillableLine {
  sku: string;
  /** The units that cannot be sourced. */
  quantity: number;
  reason: UnfulfillableReason;
}

export interface PlannedFulfillment {
  ok: true;
  groups: PlannedGroup[];
  explanation: LocationExplanation[];
}

export interface UnfulfillablePlan {
  ok: false;
  groups: [];
  explanation: LocationExplanation[];
  unfulfillable: UnfulfillableLine[];
}

/** Every line covered exactly (`ok: true`), or nothing planned and the lines that could not be sourced. */
export type FulfillmentPlan = PlannedFulfillment | UnfulfillablePlan;

/** Narrows a plan to success, or throws `FULFILLMENT.NO_SOURCE` (409) naming what could not be sourced. */
export function assertPlanned(plan: FulfillmentPlan): asserts plan is PlannedFulfillment {
  if (plan.ok) return;
  const detail = plan.unfulfillable
    .map((line) => `${line.quantity} × ${line.sku} (${line.reason})`)
    .join(', ');
  throw FulfillmentErrors.noSource(`No location can fulfil: ${detail}`, {
    extra: { unfulfillable: plan.unfulfillable, explanation: plan.explanation },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The planner

export interface PlanOptions {
  /** The clock for `readyBy`; the planner is otherwise independent of time. */
  now?: Date;
}

/**
 * Plans who fulfils `order`: every line covered exactly by groups of one location each, or a failure naming the
 * lines that cannot be sourced (the caller answers FULFILLMENT.NO_SOURCE, see `assertPlanned`). Every candidate
 * gets one explanation entry. Candidates are given once each (codes are unique); their order does not matter.
 * Malformed input (no lines, a quantity that is not a positive integer, bad rules) is a bug and throws RangeError.
 */
export function planFulfillment(
  order: SourcingOrder,
  candidates: readonly SourcingCandidate[],
  rules: SourcingRules = DEFAULT_SOURCING_RULES[order.channel],
  options: PlanOptions = {},
): FulfillmentPlan {
  if (!(rules.maxSplits >= 1) || !(rules.transfers.maxSources >= 1)) {
    throw new RangeError('sourcing rules: maxSplits and transfers.maxSources must be at least 1');
  }
  const lines = mergeLines(order.lines);
  const now = options.now ?? new Date();
  const fulfillment = order.fulfillment;
  switch (fulfillment.type) {
    case 'delivery':
      return planShipment(order, lines, candidates, rules, 'ship', fulfillment.address);
    case 'same_day':
      return planShipment(order, lines, candidates, rules, 'same_day', fulfillment.address);
    case 'pickup':
      return planPickup(lines, candidates, rules, fulfillment.store, now);
    case 'carry_out':
      return planCarryOut(lines, candidates, fulfillment.store ?? order.storeCode ?? null);
  }
}

/** One line per SKU, in the order first seen: the plan and the reservation speak per SKU. */
function mergeLines(lines: readonly SourcingLine[]): SourcingLine[] {
  if (lines.length === 0) throw new RangeError('an order needs at least one line');
  const merged: SourcingLine[] = [];
  const index = new Map<string, number>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(`line ${line.sku}: quantity must be a positive integer`);
    }
    const at = index.get(line.sku);
    if (at === undefined) {
      index.set(line.sku, merged.length);
      merged.push({ sku: line.sku, quantity: line.quantity });
    } else {
      merged[at]!.quantity += line.quantity;
    }
  }
  return merged;
}

function stockOf(stock: StockBySku, sku: string, isMap = stock instanceof Map): number {
  const value = isMap
    ? (stock as ReadonlyMap<string, number>).get(sku)
    : (stock as Readonly<Record<string, number>>)[sku];
  return typeof value === 'number' && value > 0 ? Math.floor(value) : 0;
}

/** What a location may send out of `available` under the inventory-balance rule. */
function outboundUsable(candidate: SourcingCandidate, sku: string, available: number, rules: SourcingRules) {
  if (available === 0 || candidate.kind !== 'store') return available;
  const { minUnits, minShareOfOnHand } = rules.storeBalance;
  let floor = Math.max(minUnits, 0);
  if (minShareOfOnHand > 0) {
    const base = candidate.onHand ? stockOf(candidate.onHand, sku) : available;
    // The epsilon keeps 0.3 × 10 at 3 rather than ⌈3.0000000000000004⌉ = 4.
    const share = Math.ceil(minShareOfOnHand * base - 1e-9);
    if (share > floor) floor = share;
  }
  return available > floor ? available - floor : 0;
}

function roundKm(km: number): number {
  return Math.round(km * 100) / 100;
}

/** A location that passed the static checks and holds at least one needed unit, with its ranking facts. */
interface PoolEntry {
  candidate: SourcingCandidate;
  /** Per line: units it may give, capped at the line's need (0 when it holds less than a whole line and lines may not split). */
  usable: number[];
  distanceKm: number;
  cost: number[];
  /** Transfers only: hours for its units to reach the pickup store. */
  hours: number;
}

function compareEntries(a: PoolEntry, b: PoolEntry): number {
  const byCost = compareVectors(a.cost, b.cost);
  if (byCost !== 0) return byCost;
  return a.candidate.code < b.candidate.code ? -1 : a.candidate.code > b.candidate.code ? 1 : 0;
}

function compareVectors(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  offsetA = 0,
  offsetB = 0,
  length = a.length,
) {
  for (let j = 0; j < length; j++) {
    const d = a[offsetA + j]! - b[offsetB + j]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function costVector(tieBreakers: readonly SourcingTieBreaker[], c: SourcingCandidate, distanceKm: number) {
  const cost: number[] = new Array(tieBreakers.length);
  for (let j = 0; j < tieBreakers.length; j++) {
    switch (tieBreakers[j]!) {
      case 'priority_tier':
        cost[j] = c.priorityTier;
        break;
      case 'distance':
        // Whole metres: exact sums, and two locations a few centimetres apart really are tied.
        cost[j] = Math.round(distanceKm * 1000);
        break;
      case 'warehouses_first':
        cost[j] = c.kind === 'warehouse' ? 0 : 1;
        break;
      case 'stores_first':
        cost[j] = c.kind === 'store' ? 0 : 1;
        break;
    }
  }
  return cost;
}

const CRITERION_REASON: Record<SourcingTieBreaker, SourcingReason> = {
  priority_tier: 'LOWER_PRIORITY_TIER',
  distance: 'FARTHER_THAN_CHOSEN',
  warehouses_first: 'KIND_PREFERENCE',
  stores_first: 'KIND_PREFERENCE',
};

/**
 * The units per line a location may give, capped at the need, or the reason it gives none. Most candidates hold
 * none of an order's SKUs, so nothing is allocated for them: this loop runs for every location of the brand.
 */
function usableStock(
  candidate: SourcingCandidate,
  lines: readonly SourcingLine[],
  need: readonly number[],
  rules: SourcingRules,
): number[] | 'INSUFFICIENT_STOCK' | 'BALANCE_FLOOR' {
  const stock = candidate.stock;
  const isMap = stock instanceof Map;
  let usable: number[] | null = null;
  let floored = false;
  for (let l = 0; l < lines.length; l++) {
    const want = need[l]!;
    if (want === 0) continue;
    const sku = lines[l]!.sku;
    const available = stockOf(stock, sku, isMap);
    if (available === 0) continue;
    let units = outboundUsable(candidate, sku, available, rules);
    if (units === 0) floored = true;
    if (units > want) units = want;
    else if (units < want && !rules.splitLines) units = 0;
    if (units === 0) continue;
    if (usable === null) usable = new Array<number>(lines.length).fill(0);
    usable[l] = units;
  }
  return usable ?? (floored ? 'BALANCE_FLOOR' : 'INSUFFICIENT_STOCK');
}

// Static exclusions as bits, so that the per-location loop allocates nothing for a location it excludes.
const STATIC_REASONS: readonly SourcingReason[] = [
  'INACTIVE',
  'KIND_NOT_ALLOWED',
  'NO_SHIP_FROM_STORE_CAPABILITY',
  'NO_PICKUP_CAPABILITY',
  'NO_SAME_DAY_CAPABILITY',
  'OUTSIDE_SAME_DAY_RADIUS',
  'NO_CAPACITY',
];
const INACTIVE = 1;
const KIND_NOT_ALLOWED = 2;
const NO_SHIP_FROM_STORE = 4;
const NO_SAME_DAY = 16;
const OUTSIDE_RADIUS = 32;
const NO_CAPACITY = 64;

const reasonsByBits = new Map<number, { reasons: readonly SourcingReason[]; text: string }>();

/** The shared, frozen reason list and sentence tail for a set of static exclusions. */
function staticReasons(bits: number): { reasons: readonly SourcingReason[]; text: string } {
  let found = reasonsByBits.get(bits);
  if (!found) {
    const reasons = Object.freeze(STATIC_REASONS.filter((_, i) => (bits & (1 << i)) !== 0));
    found = { reasons, text: ` excluded: ${phrases(reasons)}.` };
    reasonsByBits.set(bits, found);
  }
  return found;
}

const SINGLE = new Map<SourcingReason, { reasons: readonly SourcingReason[]; text: string }>();

/** A shared, frozen one-reason list with its sentence tail. */
function only(reason: SourcingReason): { reasons: readonly SourcingReason[]; text: string } {
  let found = SINGLE.get(reason);
  if (!found) {
    found = { reasons: Object.freeze([reason]), text: ` excluded: ${PHRASE[reason]}.` };
    SINGLE.set(reason, found);
  }
  return found;
}

// ---- delivery and same-day --------------------------------------------------------------------------------------

function planShipment(
  order: SourcingOrder,
  lines: SourcingLine[],
  candidates: readonly SourcingCandidate[],
  rules: SourcingRules,
  type: 'ship' | 'same_day',
  address: SourcingAddress,
): FulfillmentPlan {
  const need = lines.map((line) => line.quantity);
  const pool: PoolEntry[] = [];
  const excluded: LocationExplanation[] = [];

  for (const c of candidates) {
    let bits = 0;
    let distance = Number.NaN;
    if (!c.active) bits |= INACTIVE;
    if (type === 'ship') {
      if (c.kind === 'warehouse') {
        if (!rules.deliveryFrom.warehouses) bits |= KIND_NOT_ALLOWED;
      } else if (!rules.deliveryFrom.stores) bits |= KIND_NOT_ALLOWED;
      else if (!c.capabilities.shipFromStore) bits |= NO_SHIP_FROM_STORE;
    } else {
      const radius = c.capabilities.sameDayRadiusKm;
      if (c.kind !== 'store' || radius === null || !(radius > 0)) bits |= NO_SAME_DAY;
      else {
        distance = distanceKm(address, c);
        if (distance > radius) bits |= OUTSIDE_RADIUS;
      }
    }
    if (c.remainingCapacity !== null && c.remainingCapacity <= 0) bits |= NO_CAPACITY;
    if (bits !== 0) {
      excluded.push(exclude(c.code, staticReasons(bits), Number.isNaN(distance) ? undefined : distance));
      continue;
    }
    const usable = usableStock(c, lines, need, rules);
    if (typeof usable === 'string') {
      excluded.push(exclude(c.code, only(usable)));
      continue;
    }
    if (Number.isNaN(distance)) distance = distanceKm(address, c);
    pool.push({
      candidate: c,
      usable,
      distanceKm: distance,
      cost: costVector(rules.tieBreakers, c, distance),
      hours: 0,
    });
  }
  pool.sort(compareEntries);
  sortByCode(excluded);
  assertDistinct(pool);

  const short = shortLines(lines, need, pool);
  if (short.length > 0) return failure(short, pool, excluded, 'INSUFFICIENT_STOCK', lines.length);

  const cover = findCover(pool, need, rules.maxSplits, rules.searchBudget);
  if (!cover.members) {
    return failure(splitShortfall(lines, cover.remaining), pool, excluded, 'SPLIT_LIMIT', lines.length);
  }

  const allocation = allocate(pool, cover.members, need);
  const sellingStore =
    (order.channel === 'pos' || order.channel === 'wecom') && order.storeCode ? order.storeCode : null;
  const groups: PlannedGroup[] = [];
  const chosen: LocationExplanation[] = [];
  const chosenIndexes: number[] = [];
  for (let m = 0; m < cover.members.length; m++) {
    const entry = pool[cover.members[m]!]!;
    const groupLines = allocatedLines(lines, allocation[m]!);
    if (groupLines.length === 0) continue;
    chosenIndexes.push(cover.members[m]!);
    const km = roundKm(entry.distanceKm);
    groups.push({ location: entry.candidate.code, type, lines: groupLines, distanceKm: km });
    const reasons: SourcingReason[] = [
      groupLines.length === lines.length && cover.members.length === 1 ? 'HOLDS_ALL_LINES' : 'FEWEST_SPLITS',
    ];
    if (sellingStore !== null && type === 'ship' && entry.candidate.code !== sellingStore) {
      reasons.push('ENDLESS_AISLE');
    }
    if (cover.method !== 'exact') reasons.push('SEARCH_LIMITED');
    chosen.push({
      location: entry.candidate.code,
      decision: 'chosen',
      reasons,
      message: `${entry.candidate.code} chosen: ${phrases(reasons)} (${describeLines(groupLines)}; ${km} km, tier ${entry.candidate.priorityTier}).`,
      distanceKm: km,
    });
  }
  const notNeeded = explainNotNeeded(pool, chosenIndexes, rules.tieBreakers, need, false);
  return { ok: true, groups, explanation: [...chosen, ...notNeeded, ...excluded] };
}

// ---- pickup ----------------------------------------------------------------------------------------------------

function planPickup(
  lines: SourcingLine[],
  candidates: readonly SourcingCandidate[],
  rules: SourcingRules,
  storeCode: string,
  now: Date,
): FulfillmentPlan {
  const store = candidates.find((c) => c.code === storeCode);
  const storeReasons: SourcingReason[] = [];
  if (!store) storeReasons.push('PICKUP_STORE_UNAVAILABLE');
  else {
    if (!store.active) storeReasons.push('INACTIVE');
    if (store.kind !== 'store' || !store.capabilities.pickup) storeReasons.push('NO_PICKUP_CAPABILITY');
  }
  if (!store || storeReasons.length > 0) {
    const explanation = candidates
      .filter((c) => c.code !== storeCode)
      .map((c) => exclude(c.code, only('PICKUP_STORE_UNAVAILABLE')));
    if (store) explanation.unshift(exclude(store.code, reasonList(storeReasons)));
    return {
      ok: false,
      groups: [],
      explanation: sortByCode(explanation),
      unfulfillable: lines.map((line) => ({ ...line, reason: 'PICKUP_STORE_UNAVAILABLE' as const })),
    };
  }

  // The customer chose this store: its own stock is sold to them whatever its floor or packing capacity.
  const shortfall = lines.map((line) => {
    const held = stockOf(store.stock, line.sku);
    return held >= line.quantity ? 0 : line.quantity - held;
  });
  const needsTransfer = shortfall.some((q) => q > 0);
  const readyHours = rules.pickupReadyHours;

  if (!needsTransfer) {
    const others = candidates
      .filter((c) => c.code !== store.code)
      .map<LocationExplanation>((c) => ({
        location: c.code,
        decision: 'not_needed',
        reasons: ['PICKUP_STORE_HAS_STOCK'],
        message: `${c.code} not needed: ${phrases(['PICKUP_STORE_HAS_STOCK'])}.`,
      }));
    return {
      ok: true,
      groups: [{ location: store.code, type: 'pickup', lines, readyBy: hoursAfter(now, readyHours) }],
      explanation: [
        {
          location: store.code,
          decision: 'chosen',
          reasons: ['PICKUP_STORE', 'HOLDS_ALL_LINES'],
          message: `${store.code} chosen: ${phrases(['PICKUP_STORE', 'HOLDS_ALL_LINES'])}; ready in ${readyHours} h.`,
        },
        ...sortByCode(others),
      ],
    };
  }

  const pool: PoolEntry[] = [];
  const excluded: LocationExplanation[] = [];
  for (const c of candidates) {
    if (c.code === store.code) continue;
    let bits = 0;
    if (!c.active) bits |= INACTIVE;
    if (c.kind === 'warehouse' ? !rules.transfers.fromWarehouses : !rules.transfers.fromStores) {
      bits |= KIND_NOT_ALLOWED;
    }
    if (c.remainingCapacity !== null && c.remainingCapacity <= 0) bits |= NO_CAPACITY;
    if (bits !== 0) {
      excluded.push(exclude(c.code, staticReasons(bits)));
      continue;
    }
    const usable = usableStock(c, lines, shortfall, rules);
    if (typeof usable === 'string') {
      excluded.push(exclude(c.code, only(usable)));
      continue;
    }
    const distance = distanceKm(store, c);
    pool.push({
      candidate: c,
      usable,
      distanceKm: distance,
      // Nearest first, a warehouse before a store at the same distance rank: replenishing from a warehouse
      // does not drain another store's shelf.
      cost: [c.kind === 'warehouse' ? 0 : 1, Math.round(distance * 1000), c.priorityTier],
      hours: transferHours(c, store, distance, rules),
    });
  }
  pool.sort(compareEntries);
  sortByCode(excluded);
  assertDistinct(pool);
  if (
    pool.some((e) => e.candidate.code === store.code) ||
    excluded.length + pool.length + 1 !== candidates.length
  ) {
    duplicate(store.code);
  }

  const short = shortLines(lines, shortfall, pool);
  if (short.length > 0) {
    const plan = failure(short, pool, excluded, 'INSUFFICIENT_STOCK', lines.length);
    plan.explanation.unshift(pickupStoreShort(store.code));
    return plan;
  }

  // The fastest arrival wins first (same city before other cities), then the fewest sources within it.
  const bands = [...new Set(pool.map((e) => e.hours))].sort((a, b) => a - b);
  let cover: Cover = { members: null, method: 'exact', remaining: shortfall };
  let bandPool: PoolEntry[] = pool;
  for (const hours of bands) {
    bandPool = pool.filter((e) => e.hours <= hours);
    cover = findCover(bandPool, shortfall, rules.transfers.maxSources, rules.searchBudget);
    if (cover.members) break;
  }
  if (!cover.members) {
    const plan = failure(splitShortfall(lines, cover.remaining), pool, excluded, 'SPLIT_LIMIT', lines.length);
    plan.explanation.unshift(pickupStoreShort(store.code));
    return plan;
  }

  const allocation = allocate(bandPool, cover.members, shortfall);
  const transfers: PlannedTransfer[] = [];
  const sources: LocationExplanation[] = [];
  const chosenIndexes: number[] = [];
  let slowest = 0;
  for (let m = 0; m < cover.members.length; m++) {
    const entry = bandPool[cover.members[m]!]!;
    const moved = allocatedLines(lines, allocation[m]!);
    if (moved.length === 0) continue;
    chosenIndexes.push(pool.indexOf(entry));
    if (entry.hours > slowest) slowest = entry.hours;
    for (const line of moved)
      transfers.push({ from: entry.candidate.code, sku: line.sku, quantity: line.quantity });
    const reasons: SourcingReason[] = ['TRANSFER_SOURCE'];
    if (cover.method !== 'exact') reasons.push('SEARCH_LIMITED');
    const km = roundKm(entry.distanceKm);
    sources.push({
      location: entry.candidate.code,
      decision: 'chosen',
      reasons,
      message: `${entry.candidate.code} chosen: ${phrases(reasons)} (${describeLines(moved)}; ${km} km from ${store.code}, about ${entry.hours} h).`,
      distanceKm: km,
    });
  }
  chosenIndexes.sort((a, b) => a - b);
  const readyIn = slowest + readyHours;
  const notNeeded = explainNotNeeded(pool, chosenIndexes, TRANSFER_CRITERIA, shortfall, true, slowest);
  return {
    ok: true,
    groups: [{ location: store.code, type: 'pickup', lines, transfers, readyBy: hoursAfter(now, readyIn) }],
    explanation: [
      {
        location: store.code,
        decision: 'chosen',
        reasons: ['PICKUP_STORE'],
        message: `${store.code} chosen: ${phrases(['PICKUP_STORE'])}; it lacks ${describeLines(
          lines.flatMap((line, l) => (shortfall[l]! > 0 ? [{ sku: line.sku, quantity: shortfall[l]! }] : [])),
        )}, ready in about ${readyIn} h after transfers.`,
      },
      ...sources,
      ...notNeeded,
      ...excluded,
    ],
  };
}

// The transfer pool's cost vector is [kind, distance, tier]; its first differing entry names the reason.
const TRANSFER_CRITERIA: readonly SourcingTieBreaker[] = ['warehouses_first', 'distance', 'priority_tier'];

function transferHours(
  from: SourcingCandidate,
  to: SourcingCandidate,
  km: number,
  rules: SourcingRules,
): number {
  if (from.city === to.city) return rules.transfers.sameCityHours;
  const bands = rules.transfers.bands;
  for (const band of bands) if (band.upToKm === null || km <= band.upToKm) return band.hours;
  return bands.length > 0 ? bands[bands.length - 1]!.hours : rules.transfers.sameCityHours;
}

function pickupStoreShort(code: string): LocationExplanation {
  return {
    location: code,
    decision: 'excluded',
    reasons: ['INSUFFICIENT_STOCK'],
    message: `${code} excluded: ${phrases(['INSUFFICIENT_STOCK'])}, and no transfer can make up the difference.`,
  };
}

function hoursAfter(now: Date, hours: number): string {
  return new Date(now.getTime() + hours * 3_600_000).toISOString();
}

// ---- carry-out --------------------------------------------------------------------------------------------------

function planCarryOut(
  lines: SourcingLine[],
  candidates: readonly SourcingCandidate[],
  storeCode: string | null,
): FulfillmentPlan {
  const store = storeCode === null ? undefined : candidates.find((c) => c.code === storeCode);
  const others = sortByCode(
    candidates.filter((c) => c.code !== storeCode).map((c) => exclude(c.code, only('NOT_SELLING_STORE'))),
  );
  const reasons: SourcingReason[] = [];
  if (store) {
    if (!store.active) reasons.push('INACTIVE');
    if (store.kind !== 'store') reasons.push('KIND_NOT_ALLOWED');
  }
  if (!store || reasons.length > 0) {
    return {
      ok: false,
      groups: [],
      explanation: store ? [exclude(store.code, reasonList(reasons)), ...others] : others,
      unfulfillable: lines.map((line) => ({ ...line, reason: 'SELLING_STORE_UNAVAILABLE' as const })),
    };
  }
  const unfulfillable: UnfulfillableLine[] = [];
  for (const line of lines) {
    const held = stockOf(store.stock, line.sku);
    if (held < line.quantity) {
      unfulfillable.push({ sku: line.sku, quantity: line.quantity - held, reason: 'INSUFFICIENT_STOCK' });
    }
  }
  if (unfulfillable.length > 0) {
    return {
      ok: false,
      groups: [],
      explanation: [exclude(store.code, only('INSUFFICIENT_STOCK')), ...others],
      unfulfillable,
    };
  }
  return {
    ok: true,
    groups: [{ location: store.code, type: 'carry_out', lines }],
    explanation: [
      {
        location: store.code,
        decision: 'chosen',
        reasons: ['SELLING_STORE', 'HOLDS_ALL_LINES'],
        message: `${store.code} chosen: ${phrases(['SELLING_STORE', 'HOLDS_ALL_LINES'])}.`,
      },
      ...others,
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The combination search

interface Cover {
  /** Pool indexes (ascending = best ranked first), or null when no combination within the limit covers. */
  members: number[] | null;
  method: 'exact' | 'bounded' | 'greedy';
  /** When members is null: the units per line a best-effort cover leaves short. */
  remaining: readonly number[];
}

/**
 * The fewest pool entries whose usable units cover `need`, and among those the lowest summed cost vector,
 * then the lowest ranks. Exact by iterative deepening: at each depth it branches only on entries that hold
 * the first line still short (every cover must contain one), prunes with a lower bound on the remaining cost and
 * on each line's reachable units, and stops at `budget` nodes. A search that hits the budget keeps the best cover
 * of the proven-minimal size it has seen ('bounded'), or else falls back to a greedy cover ('greedy').
 */
function findCover(
  pool: readonly PoolEntry[],
  needList: readonly number[],
  maxK: number,
  budget: number,
): Cover {
  const n = pool.length;
  const L = needList.length;
  const D = n > 0 ? pool[0]!.cost.length : 0;
  const need = Int32Array.from(needList);
  const usable = new Int32Array(n * L);
  const cost = new Float64Array(n * D);
  for (let i = 0; i < n; i++) {
    const entry = pool[i]!;
    for (let l = 0; l < L; l++) usable[i * L + l] = entry.usable[l]!;
    for (let j = 0; j < D; j++) cost[i * D + j] = entry.cost[j]!;
  }

  single: for (let i = 0; i < n; i++) {
    const base = i * L;
    for (let l = 0; l < L; l++) if (usable[base + l]! < need[l]!) continue single;
    return { members: [i], method: 'exact', remaining: [] };
  }

  const maxUsable = new Int32Array(L);
  for (let i = 0; i < n; i++) {
    for (let l = 0; l < L; l++) if (usable[i * L + l]! > maxUsable[l]!) maxUsable[l] = usable[i * L + l]!;
  }
  const remaining = new Int32Array((maxK + 1) * L);
  remaining.set(need, 0);
  const acc = new Float64Array((maxK + 1) * D);
  const chosen = new Int32Array(maxK);
  const inSet = new Uint8Array(n);
  const bound = new Float64Array(D);
  const bestCost = new Float64Array(D);
  let best: number[] | null = null;
  let nodes = 0;
  let aborted = false;

  const record = (depth: number) => {
    const members = Array.from(chosen.subarray(0, depth)).sort((a, b) => a - b);
    const byCost = best === null ? -1 : compareVectors(acc, bestCost, depth * D, 0, D);
    if (byCost < 0 || (byCost === 0 && compareVectors(members, best!) < 0)) {
      best = members;
      bestCost.set(acc.subarray(depth * D, depth * D + D));
    }
  };

  const search = (depth: number, k: number): void => {
    const at = depth * L;
    const picksLeft = k - depth;
    let line = -1;
    for (let l = 0; l < L; l++) {
      const left = remaining[at + l]!;
      if (left > 0) {
        if (line < 0) line = l;
        if (left > picksLeft * maxUsable[l]!) return;
      }
    }
    if (line < 0) {
      record(depth);
      return;
    }
    if (best !== null) {
      // Entry 0 has the smallest cost vector, so picksLeft copies of it bound any completion from below.
      for (let j = 0; j < D; j++) bound[j] = acc[depth * D + j]! + picksLeft * cost[j]!;
      if (compareVectors(bound, bestCost) > 0) return;
    }
    const next = at + L;
    for (let i = 0; i < n; i++) {
      if (inSet[i] === 1 || usable[i * L + line] === 0) continue;
      if (++nodes > budget) {
        aborted = true;
        return;
      }
      inSet[i] = 1;
      chosen[depth] = i;
      const base = i * L;
      for (let l = 0; l < L; l++) {
        const left = remaining[at + l]! - usable[base + l]!;
        remaining[next + l] = Math.max(left, 0);
      }
      for (let j = 0; j < D; j++) acc[(depth + 1) * D + j] = acc[depth * D + j]! + cost[i * D + j]!;
      search(depth + 1, k);
      inSet[i] = 0;
      if (aborted) return;
    }
  };

  for (let k = 2; k <= maxK && !aborted; k++) {
    search(0, k);
    if (best !== null) return { members: best, method: aborted ? 'bounded' : 'exact', remaining: [] };
  }

  // Greedy: take the entry that completes the most lines, then gives the most units; ties go to the better rank.
  const left = Int32Array.from(need);
  const picks: number[] = [];
  const used = new Uint8Array(n);
  while (picks.length < maxK) {
    let pick = -1;
    let pickLines = -1;
    let pickUnits = 0;
    for (let i = 0; i < n; i++) {
      if (used[i] === 1) continue;
      let lines = 0;
      let units = 0;
      for (let l = 0; l < L; l++) {
        if (left[l] === 0) continue;
        const u = Math.min(usable[i * L + l]!, left[l]!);
        units += u;
        if (u === left[l]) lines++;
      }
      if (units > 0 && (lines > pickLines || (lines === pickLines && units > pickUnits))) {
        pick = i;
        pickLines = lines;
        pickUnits = units;
      }
    }
    if (pick < 0) break;
    used[pick] = 1;
    picks.push(pick);
    for (let l = 0; l < L; l++) left[l] = Math.max(0, left[l]! - usable[pick * L + l]!);
    if (left.every((q) => q === 0)) {
      return { members: picks.sort((a, b) => a - b), method: 'greedy', remaining: [] };
    }
  }
  return { members: null, method: 'greedy', remaining: Array.from(left) };
}

/**
 * Splits each line over the chosen entries: wholly from the best-ranked entry that holds all of it, else from
 * each in rank order. Returns units per member and line.
 */
function allocate(
  pool: readonly PoolEntry[],
  members: readonly number[],
  need: readonly number[],
): number[][] {
  const allocation = members.map(() => new Array<number>(need.length).fill(0));
  for (let l = 0; l < need.length; l++) {
    let left = need[l]!;
    if (left === 0) continue;
    const whole = members.findIndex((i) => pool[i]!.usable[l]! >= left);
    if (whole >= 0) {
      allocation[whole]![l] = left;
      continue;
    }
    for (let m = 0; m < members.length && left > 0; m++) {
      const take = Math.min(pool[members[m]!]!.usable[l]!, left);
      allocation[m]![l] = take;
      left -= take;
    }
  }
  return allocation;
}

function allocatedLines(lines: readonly SourcingLine[], units: readonly number[]): SourcingLine[] {
  const out: SourcingLine[] = [];
  for (let l = 0; l < lines.length; l++)
    if (units[l]! > 0) out.push({ sku: lines[l]!.sku, quantity: units[l]! });
  return out;
}

/** Lines whose need exceeds what every eligible location together could give. */
function shortLines(lines: readonly SourcingLine[], need: readonly number[], pool: readonly PoolEntry[]) {
  const short: UnfulfillableLine[] = [];
  for (let l = 0; l < lines.length; l++) {
    let total = 0;
    for (const entry of pool) total += entry.usable[l]!;
    if (total < need[l]!)
      short.push({ sku: lines[l]!.sku, quantity: need[l]! - total, reason: 'INSUFFICIENT_STOCK' });
  }
  return short;
}

function splitShortfall(lines: readonly SourcingLine[], remaining: readonly number[]): UnfulfillableLine[] {
  const short: UnfulfillableLine[] = [];
  for (let l = 0; l < lines.length; l++) {
    if (remaining[l]! > 0) short.push({ sku: lines[l]!.sku, quantity: remaining[l]!, reason: 'SPLIT_LIMIT' });
  }
  return short;
}

// ---------------------------------------------------------------------------------------------------------------
// Explanations

const PHRASE: Record<SourcingReason, string> = {
  HOLDS_ALL_LINES: 'it holds every line',
  FEWEST_SPLITS: 'it is part of the smallest combination of locations that covers the order',
  PICKUP_STORE: 'the customer collects here',
  TRANSFER_SOURCE: 'it sends the pickup store units it lacks',
  SELLING_STORE: 'the sale happened here',
  ENDLESS_AISLE: 'sold at a store and shipped to the customer from here (endless aisle)',
  SEARCH_LIMITED: 'too many combinations to rank them all, so the best one found was taken',
  INACTIVE: 'it is not active',
  KIND_NOT_ALLOWED: "the channel's rules do not source this from this kind of location",
  NO_SHIP_FROM_STORE_CAPABILITY: 'it does not ship to customers',
  NO_PICKUP_CAPABILITY: 'it does not hold pickups',
  NO_SAME_DAY_CAPABILITY: 'it offers no same-day delivery',
  OUTSIDE_SAME_DAY_RADIUS: 'the address is outside its same-day radius',
  NO_CAPACITY: 'it has no fulfillment capacity left today',
  INSUFFICIENT_STOCK: 'it does not hold enough of the ordered items',
  BALANCE_FLOOR: 'sending the units would take it below its stock floor',
  SPLIT_LIMIT: 'covering the order would take more locations than the rules allow',
  NOT_SELLING_STORE: "a carry-out sale takes only the selling store's stock",
  NOT_PICKUP_STORE: 'it is not the pickup store',
  PICKUP_STORE_HAS_STOCK: 'the pickup store holds every line',
  PICKUP_STORE_UNAVAILABLE: 'the pickup store cannot take this order',
  SELLING_STORE_UNAVAILABLE: 'the selling store cannot take this order',
  WOULD_SPLIT: 'it holds only part of the order, and fewer locations cover it',
  BETTER_COMBINATION: 'a better-ranked combination of locations covers the order',
  LOWER_PRIORITY_TIER: 'a location of a better priority tier was chosen',
  FARTHER_THAN_CHOSEN: 'a nearer location was chosen',
  KIND_PREFERENCE: 'the rules prefer the kind of location that was chosen',
  TIE_BROKEN_BY_CODE: 'it ties with the chosen location, which comes first by code',
  SLOWER_TRANSFER: 'its units would arrive later than those chosen',
};

/**
 * An explanation as an order keeps it. Most entries say no more than their decision and reasons
 * ("SH02 excluded: it does not ship to customers."), and writing those sentences out made an order's stored plan
 * ten times its groups: a page of the orders table per order. They are kept as
 * `[location, decision, reasons, distanceKm]` and their sentence is made again when read; an entry whose sentence
 * says more (lines, distance, hours) keeps it as a fifth element.
 */
export type PackedExplanation = readonly [
  location: string,
  decision: SourcingDecision,
  reasons: readonly SourcingReason[],
  distanceKm: number | null,
  message?: string,
];

export function packExplanation(entries: readonly LocationExplanation[]): PackedExplanation[] {
  return entries.map((e) => {
    const km = e.distanceKm ?? null;
    return e.message === standardMessage(e.location, e.decision, e.reasons)
      ? [e.location, e.decision, e.reasons, km]
      : [e.location, e.decision, e.reasons, km, e.message];
  });
}

/** The explanation as planned, from its packed form (or from the full entries older orders kept). */
export function unpackExplanation(
  entries: readonly (PackedExplanation | LocationExplanation)[],
): LocationExplanation[] {
  return entries.map((e) => {
    if (!Array.isArray(e)) return e as LocationExplanation;
    const [location, decision, reasons, km, message] = e as PackedExplanation;
    const entry: LocationExplanation = {
      location,
      decision,
      reasons,
      message: message ?? standardMessage(location, decision, reasons),
    };
    if (km !== null) entry.distanceKm = km;
    return entry;
  });
}

const DECISION_WORDS: Record<SourcingDecision, string> = {
  chosen: 'chosen',
  excluded: 'excluded',
  not_needed: 'not needed',
};

function standardMessage(location: string, decision: SourcingDecision, reasons: readonly SourcingReason[]) {
  return `${location} ${DECISION_WORDS[decision]}: ${phrases(reasons)}.`;
}

function reasonList(reasons: readonly SourcingReason[]): {
  reasons: readonly SourcingReason[];
  text: string;
} {
  return { reasons, text: ` excluded: ${phrases(reasons)}.` };
}

function phrases(reasons: readonly SourcingReason[]): string {
  return reasons.length === 1 ? PHRASE[reasons[0]!] : reasons.map((r) => PHRASE[r]).join('; ');
}

function describeLines(lines: readonly SourcingLine[]): string {
  return lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ');
}

function exclude(
  code: string,
  why: { reasons: readonly SourcingReason[]; text: string },
  km?: number,
): LocationExplanation {
  const entry: LocationExplanation = {
    location: code,
    decision: 'excluded',
    reasons: why.reasons,
    message: code + why.text,
  };
  if (km !== undefined) entry.distanceKm = roundKm(km);
  return entry;
}

/** Sorted by location code; a code seen twice is a caller's bug that would make the plan ambiguous. */
function sortByCode(entries: LocationExplanation[]): LocationExplanation[] {
  entries.sort((a, b) => (a.location < b.location ? -1 : a.location > b.location ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.location === entries[i - 1]!.location) duplicate(entries[i]!.location);
  }
  return entries;
}

/**
 * Location codes are unique by contract (the service reads them from the locations table). The checks that cost
 * almost nothing run anyway: neighbours in the sorted excluded list (sortByCode) and in the ranked pool.
 * A full check would need a set of every candidate, which costs more than the rest of a typical plan.
 */
function assertDistinct(rankedPool: readonly PoolEntry[]): void {
  for (let i = 1; i < rankedPool.length; i++) {
    if (compareEntries(rankedPool[i - 1]!, rankedPool[i]!) === 0) duplicate(rankedPool[i]!.candidate.code);
  }
}

function duplicate(code: string): never {
  throw new Error(`sourcing: location ${code} given twice`);
}

/** Why each eligible but unchosen pool entry (in rank order) lost to the chosen ones. */
function explainNotNeeded(
  pool: readonly PoolEntry[],
  chosen: readonly number[],
  criteria: readonly SourcingTieBreaker[],
  need: readonly number[],
  transfer: boolean,
  slowestHours = 0,
): LocationExplanation[] {
  const isChosen = new Uint8Array(pool.length);
  for (const i of chosen) isChosen[i] = 1;
  const out: LocationExplanation[] = [];
  for (let i = 0; i < pool.length; i++) {
    if (isChosen[i] === 1) continue;
    const entry = pool[i]!;
    const reason =
      transfer && entry.hours > slowestHours
        ? 'SLOWER_TRANSFER'
        : lossReason(pool, entry, chosen, criteria, need);
    out.push({
      location: entry.candidate.code,
      decision: 'not_needed',
      reasons: [reason],
      message: `${entry.candidate.code} not needed: ${PHRASE[reason]}.`,
      distanceKm: roundKm(entry.distanceKm),
    });
  }
  return out;
}

function lossReason(
  pool: readonly PoolEntry[],
  entry: PoolEntry,
  chosen: readonly number[],
  criteria: readonly SourcingTieBreaker[],
  need: readonly number[],
): SourcingReason {
  const lineCount = need.length;
  if (chosen.length === 1) {
    // Usable units are capped at the need, so equality means the entry alone could have covered the line.
    for (let l = 0; l < lineCount; l++) if (entry.usable[l]! < need[l]!) return 'WOULD_SPLIT';
    return criterionLost(entry, pool[chosen[0]!]!, criteria) ?? 'TIE_BROKEN_BY_CODE';
  }
  // In a split, compare with the chosen location that supplies a line this one could have supplied.
  for (const i of chosen) {
    const rival = pool[i]!;
    let shares = false;
    for (let l = 0; l < lineCount && !shares; l++) shares = entry.usable[l]! > 0 && rival.usable[l]! > 0;
    if (!shares) continue;
    const difference = compareVectors(entry.cost, rival.cost);
    if (difference > 0) return criterionLost(entry, rival, criteria) ?? 'BETTER_COMBINATION';
    break;
  }
  return 'BETTER_COMBINATION';
}

function criterionLost(
  entry: PoolEntry,
  rival: PoolEntry,
  criteria: readonly SourcingTieBreaker[],
): SourcingReason | null {
  for (let j = 0; j < criteria.length; j++) {
    if (entry.cost[j]! !== rival.cost[j]!) return CRITERION_REASON[criteria[j]!];
  }
  return null;
}

/** The failure result: every eligible entry is reported with the reason the order as a whole failed. */
function failure(
  unfulfillable: UnfulfillableLine[],
  pool: readonly PoolEntry[],
  excluded: LocationExplanation[],
  reason: 'INSUFFICIENT_STOCK' | 'SPLIT_LIMIT',
  lineCount: number,
): UnfulfillablePlan {
  const held = pool.map<LocationExplanation>((entry) => {
    const holds = entry.usable.filter((u) => u > 0).length;
    const km = roundKm(entry.distanceKm);
    return {
      location: entry.candidate.code,
      decision: 'excluded',
      reasons: [reason],
      message: `${entry.candidate.code} excluded: it could give ${holds} of ${lineCount} lines, but ${
        reason === 'SPLIT_LIMIT' ? PHRASE.SPLIT_LIMIT : 'the eligible locations together lack some items'
      }.`,
      distanceKm: km,
    };
  });
  return { ok: false, groups: [], explanation: [...held, ...excluded], unfulfillable };
}
