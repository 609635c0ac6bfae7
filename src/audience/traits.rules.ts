// A member's traits from the facts gathered about them: pure arithmetic, the same for the full recompute and for
// the consumer that keeps one member current. No I/O.

/** What the facts say about one member, as the service gathers them (set-based, for many members at once). */
export interface TraitFacts {
  memberId: string;
  card: string | null;
  /** Completed purchase orders, history included. */
  orders: {
    count: number;
    /** Fen paid, returns not subtracted. */
    spend: number;
    /** Fen paid in the last 365 days before `now`. */
    spend365: number;
    first: string | null;
    last: string | null;
    units: number;
  };
  /** Completed orders per channel and per store (a store is where it was sold or collected). */
  channels: readonly string[];
  storeOrders: readonly { store: string; orders: number }[];
  /** Units bought per category. */
  categoryUnits: readonly { category: string; units: number }[];
  /** The city of her latest order that has one. */
  city: string | null;
  returns: { units: number; amount: number; last: string | null };
  trials: { count: number; last: string | null };
  /** Her latest tracked activity. */
  lastActivity: string | null;
}

export interface Traits {
  memberId: string;
  card: string | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  orderCount: number;
  spend: number;
  spend365: number;
  averageOrder: number;
  unitsBought: number;
  unitsReturned: number;
  returnedAmount: number;
  returnRate: number;
  channels: string[];
  stores: string[];
  topCategories: string[];
  homeStore: string | null;
  city: string | null;
  trialCount: number;
  lastTrialAt: string | null;
  lastSeenAt: string | null;
}

/** How many categories `topCategories` names. */
export const TOP_CATEGORIES = 3;

/** True when the facts say nothing: such a member has no traits row. */
export function isEmpty(f: TraitFacts): boolean {
  return f.orders.count === 0 && f.returns.units === 0 && f.trials.count === 0 && f.lastActivity === null;
}

export function traitsOf(f: TraitFacts): Traits {
  const byOrders = [...f.storeOrders].sort((a, b) => b.orders - a.orders || compare(a.store, b.store));
  const categories = [...f.categoryUnits]
    .filter((c) => c.category !== '' && c.units > 0)
    .sort((a, b) => b.units - a.units || compare(a.category, b.category));
  return {
    memberId: f.memberId,
    card: f.card,
    firstOrderAt: f.orders.first,
    lastOrderAt: f.orders.last,
    orderCount: f.orders.count,
    spend: f.orders.spend,
    spend365: f.orders.spend365,
    averageOrder: f.orders.count === 0 ? 0 : Math.round(f.orders.spend / f.orders.count),
    unitsBought: f.orders.units,
    unitsReturned: f.returns.units,
    returnedAmount: f.returns.amount,
    // Units back over units bought; a return of history the platform never saw bought counts as all of it.
    returnRate: f.orders.units === 0 ? 0 : Math.round((f.returns.units / f.orders.units) * 10_000) / 10_000,
    channels: [...new Set(f.channels)].sort(compare),
    stores: byOrders.map((s) => s.store).sort(compare),
    topCategories: categories.slice(0, TOP_CATEGORIES).map((c) => c.category),
    homeStore: byOrders[0]?.store ?? null,
    city: f.city,
    trialCount: f.trials.count,
    lastTrialAt: f.trials.last,
    lastSeenAt: latest([f.orders.last, f.returns.last, f.trials.last, f.lastActivity]),
  };
}

/** The latest of ISO instants (null when none). */
export function latest(times: readonly (string | null)[]): string | null {
  let best: string | null = null;
  for (const t of times) if (t !== null && (best === null || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}

// Codes compare by code point, the same on every engine and locale.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
