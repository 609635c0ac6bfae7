import type { SourcingLine, SourcingTieBreaker } from './sourcing.config.js';
import { compareEntries, compareVectors, type PoolEntry } from './sourcing.cover.js';
import type {
  LocationExplanation,
  SourcingDecision,
  SourcingReason,
  UnfulfillableLine,
  UnfulfillablePlan,
} from './sourcing.plan.js';

/*
 * Explanations: the sentence for each reason code, why a location was excluded or not needed, the failure
 * result, and the packed form an order keeps.
 */

export function roundKm(km: number): number {
  return Math.round(km * 100) / 100;
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
export const INACTIVE = 1;
export const KIND_NOT_ALLOWED = 2;
export const NO_SHIP_FROM_STORE = 4;
export const NO_SAME_DAY = 16;
export const OUTSIDE_RADIUS = 32;
export const NO_CAPACITY = 64;

const reasonsByBits = new Map<number, { reasons: readonly SourcingReason[]; text: string }>();

/** The shared, frozen reason list and sentence tail for a set of static exclusions. */
export function staticReasons(bits: number): { reasons: readonly SourcingReason[]; text: string } {
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
export function only(reason: SourcingReason): { reasons: readonly SourcingReason[]; text: string } {
  let found = SINGLE.get(reason);
  if (!found) {
    found = { reasons: Object.freeze([reason]), text: ` excluded: ${PHRASE[reason]}.` };
    SINGLE.set(reason, found);
  }
  return found;
}

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

export function reasonList(reasons: readonly SourcingReason[]): {
  reasons: readonly SourcingReason[];
  text: string;
} {
  return { reasons, text: ` excluded: ${phrases(reasons)}.` };
}

export function phrases(reasons: readonly SourcingReason[]): string {
  return reasons.length === 1 ? PHRASE[reasons[0]!] : reasons.map((r) => PHRASE[r]).join('; ');
}

export function describeLines(lines: readonly SourcingLine[]): string {
  return lines.map((line) => `${line.quantity} × ${line.sku}`).join(', ');
}

export function exclude(
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
export function sortByCode(entries: LocationExplanation[]): LocationExplanation[] {
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
export function assertDistinct(rankedPool: readonly PoolEntry[]): void {
  for (let i = 1; i < rankedPool.length; i++) {
    if (compareEntries(rankedPool[i - 1]!, rankedPool[i]!) === 0) duplicate(rankedPool[i]!.candidate.code);
  }
}

export function duplicate(code: string): never {
  throw new Error(`sourcing: location ${code} given twice`);
}

/** Why each eligible but unchosen pool entry (in rank order) lost to the chosen ones. */
export function explainNotNeeded(
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

const CRITERION_REASON: Record<SourcingTieBreaker, SourcingReason> = {
  priority_tier: 'LOWER_PRIORITY_TIER',
  distance: 'FARTHER_THAN_CHOSEN',
  warehouses_first: 'KIND_PREFERENCE',
  stores_first: 'KIND_PREFERENCE',
};

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
export function failure(
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
