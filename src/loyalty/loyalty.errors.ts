import { defineError } from '../platform/index.js';

/** The loyalty context's error catalogue (points, tiers, coupons). */
export const LoyaltyErrors = {
  insufficientPoints: defineError(
    'LOYALTY.INSUFFICIENT_POINTS',
    'conflict',
    'The member has fewer available points',
  ),
  invalidPoints: defineError('LOYALTY.INVALID_POINTS', 'invalid', 'The number of points is not valid'),
  invalidTiers: defineError('LOYALTY.INVALID_TIERS', 'invalid', 'The tier set is not valid'),
  invalidRules: defineError('LOYALTY.INVALID_RULES', 'invalid', 'The earning rules are not valid'),
  notExchangeable: defineError(
    'LOYALTY.NOT_EXCHANGEABLE',
    'conflict',
    'This coupon template cannot be exchanged for points',
  ),
};

export const CouponErrors = {
  notFound: defineError('COUPON.NOT_FOUND', 'not_found', 'No such coupon'),
  templateNotFound: defineError('COUPON.TEMPLATE_NOT_FOUND', 'not_found', 'No such coupon template'),
  templateCodeTaken: defineError('COUPON.TEMPLATE_CODE_TAKEN', 'conflict', 'This template code is taken'),
  invalidTemplate: defineError('COUPON.INVALID_TEMPLATE', 'invalid', 'The coupon template is not valid'),
  notApplicable: defineError('COUPON.NOT_APPLICABLE', 'conflict', 'The coupon cannot be used here'),
  alreadyRedeemed: defineError('COUPON.ALREADY_REDEEMED', 'conflict', 'The coupon was already used'),
  limitReached: defineError(
    'COUPON.LIMIT_REACHED',
    'conflict',
    'No more coupons of this template may be issued',
  ),
  notIssuable: defineError(
    'COUPON.NOT_ISSUABLE',
    'conflict',
    'This coupon cannot be issued to this member now',
  ),
  notClaimable: defineError(
    'COUPON.NOT_CLAIMABLE',
    'conflict',
    'This coupon is not offered in the coupon centre now',
  ),
  notIssuableInStore: defineError(
    'COUPON.NOT_ISSUABLE_IN_STORE',
    'forbidden',
    'Store staff may only issue templates that allow issuing in store',
  ),
};
