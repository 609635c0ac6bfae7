import type { Kysely } from 'kysely';
import { resolveMemberId } from '../members/index.js';
import { type DB, nowIso } from '../platform/index.js';
import { type CouponsToDecide, decideOrderCoupons, underTest } from './coupon-redemption.service.js';
import { templatesOf } from './coupon-templates.service.js';
import { type AppliedCoupon, type CouponOffer, rankCouponOffers } from './coupons.rules.js';
import { toCoupon } from './coupons.service.js';
import type { Coupon } from './loyalty.contract.js';
import { LoyaltyErrors } from './loyalty.errors.js';
import { pointsValue } from './loyalty.rules.js';
import { getRules } from './loyalty.service.js';
import { balanceOf } from './points.service.js';

/** The most coupons a checkout weighs: a member rarely holds more than a handful that are still valid. */
const OFFERED_COUPONS = 50;

export interface CheckoutCoupons {
  /** Her valid coupons, best first, each with what it takes off alone or the rule that stops it. */
  offers: (CouponOffer & { coupon: Coupon })[];
  /** What the chosen coupons take off together (as the order will redeem them). */
  applied: AppliedCoupon[];
}

/**
 * The coupons at a checkout: every valid coupon the buyer holds, tried alone on the basket and ranked, and the
 * chosen ones decided together exactly as the order will redeem them. Nothing is redeemed.
 */
export async function checkoutCoupons(db: Kysely<DB>, input: CouponsToDecide): Promise<CheckoutCoupons> {
  const applied =
    input.couponCodes.length > 0 ? (await decideOrderCoupons(db, input)).applied : ([] as AppliedCoupon[]);
  if (input.memberId === null) return { offers: [], applied };
  const memberId = (await resolveMemberId(db, input.memberId)) ?? input.memberId;
  const now = nowIso();
  const rows = await db
    .selectFrom('coupons')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('status', '=', 'issued')
    .where('valid_to', '>=', now)
    .orderBy('valid_to')
    .orderBy('code')
    .limit(OFFERED_COUPONS)
    .execute();
  const templates = await templatesOf(
    db,
    rows.map((r) => r.template),
  );
  const coupons = new Map(rows.map((r) => [r.code, toCoupon(r, templates.get(r.template)!, now)]));
  const offers = rankCouponOffers(
    rows.map((r) => underTest(r, templates.get(r.template)!)),
    { now, channel: input.channel, storeCode: input.storeCode, memberId, lines: input.lines },
  );
  return { offers: offers.map((o) => ({ ...o, coupon: coupons.get(o.code)! })), applied };
}

export interface CheckoutPoints {
  available: number;
  /** Points worth ¥1. */
  perYuan: number;
  /** The most points this order can take (her balance, or what is left to pay after coupons) and their worth. */
  maxPoints: number;
  maxAmount: number;
}

/** What the buyer's points can pay of `due` fen (what is left after coupons). */
export async function checkoutPoints(db: Kysely<DB>, memberId: string, due: number): Promise<CheckoutPoints> {
  const id = (await resolveMemberId(db, memberId)) ?? memberId;
  const [rules, balance] = await Promise.all([getRules(db), balanceOf(db, id)]);
  const perYuan = rules.redeemPointsPerYuan;
  const usable = Math.max(0, Math.min(balance.available, Math.floor((due * perYuan) / 100)));
  const max = pointsValue(rules, usable);
  return {
    available: balance.available,
    perYuan,
    maxPoints: max.amount === 0 ? 0 : max.points,
    maxAmount: max.amount,
  };
}

/**
 * What `points` are worth at this checkout, refused as the order would refuse them: more than she has, or too few
 * to be worth a fen. (More than is left to pay is the order's rule: the caller prices it.)
 */
export function checkoutPointsWorth(
  offer: CheckoutPoints,
  points: number,
): { requested: number; points: number; amount: number } {
  if (points > offer.available) {
    throw LoyaltyErrors.insufficientPoints(`The member has ${offer.available} points; ${points} were asked`, {
      errors: [{ path: 'pointsToRedeem', message: `at most ${offer.available}` }],
      extra: { available: offer.available, requested: points },
    });
  }
  const value = pointsValue({ redeemPointsPerYuan: offer.perYuan }, points);
  if (value.amount === 0) {
    throw LoyaltyErrors.insufficientPoints(
      `${points} points are worth less than 1 fen (${offer.perYuan} points = ¥1)`,
    );
  }
  return { requested: points, ...value };
}
