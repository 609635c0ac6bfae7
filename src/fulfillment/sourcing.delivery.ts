import { distanceKm } from '../platform/geo.js';
import type {
  SourcingAddress,
  SourcingCandidate,
  SourcingLine,
  SourcingOrder,
  SourcingRules,
} from './sourcing.config.js';
import {
  allocate,
  allocatedLines,
  compareEntries,
  costVector,
  findCover,
  type PoolEntry,
  shortLines,
  splitShortfall,
  usableStock,
} from './sourcing.cover.js';
import {
  assertDistinct,
  describeLines,
  exclude,
  explainNotNeeded,
  failure,
  INACTIVE,
  KIND_NOT_ALLOWED,
  NO_CAPACITY,
  NO_SAME_DAY,
  NO_SHIP_FROM_STORE,
  OUTSIDE_RADIUS,
  only,
  phrases,
  roundKm,
  sortByCode,
  staticReasons,
} from './sourcing.explain.js';
import type { FulfillmentPlan, LocationExplanation, PlannedGroup, SourcingReason } from './sourcing.plan.js';

/* Delivery and same-day: one or more locations ship to the customer's address. */

export function planShipment(
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
  // Same-day: stores that offer it, and those whose radius covers the address (stock aside).
  let offersSameDay = 0;
  let covers = 0;

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
        offersSameDay++;
        distance = distanceKm(address, c);
        if (distance > radius) bits |= OUTSIDE_RADIUS;
        else covers++;
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

  // No store can even try: the address (or the brand) is the reason, not the stock.
  const short = shortLines(
    lines,
    need,
    pool,
    type === 'same_day' && covers === 0
      ? offersSameDay === 0
        ? 'NO_SAME_DAY_CAPABILITY'
        : 'OUTSIDE_SAME_DAY_RADIUS'
      : 'INSUFFICIENT_STOCK',
  );
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
