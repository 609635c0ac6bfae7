import { api, seg } from './client';
import type { Page } from './types';

/** Loyalty and experience as the console reads them (money in integer fen, times ISO 8601 UTC). */
export const CHANNELS = ['online', 'mini_program', 'pos', 'wecom', 'marketplace', 'live'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Tier {
  code: string;
  name: string;
  rank?: number;
  /** Qualifying spend in fen over a rolling 12 months, every channel. */
  threshold: number;
  multiplier: number;
  benefits?: string[];
}

/** The member's tier as the 360 view carries it. */
export interface MemberTier {
  code: string;
  name: string;
  rank: number;
  multiplier: number;
  benefits?: string[];
  since: string | null;
  qualifyingSpend: number;
  next: { code: string; name: string; threshold: number; missing: number } | null;
}

export interface Campaign {
  name: string;
  multiplier: number;
  from: string;
  to: string;
  channels?: Channel[];
  categories?: string[];
}

export interface EarningRules {
  pointsPerYuan: number;
  channels: Record<string, number>;
  categories: Record<string, number>;
  campaigns: Campaign[];
  returnWindowSeconds: number;
  redeemPointsPerYuan: number;
  expiry: { mode: 'year_end'; years?: number } | { mode: 'after'; seconds?: number };
  timeZone?: string;
}

export type CouponKind = 'amount_off' | 'percent_off';

export interface CouponTemplate {
  code: string;
  name: string;
  kind: CouponKind;
  /** Fen off (amount_off) or the percent taken off (percent_off). */
  value: number;
  maxDiscount: number | null;
  minSpend: number;
  channels: string[] | null;
  stores: string[] | null;
  skus: string[] | null;
  categories: string[] | null;
  tiers: string[] | null;
  validFrom: string;
  validTo: string;
  validDays: number | null;
  perMemberLimit: number | null;
  totalLimit: number | null;
  issuedCount: number;
  stackable: boolean;
  issuableInStore: boolean;
  pointsCost: number | null;
  description: string | null;
  createdAt: string;
}

export type NewCouponTemplate = Omit<
  CouponTemplate,
  | 'issuedCount'
  | 'createdAt'
  | 'maxDiscount'
  | 'channels'
  | 'stores'
  | 'skus'
  | 'categories'
  | 'tiers'
  | 'validDays'
  | 'perMemberLimit'
  | 'totalLimit'
  | 'pointsCost'
  | 'description'
> &
  Partial<{
    maxDiscount: number;
    channels: string[];
    stores: string[];
    skus: string[];
    categories: string[];
    tiers: string[];
    validDays: number;
    perMemberLimit: number;
    totalLimit: number;
    pointsCost: number;
    description: string;
  }>;

export type CouponStatus = 'issued' | 'redeemed' | 'expired';

export interface Coupon {
  code: string;
  template: string;
  name: string;
  kind: CouponKind;
  value: number;
  minSpend: number;
  channels: string[] | null;
  stores: string[] | null;
  memberId: string;
  status: CouponStatus;
  validFrom: string;
  validTo: string;
  issuedAt: string;
  issuedBy: string;
  issuedStore: string | null;
  orderId: string | null;
  redeemedAt: string | null;
  redeemedChannel: string | null;
  redeemedStore: string | null;
  /** Fen taken off when redeemed. */
  amount: number | null;
}

export interface PointsLot {
  id: string;
  kind: 'earn' | 'debt';
  status: string;
  orderId: string | null;
  lineNo: number | null;
  sku: string | null;
  points: number;
  reversedPoints: number;
  remaining: number;
  pending: number;
  expiredPoints: number;
  earnedAt: string;
  availableAt: string;
  expiresAt: string | null;
}

export interface PointsEntry {
  id: string;
  kind: string;
  /** Change of the available balance. */
  points: number;
  /** Change of the pending balance. */
  pendingPoints: number;
  lotId: string | null;
  orderId: string | null;
  reference: string | null;
  source: string;
  createdAt: string;
}

export interface PointsView {
  memberId: string;
  available: number;
  pending: number;
  lots: PointsLot[];
  ledger: PointsEntry[];
  nextCursor: string | null;
}

export const EXPERIENCE_KINDS = ['trial', 'try_on', 'skin_test', 'fitting'] as const;
export type ExperienceKind = (typeof EXPERIENCE_KINDS)[number];

export interface Experience {
  id: string;
  memberId: string;
  store: string;
  guide: string | null;
  sku: string;
  kind: ExperienceKind;
  result: Record<string, unknown> | null;
  recordedBy: string;
  recordedAt: string;
}

export interface Favourite {
  id: string;
  memberId: string;
  sku: string;
  store: string | null;
  recordedBy: string;
  createdAt: string;
}

export type RecommendationReason = 'tried_in_store' | 'favourited' | 'bought_together' | 'bestseller';

export interface Recommendation {
  sku: string;
  name: string;
  productCode: string;
  price: number;
  reason: RecommendationReason | string;
  score: number;
  available: number;
  store?: string | null;
  at?: string;
  count?: number;
}

export interface Recommendations {
  memberId: string;
  personalized: boolean;
  channel: string;
  items: Recommendation[];
}

export const getTiers = () => api.get<{ items: Tier[] }>('/v1/loyalty/tiers');
export const putTiers = (tiers: Tier[]) => api.put<{ items: Tier[] }>('/v1/loyalty/tiers', { tiers });
export const getRules = () => api.get<EarningRules>('/v1/loyalty/rules');
export const putRules = (rules: Partial<EarningRules>) => api.put<EarningRules>('/v1/loyalty/rules', rules);
export const listTemplates = (query: { issuableInStore?: boolean; cursor?: string | null } = {}) =>
  api.get<Page<CouponTemplate>>('/v1/coupon-templates', { limit: 200, ...query });
export const createTemplate = (body: NewCouponTemplate) =>
  api.post<CouponTemplate>('/v1/coupon-templates', body);
export const issueCoupon = (template: string, memberId: string, store?: string) =>
  api.post<Coupon>('/v1/coupons', { template, memberId, ...(store ? { store } : {}) });
export const redeemAtCounter = (
  code: string,
  store: string,
  lines?: { sku: string; quantity: number; unitPrice?: number }[],
) => api.post<Coupon>(`/v1/coupons/${seg(code)}/redeem`, { store, ...(lines?.length ? { lines } : {}) });
export const recordExperience = (body: {
  memberId: string;
  store: string;
  guide?: string;
  sku: string;
  kind: ExperienceKind;
  result?: Record<string, string>;
}) => api.post<Experience>('/v1/experiences', body);

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
