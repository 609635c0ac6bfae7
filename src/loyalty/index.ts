import { sql } from 'kysely';
import Type from 'typebox';
import { MemberMerged, MemberUnmerged } from '../members/members.events.js';
import { OrderCancelled, OrderCompleted } from '../orders/orders.events.js';
import { type AppModule, memberViewSection } from '../platform/index.js';
import { handleMemberEvent, handleOrderEvent } from './benefits.service.js';
import { registerCouponCentreRoutes } from './coupon-centre.routes.js';
import { registerCouponRoutes } from './coupons.routes.js';
import { maskCouponCode } from './coupons.rules.js';
import { couponsOfMember } from './coupons.service.js';
import { Coupon, MemberTier, PointsBalance } from './loyalty.contract.js';
import { memberTierSql } from './loyalty.service.js';

export { Coupon } from './loyalty.contract.js';

import { registerLoyaltyRoutes } from './loyalty.routes.js';
import { runTierReview, TIER_REVIEW_JOB, tierView } from './loyalty.service.js';
import { registerPointsRoutes } from './points.routes.js';
import { balanceOf } from './points.service.js';
import { EXPIRE_JOB, expireLot, MATURE_JOB, maturePoints } from './points-maturing.service.js';

/**
 * Tiers, the points ledger and coupons. Reacts to `order.completed` (earn) and `order.cancelled` (give back) and
 * to merges; durable jobs mature and expire lots and run the yearly tier review.
 */
export const loyaltyModule: AppModule = {
  name: 'loyalty',
  // In this order, so that /openapi.json lists the paths as it always has.
  routes: (app, ctx) => {
    registerLoyaltyRoutes(app, ctx);
    registerPointsRoutes(app, ctx);
    registerCouponRoutes(app, ctx);
    registerCouponCentreRoutes(app, ctx);
  },
  jobs: {
    [MATURE_JOB]: async (trx, job) => {
      await maturePoints(trx, String(job.payload.orderId));
    },
    [EXPIRE_JOB]: async (trx, job) => {
      await expireLot(trx, String(job.payload.lotId));
    },
    [TIER_REVIEW_JOB]: async (trx, job) => {
      await runTierReview(trx, String(job.payload.period));
    },
  },
  consumers: [
    {
      name: 'loyalty.orders',
      topics: ['order'],
      types: [OrderCompleted.type, OrderCancelled.type],
      handle: handleOrderEvent,
    },
    {
      name: 'loyalty.members',
      topics: ['member'],
      types: [MemberMerged.type, MemberUnmerged.type],
      handle: handleMemberEvent,
    },
  ],
  // Rows that belong to a member follow them through merges (and back on unmerge). The tier row is keyed by member
  // and stays put: the merge reaction decides the survivor's tier instead.
  memberReferences: [
    { table: 'loyalty_points_lots', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'loyalty_points_ledger', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'loyalty_points_redemptions', memberColumn: 'member_id', keyColumn: 'order_id' },
    { table: 'loyalty_spend', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'loyalty_tier_changes', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'coupons', memberColumn: 'member_id', keyColumn: 'code' },
  ],
  memberListFilters: {
    tier: (code) => sql<boolean>`${memberTierSql(sql.ref('members.id'))} = ${code}`,
  },
  memberViewSections: {
    tier: memberViewSection(MemberTier, (db, memberId) => tierView(db, memberId)),
    points: memberViewSection(PointsBalance, (db, memberId) => balanceOf(db, memberId)),
    coupons: memberViewSection(Type.Array(Coupon), async (db, memberId, viewer) => {
      const { items } = await couponsOfMember(db, memberId, { limit: 20, status: 'issued' });
      return viewer.masked ? items.map((c) => ({ ...c, code: maskCouponCode(c.code) })) : items;
    }),
  },
};

export {
  type ReturnReversal,
  /**
   * An order was cancelled (or refunded in full before completion): coupons come back while still valid, points
   * paid with come back. Idempotent by order id.
   */
  restoreOrderBenefits,
  /**
   * After-sales returned some lines: their earned points are taken back (into a negative balance if spent), points
   * paid for them come back (`pointsAmount` fen → points), coupons come back when the whole order is returned.
   * Idempotent by return id.
   */
  reverseForReturn,
} from './benefits.service.js';
/**
 * A checkout's benefits before the order exists: the buyer's valid coupons ranked on the basket (each with what it
 * takes off alone or the rule that stops it), the chosen ones decided as the order will redeem them, and what her
 * points can pay. Nothing is spent.
 */
export {
  type CheckoutCoupons,
  type CheckoutPoints,
  checkoutCoupons,
  checkoutPoints,
  checkoutPointsWorth,
} from './checkout.service.js';
/**
 * Validates and redeems an order's coupons inside the order's transaction (a conditional update issued →
 * redeemed: of two channels racing for one coupon exactly one wins). Returns per coupon its amount and the line
 * keys it covers, for the order service to apportion. Throws COUPON.NOT_APPLICABLE (409; `detail` and `rule` say
 * which rule), COUPON.ALREADY_REDEEMED (409) or COUPON.NOT_FOUND (404).
 */
export { redeemCouponsForOrder } from './coupon-redemption.service.js';
export {
  type AppliedCoupon,
  COUPON_RULE_NAMES,
  type CouponLineInput,
  type CouponOffer,
  /** A coupon's code as store staff see it: enough to tell coupons apart, not to redeem one. */
  maskCouponCode,
} from './coupons.rules.js';
export { CouponErrors, LoyaltyErrors } from './loyalty.errors.js';
export type { EarningRules, Tier } from './loyalty.rules.js';
export type { LoyaltyTables } from './loyalty.schema.js';
/** The demo brand's tiers, rules, coupon templates, and members with points, coupons and trials. */
export { seedLoyalty } from './loyalty.seed.js';
/** A member's tier now. */
/** A member's tier (the base tier when she has none), and the same as SQL for set-based reads. */
export { memberTierSql, tierOf } from './loyalty.service.js';
/** A member's available and pending points (sums of the ledger). */
export { balanceOf } from './points.service.js';
/**
 * Points as part payment, inside the order's transaction: spends the oldest lots first; 100 points = ¥1 by
 * default (`redeemPointsPerYuan`). Returns the points taken and their value in fen; LOYALTY.INSUFFICIENT_POINTS
 * (409) when the member has fewer available.
 */
export { redeemPointsForOrder } from './points-spending.service.js';
