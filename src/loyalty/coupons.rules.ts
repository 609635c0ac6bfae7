// Pure decisions about coupons: whether each applies to an order or a counter sale, and how much it takes off.
// No I/O.

import type { CouponTemplate } from './loyalty.contract.js';
import type { CouponKind, CouponStatus } from './loyalty.schema.js';

/** One order line as coupons see it. */
export interface CouponLineInput {
  key: string;
  sku: string;
  category: string;
  /** Fen: the line's price × quantity. */
  amount: number;
}

/** A coupon applied to an order: its discount in fen and the lines it covers (the order service apportions it). */
export interface AppliedCoupon {
  code: string;
  template: string;
  amount: number;
  lineKeys: string[];
}

export interface CouponRule {
  code: string;
  kind: CouponKind;
  value: number;
  maxDiscount: number | null;
  minSpend: number;
  channels: string[] | null;
  stores: string[] | null;
  skus: string[] | null;
  categories: string[] | null;
  stackable: boolean;
}

export interface CouponUnderTest {
  code: string;
  memberId: string;
  status: CouponStatus;
  orderId: string | null;
  validFrom: string;
  validTo: string;
  template: CouponRule;
}

export interface CouponContext {
  now: string;
  channel: string;
  storeCode: string | null;
  /** The buyer; `undefined` at a counter, where the coupon's holder shows it (the code is the bearer). */
  memberId?: string | null | undefined;
  /** The order redeeming, so that the same order asking again is not refused. */
  orderId?: string | undefined;
  lines: readonly CouponLineInput[];
}

export const COUPON_RULE_NAMES = [
  'validity',
  'member',
  'channel',
  'store',
  'items',
  'min_spend',
  'stacking',
  'nothing_to_discount',
] as const;
/** The rule that refuses a coupon (the problem's `rule`, the checkout's reason). */
export type CouponRuleName = (typeof COUPON_RULE_NAMES)[number];

export type CouponDecision =
  | { ok: true; applied: AppliedCoupon[] }
  | {
      ok: false;
      code: string;
      outcome: 'already_redeemed' | 'not_applicable';
      rule?: CouponRuleName;
      detail: string;
    };

const refuse = (code: string, rule: CouponRuleName, detail: string): CouponDecision => ({
  ok: false,
  code,
  outcome: 'not_applicable',
  rule,
  detail,
});

function lineMatches(rule: CouponRule, line: CouponLineInput): boolean {
  if (rule.skus === null && rule.categories === null) return true;
  return (rule.skus?.includes(line.sku) ?? false) || (rule.categories?.includes(line.category) ?? false);
}

/**
 * Whether every coupon applies to this order (or counter sale), and what each takes off. Coupons apply in the
 * order given, each on what its lines still cost after the ones before, so stacked coupons never take a line
 * below zero. A minimum spend is measured on the full price of the lines the coupon covers.
 */
export function decideCoupons(coupons: readonly CouponUnderTest[], ctx: CouponContext): CouponDecision {
  if (coupons.length > 1) {
    const single = coupons.find((c) => !c.template.stackable);
    if (single) {
      return refuse(single.code, 'stacking', `Coupon ${single.code} cannot be combined with other coupons`);
    }
  }
  const taken = new Map<string, number>(ctx.lines.map((l) => [l.key, 0]));
  const applied: AppliedCoupon[] = [];
  for (const coupon of coupons) {
    const rule = coupon.template;
    if (coupon.status === 'redeemed' && !(ctx.orderId !== undefined && coupon.orderId === ctx.orderId)) {
      return {
        ok: false,
        code: coupon.code,
        outcome: 'already_redeemed',
        detail: `Coupon ${coupon.code} was already used`,
      };
    }
    if (coupon.status === 'expired' || ctx.now < coupon.validFrom || ctx.now > coupon.validTo) {
      return refuse(
        coupon.code,
        'validity',
        `Coupon ${coupon.code} is valid from ${coupon.validFrom} to ${coupon.validTo}`,
      );
    }
    if (ctx.memberId !== undefined && ctx.memberId !== coupon.memberId) {
      return refuse(coupon.code, 'member', `Coupon ${coupon.code} belongs to another member`);
    }
    if (rule.channels !== null && !rule.channels.includes(ctx.channel)) {
      return refuse(
        coupon.code,
        'channel',
        `Coupon ${coupon.code} is usable in ${rule.channels.join(', ')}, not in ${ctx.channel}`,
      );
    }
    if (rule.stores !== null && (ctx.storeCode === null || !rule.stores.includes(ctx.storeCode))) {
      return refuse(
        coupon.code,
        'store',
        `Coupon ${coupon.code} is usable at ${rule.stores.join(', ')} only${ctx.storeCode ? `, not at ${ctx.storeCode}` : ''}`,
      );
    }
    const lines = ctx.lines.filter((l) => lineMatches(rule, l));
    if (lines.length === 0) {
      return refuse(coupon.code, 'items', `Coupon ${coupon.code} covers none of these items`);
    }
    const gross = lines.reduce((s, l) => s + l.amount, 0);
    if (gross < rule.minSpend) {
      return refuse(
        coupon.code,
        'min_spend',
        `Coupon ${coupon.code} needs ${rule.minSpend} fen spent on the items it covers; they come to ${gross}`,
      );
    }
    const left = lines.map((l) => ({ key: l.key, amount: l.amount - (taken.get(l.key) ?? 0) }));
    const base = left.reduce((s, l) => s + l.amount, 0);
    let amount =
      rule.kind === 'amount_off' ? Math.min(rule.value, base) : Math.floor((base * rule.value) / 100);
    if (rule.maxDiscount !== null) amount = Math.min(amount, rule.maxDiscount);
    if (amount <= 0) {
      return refuse(
        coupon.code,
        'nothing_to_discount',
        `Nothing is left for coupon ${coupon.code} to take off`,
      );
    }
    for (const [key, share] of largestRemainder(left, amount)) taken.set(key, (taken.get(key) ?? 0) + share);
    applied.push({
      code: coupon.code,
      template: rule.code,
      amount,
      lineKeys: lines.map((l) => l.key),
    });
  }
  return { ok: true, applied };
}

