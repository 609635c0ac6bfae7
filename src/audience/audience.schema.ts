import type { Generated } from 'kysely';
import type { ActivityTables } from './activity.schema.js';
import type { RfmTables } from './rfm.schema.js';
import type { SegmentsTables } from './segments.schema.js';
import type { TagsTables } from './tags.schema.js';
import type { TraitsTables } from './traits.schema.js';

/** Row types of the audience context (snake_case, as stored): activity, traits, tags, RFM, segments. */
export interface AudienceTables extends ActivityTables, TraitsTables, TagsTables, RfmTables, SegmentsTables {
  member_activity: MemberActivityTable;
  member_traits: MemberTraitsTable;
  tag_groups: TagGroupsTable;
  tags: TagsTable;
  member_tags: MemberTagsTable;
  member_tag_history: MemberTagHistoryTable;
  rfm_runs: RfmRunsTable;
  rfm_scores: RfmScoresTable;
  segments: SegmentsTable;
  segment_members: SegmentMembersTable;
}

/**
 * One thing a member (or a device not yet joined to one) did: a tracked app event, or a fact the platform records
 * itself (`order.completed`, `return.received`, `experience.recorded`, `coupon.redeemed`), one row per SKU touched.
 */
export interface MemberActivityTable {
  seq: Generated<number>;
  member_id: string | null;
  /** The channel app's device id before the member is known; kept after the join. */
  anonymous_id: string | null;
  type: string;
  channel: string;
  sku: string | null;
  category: string | null;
  store: string | null;
  /** The order, return, trial or coupon it belongs to: "how many orders" counts distinct refs. */
  ref: string | null;
  /** Fen, where the fact has an amount (a line's paid amount, a refund). */
  amount: number | null;
  occurred_at: string;
  received_at: string;
  /** JSON of the app's own properties. */
  properties: string | null;
}

/** The computed profile of a member, kept current from orders, returns, trials, activity and the import. */
export interface MemberTraitsTable {
  member_id: string;
  /**
   * The member's card number (the brand's own number, not personal data), copied here so that set-based analysis
   * can break ties by it (RFM) without decrypting an identifier per member.
   */
  card: string | null;
  first_order_at: string | null;
  last_order_at: string | null;
  /** Completed purchase orders (history included); a return does not take one away. */
  order_count: number;
  /** Fen: those orders' amounts, returns not subtracted (as RFM's monetary); `returned_amount` is what came back. */
  spend: number;
  /** Fen: the same over the last 365 days (kept current by a daily pass as days leave the window). */
  spend_365: number;
  average_order: number;
  units_bought: number;
  units_returned: number;
  returned_amount: number;
  /** units_returned / units_bought (0 when nothing was bought). */
  return_rate: number;
  /** JSON arrays of codes. */
  channels: string;
  stores: string;
  top_categories: string;
  home_store: string | null;
  city: string | null;
  trial_count: number;
  last_trial_at: string | null;
  last_seen_at: string | null;
  updated_at: string;
}

export interface TagGroupsTable {
  code: string;
  /** JSON names per language: {"zh-CN": "肤质", "en-US": "Skin type"}. */
  names: string;
  /** 1: a member holds at most one tag of the group (setting one replaces the other). */
  exclusive: number;
  position: number;
  updated_at: string;
}

export interface TagsTable {
  code: string;
  names: string;
  group_code: string | null;
  /** JSON segment rule: the tag is set and removed by itself as members match it; null for manual tags. */
  rule: string | null;
  /** JSON {key, value}: trials whose result has it and purchases of SKUs whose attributes have it set the tag. */
  feed: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export type TagSource = 'manual' | 'rule' | 'trial' | 'purchase' | 'import';

export interface MemberTagsTable {
  member_id: string;
  tag_code: string;
  source: TagSource;
  /** The staff user, or `rule:<tag>`, `trial:<id>`, `order:<id>`. */
  set_by: string;
  set_at: string;
}

export interface MemberTagHistoryTable {
  seq: Generated<number>;
  member_id: string;
  tag_code: string;
  action: 'set' | 'removed';
  source: TagSource;
  actor: string;
  at: string;
}

export type RfmScheme = 'quintile' | 'eight_class';

export interface RfmRunsTable {
  id: string;
  scheme: RfmScheme;
  as_of: string;
  /** JSON: windowDays, monetary, threshold as run. */
  settings: string;
  members: number;
  duration_ms: number;
  /** JSON [{segment, members, monetary}]. */
  segments: string;
  created_by: string;
  created_at: string;
}

export interface RfmScoresTable {
  run_id: string;
  member_id: string;
  recency: number;
  frequency: number;
  monetary: number;
  r_score: number;
  f_score: number;
  m_score: number;
  segment: string;
}

export interface SegmentsTable {
  id: string;
  name: string;
  /** JSON of the rule (API.md's rule language). */
  rule: string;
  count: number;
  computed_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface SegmentMembersTable {
  segment_id: string;
  member_id: string;
  entered_at: string;
}
