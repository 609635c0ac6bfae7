// Pure decisions of the loyalty context: how many points a line earns, which tier a spend reaches, which lots a
// spend takes, what a return takes back (what coupons take off is in coupons.rules.ts). No I/O.

import { zoneOffsetMs } from '../platform/time.js';
import type { LotStatus } from './loyalty.schema.js';

// ---------------------------------------------------------------------------------------------------------------
// Earning rules

export interface Campaign {
  name: string;
  multiplier: number;
  /** ISO times; the campaign applies to orders completed from `from` up to (not including) `to`. */
  from: string;
  to: string;
  channels?: string[] | undefined;
  categories?: string[] | undefined;
}

export type ExpiryRule =
  /** Points expire when the brand's year `years` after the year they were earned ends (积分年底清零). */
  | { mode: 'year_end'; years: number }
  /** Points expire a fixed time after they were earned. */
  | { mode: 'after'; seconds: number };

export interface EarningRules {
  /** Points per ¥1 paid in money, before multipliers. */
  pointsPerYuan: number;
  /** Multiplier per channel (absent: 1). */
  channels: Record<string, number>;
  /** Multiplier per product category (absent: 1; 0 earns nothing). */
  categories: Record<string, number>;
  /** The highest multiplier of the campaigns running at completion applies (campaigns do not multiply together). */
  campaigns: Campaign[];
  /** Earned points are pending this long after completion: the return window. */
  returnWindowSeconds: number;
  /** Points worth ¥1 when paying with points (100 → 1 point = 1 fen). */
  redeemPointsPerYuan: number;
  expiry: ExpiryRule;
  /** The brand's time zone: the yearly tier review and year-end expiry happen at its midnight. */
  timeZone: string;
}

export const DEFAULT_RULES: EarningRules = {
  pointsPerYuan: 1,
  channels: {},
  categories: {},
  campaigns: [],
  returnWindowSeconds: 7 * 24 * 3600,
  redeemPointsPerYuan: 100,
  expiry: { mode: 'year_end', years: 1 },
  timeZone: 'Asia/Shanghai',
};

/** Problems with a rules document, as `{path, message}`; empty when it is valid. */
export function rulesProblems(rules: EarningRules): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const nonNegative = (value: number, path: string) => {
    if (!Number.isFinite(value) || value < 0) problems.push({ path, message: 'must be a number ≥ 0' });
  };
  nonNegative(rules.pointsPerYuan, 'pointsPerYuan');
  for (const [k, v] of Object.entries(rules.channels)) nonNegative(v, `channels.${k}`);
  for (const [k, v] of Object.entries(rules.categories)) nonNegative(v, `categories.${k}`);
  rules.campaigns.forEach((c, i) => {
    nonNegative(c.multiplier, `campaigns.${i}.multiplier`);
    if (!(c.from < c.to)) problems.push({ path: `campaigns.${i}`, message: 'from must be before to' });
  });
  if (!Number.isInteger(rules.returnWindowSeconds) || rules.returnWindowSeconds < 0) {
    problems.push({ path: 'returnWindowSeconds', message: 'must be a whole number of seconds ≥ 0' });
  }
  if (!Number.isInteger(rules.redeemPointsPerYuan) || rules.redeemPointsPerYuan < 1) {
    problems.push({ path: 'redeemPointsPerYuan', message: 'must be a whole number ≥ 1' });
  }
  if (rules.expiry.mode === 'year_end' && (!Number.isInteger(rules.expiry.years) || rules.expiry.years < 0)) {
    problems.push({ path: 'expiry.years', message: 'must be a whole number ≥ 0' });
  }
  if (
    rules.expiry.mode === 'after' &&
    (!Number.isInteger(rules.expiry.seconds) || rules.expiry.seconds < 1)
  ) {
    problems.push({ path: 'expiry.seconds', message: 'must be a whole number ≥ 1' });
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: rules.timeZone });
  } catch {
    problems.push({ path: 'timeZone', message: 'is not an IANA time zone' });
  }
  return problems;
}

export interface EarningLine {
  channel: string;
  category: string;
  /** Fen paid in money for the line (its paid amount less the part paid with points). */
  moneyPaid: number;
}