/** Splits `total` over parts in proportion to their amounts, summing exactly (what later coupons see as taken). */
function largestRemainder(
  parts: readonly { key: string; amount: number }[],
  total: number,
): Map<string, number> {
  const sum = parts.reduce((s, p) => s + p.amount, 0);
  const result = new Map<string, number>();
  if (sum === 0) return result;
  let left = total;
  const shares = parts.map((p, index) => {
    const exact = (total * p.amount) / sum;
    const base = Math.floor(exact);
    left -= base;
    return { key: p.key, base, rest: exact - base, index };
  });
  shares.sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (let i = 0; i < left; i++) shares[i % shares.length]!.base += 1;
  for (const s of shares) result.set(s.key, s.base);
  return result;
}

/**
 * A coupon's code as store staff and channel apps see it in a member's records: enough to tell coupons apart, not
 * enough to redeem one (the customer shows her own code at the counter).
 */
export function maskCouponCode(code: string): string {
  return code.length <= 5
    ? '•'.repeat(code.length)
    : `${code.slice(0, 2)}${'•'.repeat(code.length - 5)}${code.slice(-3)}`;
}

/** One of the buyer's coupons as the checkout offers it: what it would take off this basket alone, or why not. */
export interface CouponOffer {
  code: string;
  applicable: boolean;
  /** Fen it takes off on its own (applicable ones only). */
  amount: number | null;
  /** The rule that stops it (inapplicable ones only). */
  rule: CouponRuleName | 'already_redeemed' | null;
}

/**
 * The checkout's list of a buyer's coupons: each tried alone on the basket, the usable ones first, the one that
 * takes off most on top (a tie goes to the one that runs out sooner: use it before it expires), then those that
 * do not apply with the rule that stops them (so the customer learns "spend ¥100 more", not just "no").
 */
export function rankCouponOffers(coupons: readonly CouponUnderTest[], ctx: CouponContext): CouponOffer[] {
  const tried = coupons.map((coupon) => {
    const decision = decideCoupons([coupon], ctx);
    const offer: CouponOffer = decision.ok
      ? { code: coupon.code, applicable: true, amount: decision.applied[0]!.amount, rule: null }
      : {
          code: coupon.code,
          applicable: false,
          amount: null,
          rule: decision.outcome === 'already_redeemed' ? 'already_redeemed' : (decision.rule ?? null),
        };
    return { offer, validTo: coupon.validTo };
  });
  tried.sort(
    (a, b) =>
      Number(b.offer.applicable) - Number(a.offer.applicable) ||
      (b.offer.amount ?? 0) - (a.offer.amount ?? 0) ||
      (a.validTo < b.validTo ? -1 : a.validTo > b.validTo ? 1 : 0) ||
      (a.offer.code < b.offer.code ? -1 : 1),
  );
  return tried.map((t) => t.offer);
}

/** Why she cannot claim an offer now (null: she can). */
export type ClaimBlock = 'member_limit' | 'sold_out' | null;

/** Whether one more of a template may go to her, by its limits (pure). */
export function claimBlock(
  template: Pick<CouponTemplate, 'totalLimit' | 'issuedCount' | 'perMemberLimit'>,
  held: number,
): ClaimBlock {
  if (template.totalLimit !== null && template.issuedCount >= template.totalLimit) return 'sold_out';
  if (template.perMemberLimit !== null && held >= template.perMemberLimit) return 'member_limit';
  return null;
}
