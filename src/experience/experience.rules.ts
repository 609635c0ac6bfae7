// Pure decisions of the experience context: which SKUs to recommend to a member, and why. No I/O.

export const EXPERIENCE_KINDS = ['trial', 'try_on', 'skin_test', 'fitting'] as const;
export type ExperienceKind = (typeof EXPERIENCE_KINDS)[number];

/**
 * The result keys the platform itself writes (the store's trial form: shade, skinType, note; the demo brand:
 * shadeChosen, hydration); the console names each. A brand's own keys show as they are.
 */
export const KNOWN_RESULTS = ['shade', 'shadeChosen', 'skinType', 'hydration', 'note'] as const;

export type RecommendationReason = 'tried_in_store' | 'favourited' | 'bought_together' | 'bestseller';

export interface Candidate {
  sku: string;
  reason: RecommendationReason;
  /** Higher first. */
  score: number;
  /** Where it was tried or saved, when. */
  store?: string | null;
  at?: string;
  /** bought_together: how many orders contained it with something the member bought; bestseller: units sold. */
  count?: number;
}

export interface PersonalSignals {
  tried: readonly { sku: string; store: string; recordedAt: string }[];
  favourites: readonly { sku: string; store: string | null; createdAt: string }[];
  /** The member's purchases: SKU → the last time they bought it. */
  bought: ReadonlyMap<string, string>;
  /** SKUs bought in the same orders as the member's purchases, with the number of such orders. */
  together: readonly { sku: string; orders: number }[];
}

/**
 * A member's personal recommendations, best first: what they tried in store and have not bought since (the
 * strongest signal: a trial is a purchase waiting to happen), what they saved by scanning and have not bought,
 * then what others bought together with their purchases. Each SKU appears once, under its strongest reason.
 */
export function personalCandidates(signals: PersonalSignals): Candidate[] {
  const out = new Map<string, Candidate>();
  const boughtSince = (sku: string, at: string) => {
    const last = signals.bought.get(sku);
    return last !== undefined && last >= at;
  };
  const tried = [...signals.tried].sort((a, b) => (a.recordedAt < b.recordedAt ? 1 : -1));
  tried.forEach((t, i) => {
    if (out.has(t.sku) || boughtSince(t.sku, t.recordedAt)) return;
    out.set(t.sku, {
      sku: t.sku,
      reason: 'tried_in_store',
      score: 3000 - i,
      store: t.store,
      at: t.recordedAt,
    });
  });
  const favourites = [...signals.favourites].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  favourites.forEach((f, i) => {
    if (out.has(f.sku) || boughtSince(f.sku, f.createdAt)) return;
    out.set(f.sku, { sku: f.sku, reason: 'favourited', score: 2000 - i, store: f.store, at: f.createdAt });
  });
  const together = [...signals.together].sort((a, b) => b.orders - a.orders || (a.sku < b.sku ? -1 : 1));
  for (const t of together) {
    if (out.has(t.sku) || signals.bought.has(t.sku)) continue;
    out.set(t.sku, {
      sku: t.sku,
      reason: 'bought_together',
      score: Math.min(999, t.orders),
      count: t.orders,
    });
  }
  return [...out.values()].sort((a, b) => b.score - a.score);
}

/** The same list for everyone (no personal data used): the best sellers. */
export function bestsellerCandidates(sales: readonly { sku: string; units: number }[]): Candidate[] {
  return [...sales]
    .sort((a, b) => b.units - a.units || (a.sku < b.sku ? -1 : 1))
    .map((s) => ({ sku: s.sku, reason: 'bestseller' as const, score: s.units, count: s.units }));
}