/** The campaign multiplier for a line completed at `at`: the best running campaign that covers it, else 1. */
export function campaignMultiplier(rules: EarningRules, line: EarningLine, at: string): number {
  let best = 1;
  for (const c of rules.campaigns) {
    if (at < c.from || at >= c.to) continue;
    if (c.channels && !c.channels.includes(line.channel)) continue;
    if (c.categories && !c.categories.includes(line.category)) continue;
    best = Math.max(best, c.multiplier);
  }
  return best;
}

/** Points a line earns: ⌊yuan paid × base × channel × category × tier × campaign⌋. */
export function pointsForLine(
  rules: EarningRules,
  line: EarningLine,
  at: string,
  tierMultiplier: number,
): number {
  if (line.moneyPaid <= 0) return 0;
  const factor =
    rules.pointsPerYuan *
    (rules.channels[line.channel] ?? 1) *
    (rules.categories[line.category] ?? 1) *
    tierMultiplier *
    campaignMultiplier(rules, line, at);
  // The epsilon keeps 0.1 × 3 × 100 from flooring to 29 by binary rounding.
  return Math.max(0, Math.floor((line.moneyPaid * factor) / 100 + 1e-9));
}

/** Fen that `points` are worth as payment, and the points that value costs (whole fen only). */
export function pointsValue(
  rules: Pick<EarningRules, 'redeemPointsPerYuan'>,
  points: number,
): { points: number; amount: number } {
  const amount = Math.floor((points * 100) / rules.redeemPointsPerYuan);
  return { amount, points: Math.ceil((amount * rules.redeemPointsPerYuan) / 100) };
}

// ---------------------------------------------------------------------------------------------------------------
// Time in the brand's zone

/** The instant of local midnight starting `year-month-day` in `timeZone`. */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, day);
  let instant = naive - zoneOffsetMs(naive, timeZone);
  instant = naive - zoneOffsetMs(instant, timeZone);
  return new Date(instant);
}

export function localYear(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at));
}

/** When a lot earned at `earnedAt` expires. */
export function expiryFor(rules: EarningRules, earnedAt: Date): Date {
  if (rules.expiry.mode === 'after') return new Date(earnedAt.getTime() + rules.expiry.seconds * 1000);
  const year = localYear(earnedAt, rules.timeZone);
  return localMidnight(year + rules.expiry.years + 1, 1, 1, rules.timeZone);
}

/** The yearly tier review: the next 1 January, midnight in the brand's zone, strictly after `now`. */
export function nextTierReview(now: Date, timeZone: string): { period: string; at: Date } {
  const year = localYear(now, timeZone) + 1;
  return { period: String(year), at: localMidnight(year, 1, 1, timeZone) };
}

// ---------------------------------------------------------------------------------------------------------------
// Tiers

export interface Tier {
  code: string;
  name: string;
  rank: number;
  /** Fen of qualifying spend over the rolling 12 months. */
  threshold: number;
  multiplier: number;
  benefits: string[];
}

export const QUALIFYING_WINDOW_DAYS = 365;

