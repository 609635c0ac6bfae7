/** Row types of the loyalty context (snake_case, as stored). JSON columns are text; booleans are 0/1. */
export interface LoyaltyTables {
  loyalty_tiers: LoyaltyTiersTable;
  loyalty_settings: LoyaltySettingsTable;
  loyalty_member_tiers: LoyaltyMemberTiersTable;
  loyalty_tier_changes: LoyaltyTierChangesTable;
  loyalty_tier_reviews: LoyaltyTierReviewsTable;
  loyalty_spend: LoyaltySpendTable;
  loyalty_points_lots: LoyaltyPointsLotsTable;
  loyalty_points_ledger: LoyaltyPointsLedgerTable;
  loyalty_points_allocations: LoyaltyPointsAllocationsTable;
  loyalty_points_redemptions: LoyaltyPointsRedemptionsTable;
  loyalty_order_restorations: LoyaltyOrderRestorationsTable;
  loyalty_return_reversals: LoyaltyReturnReversalsTable;
  coupon_templates: CouponTemplatesTable;
  coupons: CouponsTable;
  coupon_redemptions: CouponRedemptionsTable;
}

export interface LoyaltyTiersTable {
  code: string;
  name: string;
  /** 0 is the base tier; higher is better. */
  rank: number;
  /** Qualifying spend (fen, rolling 12 months) from which the tier applies. */
  threshold: number;
  /** Points multiplier of the tier. */
  multiplier: number;
  /** JSON array of benefit descriptions. */
  benefits: string;
  updated_at: string;
}

export interface LoyaltySettingsTable {
  key: string;
  value: string;
  updated_by: string;
  updated_at: string;
}

export interface LoyaltyMemberTiersTable {
  member_id: string;
  tier: string;
  since: string;
  updated_at: string;
}

export type TierChangeReason = 'upgrade' | 'review' | 'merge';

export interface LoyaltyTierChangesTable {
  id: string;
  member_id: string;
  from_tier: string | null;
  to_tier: string;
  reason: TierChangeReason;
  qualifying_spend: number;
  changed_at: string;
}

export interface LoyaltyTierReviewsTable {
  period: string;
  changed: number;
  ran_at: string;
}

export interface LoyaltySpendTable {
  id: string;
  member_id: string;
  source_key: string;
  order_id: string;
  amount: number;
  occurred_at: string;
}

export type LotKind = 'earn' | 'debt';
export type LotStatus = 'pending' | 'available' | 'expired' | 'settled';

export interface LoyaltyPointsLotsTable {
  id: string;
  member_id: string;
  source_key: string;
  kind: LotKind;
  order_id: string | null;
  line_no: number | null;
  sku: string | null;
  /** Units of the order line that earned the lot (returns take back points per unit). */
  quantity: number;
  /** Fen paid in money for the line (what earned the points). */
  paid_amount: number;
  /** Points earned. */
  points: number;
  /** Points taken back by returns. */
  reversed_points: number;
  reversed_quantity: number;
  /** Spendable points left (available lots); negative for a debt lot. */
  remaining: number;
  expired_points: number;
  status: LotStatus;
  earned_at: string;
  available_at: string;
  expires_at: string | null;
}

export type LedgerKind =
  | 'earn'
  | 'mature'
  | 'redeem'
  | 'exchange'
  | 'restore'
  | 'reverse'
  | 'expire'
  | 'adjust';

export interface LoyaltyPointsLedgerTable {
  id: string;
  member_id: string;
  source_key: string;
  kind: LedgerKind;
  /** Change of the available balance. */
  points: number;
  /** Change of the pending balance. */
  pending_points: number;
  lot_id: string | null;
  order_id: string | null;
  reference: string | null;
  created_at: string;
}

export interface LoyaltyPointsAllocationsTable {
  id: string;
  /** The ledger source key of the spend (`redeem:<orderId>`, `exchange:<couponCode>`). */
  spend_key: string;
  lot_id: string;
  points: number;
  restored: number;
  seq: number;
}

export interface LoyaltyPointsRedemptionsTable {
  order_id: string;
  member_id: string;
  points: number;
  amount: number;
  restored_points: number;
  created_at: string;
}

export interface LoyaltyOrderRestorationsTable {
  order_id: string;
  created_at: string;
}

export interface LoyaltyReturnReversalsTable {
  return_id: string;
  order_id: string;
  result: string;
  created_at: string;
}

export type CouponKind = 'amount_off' | 'percent_off';

export interface CouponTemplatesTable {
  code: string;
  name: string;
  kind: CouponKind;
  /** Fen off (amount_off) or percent off (percent_off, 1–99). */
  value: number;
  max_discount: number | null;
  min_spend: number;
  /** JSON string arrays; null means no restriction. */
  channels: string | null;
  stores: string | null;
  skus: string | null;
  categories: string | null;
  tiers: string | null;
  valid_from: string;
  valid_to: string;
  /** Days a coupon stays valid after issue (within the template's window). */
  valid_days: number | null;
  per_member_limit: number | null;
  total_limit: number | null;
  issued_count: number;
  stackable: number;
  issuable_in_store: number;
  /** 1: customers claim it themselves in the coupon centre (领券中心), within its limits. */
  claimable: number;
  points_cost: number | null;
  description: string | null;
  created_at: string;
}

export type CouponStatus = 'issued' | 'redeemed' | 'expired';

export interface CouponsTable {
  code: string;
  template: string;
  member_id: string;
  status: CouponStatus;
  valid_from: string;
  valid_to: string;
  issued_at: string;
  issued_by: string;
  issued_store: string | null;
  order_id: string | null;
  redeemed_at: string | null;
  redeemed_channel: string | null;
  redeemed_store: string | null;
  amount: number | null;
}

export interface CouponRedemptionsTable {
  id: string;
  code: string;
  order_id: string | null;
  channel: string;
  store: string | null;
  amount: number;
  redeemed_by: string;
  redeemed_at: string;
  restored_at: string | null;
}
