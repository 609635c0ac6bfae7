import { type Answer, allOf, type Body, call, client, type QueryOf } from './client';

/** Loyalty and experience as the console reads them (money in integer fen, times ISO 8601 UTC), typed from /openapi.json. */
export type Channel = Body<'/v1/orders'>['channel'];
export const CHANNELS = allOf<Channel>()(['online', 'mini_program', 'pos', 'wecom', 'marketplace', 'live']);

export type Tier = Answer<'/v1/loyalty/tiers'>['items'][number];
export type TierInput = Body<'/v1/loyalty/tiers', 'put'>['tiers'][number];
export type EarningRules = Answer<'/v1/loyalty/rules'>;
export type Campaign = EarningRules['campaigns'][number];
export type CouponTemplate = Answer<'/v1/coupon-templates/{code}'>;
export type CouponKind = CouponTemplate['kind'];
export type NewCouponTemplate = Body<'/v1/coupon-templates'>;
export type Coupon = Answer<'/v1/coupons/{code}'>;
export type CouponStatus = Coupon['status'];
export type PointsView = Answer<'/v1/members/{id}/points'>;
export type PointsLot = PointsView['lots'][number];
export type PointsEntry = PointsView['ledger'][number];
export type Experience = Answer<'/v1/experiences', 'post'>;
export type ExperienceKind = Experience['kind'];
export const EXPERIENCE_KINDS = allOf<ExperienceKind>()(['trial', 'try_on', 'skin_test', 'fitting']);
export type Favourite = Answer<'/v1/members/{id}/favourites'>['items'][number];
export type Recommendations = Answer<'/v1/members/{id}/recommendations'>;
export type Recommendation = Recommendations['items'][number];
export type RecommendationReason = Recommendation['reason'];

export const getTiers = (signal?: AbortSignal) => call(client.GET('/v1/loyalty/tiers', { signal }));
export const putTiers = (tiers: TierInput[]) => call(client.PUT('/v1/loyalty/tiers', { body: { tiers } }));
export const getRules = (signal?: AbortSignal) => call(client.GET('/v1/loyalty/rules', { signal }));
export const putRules = (rules: Body<'/v1/loyalty/rules', 'put'>) =>
  call(client.PUT('/v1/loyalty/rules', { body: rules }));
export const listTemplates = (query: QueryOf<'/v1/coupon-templates'> = {}, signal?: AbortSignal) =>
  call(client.GET('/v1/coupon-templates', { params: { query: { limit: 200, ...query } }, signal }));
export const getTemplate = (code: string, signal?: AbortSignal) =>
  call(client.GET('/v1/coupon-templates/{code}', { params: { path: { code } }, signal }));
export const createTemplate = (body: NewCouponTemplate) =>
  call(client.POST('/v1/coupon-templates', { body }));
export const issueCoupon = (template: string, memberId: string, store?: string) =>
  call(client.POST('/v1/coupons', { body: { template, memberId, ...(store ? { store } : {}) } }));
export const redeemAtCounter = (
  code: string,
  store: string,
  lines?: { sku: string; quantity: number; unitPrice?: number }[],
) =>
  call(
    client.POST('/v1/coupons/{code}/redeem', {
      params: { path: { code } },
      body: { store, ...(lines?.length ? { lines } : {}) },
    }),
  );
export const pointsOf = (
  memberId: string,
  query: QueryOf<'/v1/members/{id}/points'> = {},
  signal?: AbortSignal,
) => call(client.GET('/v1/members/{id}/points', { params: { path: { id: memberId }, query }, signal }));
export const couponsOf = (
  memberId: string,
  query: QueryOf<'/v1/members/{id}/coupons'> = {},
  signal?: AbortSignal,
) => call(client.GET('/v1/members/{id}/coupons', { params: { path: { id: memberId }, query }, signal }));
export const recordExperience = (body: Body<'/v1/experiences'>) =>
  call(client.POST('/v1/experiences', { body }));
export const experiencesOf = (
  memberId: string,
  query: QueryOf<'/v1/members/{id}/experiences'> = {},
  signal?: AbortSignal,
) => call(client.GET('/v1/members/{id}/experiences', { params: { path: { id: memberId }, query }, signal }));
export const recommendationsFor = (
  memberId: string,
  query: QueryOf<'/v1/members/{id}/recommendations'> = {},
  signal?: AbortSignal,
) =>
  call(client.GET('/v1/members/{id}/recommendations', { params: { path: { id: memberId }, query }, signal }));
export const saveFavourite = (memberId: string, sku: string, store?: string) =>
  call(
    client.POST('/v1/members/{id}/favourites', {
      params: { path: { id: memberId } },
      body: { sku, ...(store ? { store } : {}) },
    }),
  );

/** What a coupon takes off, as a person reads it: ¥50.00, or 15% (at most ¥60.00). */
export function couponValue(
  c: { kind: string; value: number; maxDiscount?: number | null },
  fen: (n: number) => string,
): string {
  if (c.kind === 'percent_off') {
    return `${c.value}%${c.maxDiscount ? ` (≤ ${fen(c.maxDiscount)})` : ''}`;
  }
  return fen(c.value);
}

/** The coupon centre (领券中心): what she may claim now, and her claim of one. */
export type CentreOffer = Answer<'/v1/members/{id}/coupon-centre'>['items'][number];
export const couponCentreOf = (memberId: string, signal?: AbortSignal) =>
  call(client.GET('/v1/members/{id}/coupon-centre', { params: { path: { id: memberId } }, signal }));
export const claimCoupon = (memberId: string, template: string) =>
  call(
    client.POST('/v1/members/{id}/coupon-centre/{template}', {
      params: { path: { id: memberId, template } },
    }),
  );
export const favouritesOf = (memberId: string, signal?: AbortSignal) =>
  call(client.GET('/v1/members/{id}/favourites', { params: { path: { id: memberId } }, signal }));
export const removeFavourite = (memberId: string, sku: string) =>
  call(client.DELETE('/v1/members/{id}/favourites/{sku}', { params: { path: { id: memberId, sku } } }));