/** Problems with a tier set: the base tier starts at 0, codes are unique, thresholds rise strictly. */
export function tierProblems(tiers: readonly Omit<Tier, 'rank'>[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (tiers.length === 0) problems.push({ path: 'tiers', message: 'at least one tier is needed' });
  const seen = new Set<string>();
  tiers.forEach((t, i) => {
    if (seen.has(t.code)) problems.push({ path: `tiers.${i}.code`, message: `${t.code} appears twice` });
    seen.add(t.code);
    if (!Number.isInteger(t.threshold) || t.threshold < 0) {
      problems.push({ path: `tiers.${i}.threshold`, message: 'must be whole fen ≥ 0' });
    }
    if (!(t.multiplier >= 0)) problems.push({ path: `tiers.${i}.multiplier`, message: 'must be ≥ 0' });
    const previous = tiers[i - 1];
    if (previous && !(t.threshold > previous.threshold)) {
      problems.push({
        path: `tiers.${i}.threshold`,
        message: 'thresholds must rise from one tier to the next',
      });
    }
  });
  if (tiers[0] && tiers[0].threshold !== 0) {
    problems.push({ path: 'tiers.0.threshold', message: 'the first (base) tier must start at 0' });
  }
  return problems;
}

/** The tier a qualifying spend reaches: the highest whose threshold it meets. `tiers` is in rank order. */
export function tierForSpend(tiers: readonly Tier[], spend: number): Tier {
  let reached = tiers[0];
  if (!reached) throw new Error('No tiers are configured');
  for (const tier of tiers) if (spend >= tier.threshold) reached = tier;
  return reached;
}

// ---------------------------------------------------------------------------------------------------------------
// Lots: spending, settling debts, returns

export interface SpendableLot {
  id: string;
  remaining: number;
  expiresAt: string | null;
  earnedAt: string;
}

/** Orders lots the way points are spent: the soonest to expire first, then the oldest (never-expiring last). */
export function spendOrder<T extends SpendableLot>(lots: readonly T[]): T[] {
  return [...lots].sort((a, b) =>
    (a.expiresAt ?? '9999') < (b.expiresAt ?? '9999')
      ? -1
      : (a.expiresAt ?? '9999') > (b.expiresAt ?? '9999')
        ? 1
        : a.earnedAt < b.earnedAt
          ? -1
          : a.earnedAt > b.earnedAt
            ? 1
            : a.id < b.id
              ? -1
              : 1,
  );
}

/** Which lots a spend of `points` takes from (oldest first); null when the lots do not hold enough. */
export function planSpend(
  lots: readonly SpendableLot[],
  points: number,
): { lotId: string; points: number }[] | null {
  const plan: { lotId: string; points: number }[] = [];
  let left = points;
  for (const lot of spendOrder(lots.filter((l) => l.remaining > 0))) {
    if (left === 0) break;
    const take = Math.min(left, lot.remaining);
    plan.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return left === 0 ? plan : null;
}

/**
 * Debts (negative lots left by returns of spent points) are paid from positive lots as soon as both exist, so a
 * member never holds spendable points while owing: the sum of the lots does not change, only which lot holds it.
 */
export function planSettlement(
  lots: readonly SpendableLot[],
): { from: string; to: string; points: number }[] {
  const credits = spendOrder(lots.filter((l) => l.remaining > 0)).map((l) => ({ ...l }));
  const debts = [...lots]
    .filter((l) => l.remaining < 0)
    .sort((a, b) => (a.earnedAt < b.earnedAt ? -1 : a.earnedAt > b.earnedAt ? 1 : a.id < b.id ? -1 : 1))
    .map((l) => ({ ...l }));
  const moves: { from: string; to: string; points: number }[] = [];
  for (const debt of debts) {
    for (const credit of credits) {
      if (debt.remaining === 0) break;
      if (credit.remaining === 0) continue;
      const move = Math.min(credit.remaining, -debt.remaining);
      moves.push({ from: credit.id, to: debt.id, points: move });
      credit.remaining -= move;
      debt.remaining += move;
    }
  }
  return moves;
}

export interface ReversibleLot {
  status: LotStatus;
  quantity: number;
  points: number;
  reversedQuantity: number;
  reversedPoints: number;
  remaining: number;
  expiredPoints: number;
}

export interface Reversal {
  /** Units newly taken back (never more than the line had). */
  quantity: number;
  /** Points those units earned. */
  points: number;
  /** Where the points come from: still pending, still unspent, already expired (not taken twice), or owed. */
  fromPending: number;
  fromRemaining: number;
  fromExpired: number;
  debt: number;
}

/**
 * What returning `quantity` units of a line takes back from its lot. Cumulative rounding (points × units
 * returned so far ÷ units) makes several partial returns add up to exactly the points earned.
 */
export function reversalFor(lot: ReversibleLot, quantity: number): Reversal {
  const q = Math.max(0, Math.min(quantity, lot.quantity - lot.reversedQuantity));
  const returned = lot.reversedQuantity + q;
  const target = returned >= lot.quantity ? lot.points : Math.floor((lot.points * returned) / lot.quantity);
  const points = Math.max(0, target - lot.reversedPoints);
  if (lot.status === 'pending') {
    return { quantity: q, points, fromPending: points, fromRemaining: 0, fromExpired: 0, debt: 0 };
  }
  const fromRemaining = Math.min(points, Math.max(0, lot.remaining));
  const fromExpired = Math.min(points - fromRemaining, lot.expiredPoints);
  return {
    quantity: q,
    points,
    fromPending: 0,
    fromRemaining,
    fromExpired,
    debt: points - fromRemaining - fromExpired,
  };
}
