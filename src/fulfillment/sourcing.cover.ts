import type {
  SourcingCandidate,
  SourcingLine,
  SourcingRules,
  SourcingTieBreaker,
  StockBySku,
} from './sourcing.config.js';
import type { UnfulfillableLine } from './sourcing.plan.js';

/*
 * The cover search: the units each location may give (its stock above the store's floor), the ranking of the
 * locations by the channel's tie-breakers, and the fewest locations that together hold every line, with how each
 * line is split over them.
 */

export function stockOf(stock: StockBySku, sku: string, isMap = stock instanceof Map): number {
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

/** A location that passed the static checks and holds at least one needed unit, with its ranking facts. */
export interface PoolEntry {
  candidate: SourcingCandidate;
  /** Per line: units it may give, capped at the line's need (0 when it holds less than a whole line and lines may not split). */
  usable: number[];
  distanceKm: number;
  cost: number[];
  /** Transfers only: hours for its units to reach the pickup store. */
  hours: number;
}

export function compareEntries(a: PoolEntry, b: PoolEntry): number {
  const byCost = compareVectors(a.cost, b.cost);
  if (byCost !== 0) return byCost;
  return a.candidate.code < b.candidate.code ? -1 : a.candidate.code > b.candidate.code ? 1 : 0;
}

export function compareVectors(
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

export function costVector(
  tieBreakers: readonly SourcingTieBreaker[],
  c: SourcingCandidate,
  distanceKm: number,
) {
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

/**
 * The units per line a location may give, capped at the need, or the reason it gives none. Most candidates hold
 * none of an order's SKUs, so nothing is allocated for them: this loop runs for every location of the brand.
 */
export function usableStock(
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

export interface Cover {
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
export function findCover(
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
export function allocate(
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

export function allocatedLines(lines: readonly SourcingLine[], units: readonly number[]): SourcingLine[] {
  const out: SourcingLine[] = [];
  for (let l = 0; l < lines.length; l++)
    if (units[l]! > 0) out.push({ sku: lines[l]!.sku, quantity: units[l]! });
  return out;
}

/** Lines whose need exceeds what every eligible location together could give. */
export function shortLines(
  lines: readonly SourcingLine[],
  need: readonly number[],
  pool: readonly PoolEntry[],
  reason: UnfulfillableLine['reason'] = 'INSUFFICIENT_STOCK',
) {
  const short: UnfulfillableLine[] = [];
  for (let l = 0; l < lines.length; l++) {
    let total = 0;
    for (const entry of pool) total += entry.usable[l]!;
    if (total < need[l]!) short.push({ sku: lines[l]!.sku, quantity: need[l]! - total, reason });
  }
  return short;
}

export function splitShortfall(
  lines: readonly SourcingLine[],
  remaining: readonly number[],
): UnfulfillableLine[] {
  const short: UnfulfillableLine[] = [];
  for (let l = 0; l < lines.length; l++) {
    if (remaining[l]! > 0) short.push({ sku: lines[l]!.sku, quantity: remaining[l]!, reason: 'SPLIT_LIMIT' });
  }
  return short;
}
