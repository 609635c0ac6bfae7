import Type from 'typebox';
import { defineEvent, Nullable, StringEnum } from '../platform/index.js';
import { CouponTemplate, EarningRules, Tier } from './loyalty.contract.js';

// The loyalty events (topics `loyalty`, `coupon`, `member`): points earned, spent and given back, coupons issued
// and redeemed, tiers reached. They carry ids, codes and amounts. Producers build them with newEvent, consumers
// read them with payloadOf.

const Time = Type.String({ format: 'date-time' });
const Fen = Type.Integer({ description: 'fen' });

export const PointsEarned = defineEvent(
  'loyalty.points_earned',
  Type.Object({
    memberId: Type.String(),
    orderId: Type.String(),
    channel: Type.String(),
    points: Type.Integer(),
    availableAt: Time,
    expiresAt: Nullable(Time),
  }),
);

/** Earned points passed the return window: spendable now. */
export const PointsMatured = defineEvent(
  'loyalty.points_matured',
  Type.Object({ memberId: Type.String(), orderId: Nullable(Type.String()), points: Type.Integer() }),
);

export const PointsExpired = defineEvent(
  'loyalty.points_expired',
  Type.Object({ memberId: Type.String(), lotId: Type.String(), points: Type.Integer() }),
);

/** Points paid part of an order. */
export const PointsRedeemed = defineEvent(
  'loyalty.points_redeemed',
  Type.Object({ memberId: Type.String(), orderId: Type.String(), points: Type.Integer(), amount: Fen }),
);

/** Points bought a coupon. */
export const PointsExchanged = defineEvent(
  'loyalty.points_exchanged',
  Type.Object({ memberId: Type.String(), points: Type.Integer(), coupon: Type.String() }),
);

/** Points an order paid with came back (the order was cancelled or returned). */
export const PointsRestored = defineEvent(
  'loyalty.points_restored',
  Type.Object({
    memberId: Type.String(),
    orderId: Type.String(),
    points: Type.Integer(),
    expired: Type.Integer({ description: 'of which had expired meanwhile, and expired again at once' }),
  }),
);

/** Points earned on returned lines were taken back. */
export const PointsReversed = defineEvent(
  'loyalty.points_reversed',
  Type.Object({
    memberId: Type.String(),
    orderId: Type.String(),
    returnId: Type.String(),
    points: Type.Integer(),
  }),
);

export const RulesChanged = defineEvent('loyalty.rules_changed', Type.Object({ rules: EarningRules }));
export const TiersChanged = defineEvent('loyalty.tiers_changed', Type.Object({ tiers: Type.Array(Tier) }));

export const TierChanged = defineEvent(
  'member.tier_changed',
  Type.Object({
    memberId: Type.String(),
    from: Nullable(Type.String()),
    to: Type.String(),
    toName: Type.String(),
    direction: StringEnum(['up', 'down']),
    reason: StringEnum(['upgrade', 'review', 'merge']),
    qualifyingSpend: Fen,
  }),
);

export const CouponTemplateCreated = defineEvent(
  'coupon.template_created',
  Type.Object({ template: CouponTemplate }),
);

export const CouponIssued = defineEvent(
  'coupon.issued',
  Type.Object({
    code: Type.String(),
    template: Type.String(),
    memberId: Type.String(),
    issuedBy: Type.String(),
    store: Nullable(Type.String()),
  }),
);

/** A coupon was used: in an order, or at a counter (orderId null). */
export const CouponRedeemed = defineEvent(
  'coupon.redeemed',
  Type.Object({
    code: Type.String(),
    template: Type.String(),
    memberId: Type.String(),
    orderId: Nullable(Type.String()),
    channel: Type.String(),
    store: Nullable(Type.String()),
    amount: Fen,
  }),
);

/** A redeemed coupon came back with its cancelled order (expired if its validity has passed). */
export const CouponRestored = defineEvent(
  'coupon.restored',
  Type.Object({
    code: Type.String(),
    memberId: Type.String(),
    orderId: Type.String(),
    status: StringEnum(['issued', 'expired']),
  }),
);
