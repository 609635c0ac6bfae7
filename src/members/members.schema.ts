import type { Generated } from 'kysely';

/** Row types of the members context (snake_case, as stored). Personal data appears only as ciphertext. */
export interface MembersTables {
  members: MembersTable;
  member_identifiers: MemberIdentifiersTable;
  member_consents: MemberConsentsTable;
  member_guide_bindings: MemberGuideBindingsTable;
  member_merges: MemberMergesTable;
  identity_reviews: IdentityReviewsTable;
  identity_blocklist: IdentityBlocklistTable;
  pii_access_log: PiiAccessLogTable;
  sms_outbox: SmsOutboxTable;
  sms_codes: SmsCodesTable;
  member_code_numbers: MemberCodeNumbersTable;
}

/** The number a member's code (会员码) carries in place of her id. */
export interface MemberCodeNumbersTable {
  number: Generated<number>;
  member_id: string;
  created_at: string;
}

/** `merged`: a shell pointing at the member it was merged into; `erased`: an anonymised shell (PIPL erasure). */
export type MemberStatus = 'active' | 'merged' | 'erased';
export type IdentityReviewStatus = 'pending' | 'merged' | 'rejected';
export type SmsStatus = 'queued' | 'delivered' | 'failed';

export interface MembersTable {
  id: string;
  status: MemberStatus;
  /** The member this one was merged into (status `merged`). */
  merged_into: string | null;
  /** The channel where the member was first seen. */
  channel: string;
  /** Encrypted JSON of the personal traits (name, birthday, address). */
  profile_ciphertext: string | null;
  /** Blind index of the normalised full name, for exact name search. */
  name_index: string | null;
  /** JSON of the traits that are not personal data (gender, skin type …). */
  traits: string;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
}

export interface MemberIdentifiersTable {
  id: string;
  member_id: string;
  type: string;
  /** The mini-program or official account an openid belongs to; '' for every other type. */
  app_id: string;
  blind_index: string;
  ciphertext: string;
  verified: number;
  channel: string;
  created_at: string;
}

export interface MemberConsentsTable {
  seq: Generated<number>;
  member_id: string;
  purpose: string;
  granted: number;
  channel: string;
  source: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface MemberGuideBindingsTable {
  seq: Generated<number>;
  member_id: string;
  guide: string;
  store_code: string;
  bound_by: string;
  bound_at: string;
}

export interface MemberMergesTable {
  id: string;
  target_member_id: string;
  source_member_id: string;
  reason: 'identify' | 'review';
  review_id: string | null;
  actor: string;
  /** JSON: which rows of which tables moved, and which traits the target took over (see MergeRecord). */
  record: string;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

export interface IdentityReviewsTable {
  id: string;
  status: IdentityReviewStatus;
  reason: string;
  /** JSON array of member ids, oldest first. */
  member_ids: string;
  /** Encrypted JSON of the identifiers held back until the review is decided. */
  pending_identifiers: string | null;
  /** Set while pending so that the same conflict opens one review, not one per request. */
  open_key: string | null;
  channel: string;
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
  merge_ids: string | null;
}

export interface IdentityBlocklistTable {
  type: string;
  app_id: string;
  blind_index: string;
  reason: string;
  created_by: string;
  created_at: string;
}

export interface PiiAccessLogTable {
  seq: Generated<number>;
  member_id: string;
  actor_role: string;
  actor: string;
  action: string;
  request_id: string | null;
  at: string;
}

export interface SmsOutboxTable {
  id: string;
  phone_index: string;
  phone_ciphertext: string;
  template: string;
  params_ciphertext: string;
  status: SmsStatus;
  attempts: number;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface SmsCodesTable {
  id: string;
  phone_index: string;
  code_hash: string;
  attempts: number;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}
