import { distanceKm } from '../platform/geo.js';
import type {
  SourcingCandidate,
  SourcingLine,
  SourcingRules,
  SourcingTieBreaker,
} from './sourcing.config.js';
import {
  allocate,
  allocatedLines,
  type Cover,
  compareEntries,
  findCover,
  type PoolEntry,
  shortLines,
  splitShortfall,
  stockOf,
  usableStock,
} from './sourcing.cover.js';
import {
  assertDistinct,
  describeLines,
  duplicate,
  exclude,
  explainNotNeeded,
  failure,
  INACTIVE,
  KIND_NOT_ALLOWED,
  NO_CAPACITY,
  only,
  phrases,
  reasonList,
  roundKm,
  sortByCode,
  staticReasons,
} from './sourcing.explain.js';
import type {
  FulfillmentPlan,
  LocationExplanation,
  PlannedTransfer,
  SourcingReason,
} from './sourcing.plan.js';

/* Pickup: the customer collects at a store, which receives by transfer the units it lacks. */

export function planPickup(
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
