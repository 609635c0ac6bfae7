import type { Kysely, RawBuilder } from 'kysely';
import type { Static, TSchema } from 'typebox';
import type { DB } from './db/index.js';

/**
 * What a context says about members besides its routes, as fields of its `AppModule`: which of its tables hold a
 * member's rows, and which parts of the member 360 view it supplies. The members context reads them (merges move
 * the rows, the view shows the sections); `src/app.ts` links them once from every module.
 */

/** A table whose rows belong to a member: a merge moves them to the surviving member, an unmerge moves them back. */
export interface MemberReference {
  table: string;
  /** The column holding the member id. */
  memberColumn: string;
  /** A column that identifies a row for good (its primary key): the merge log keeps these to undo the move. */
  keyColumn: string;
}

/** Who is looking at a member: store staff and channel apps see personal data masked. */
export interface MemberViewer {
  role: string;
  masked: boolean;
  /**
   * The store a store manager or guide works at: each section shows only that store's records of the member (its
   * orders, returns, bookings, trials), as the direct routes do; null for everyone else.
   */
  store: string | null;
}

/** Loads one part of the member 360 view (recent orders, points, tier, coupons, experiences …). */
export type MemberViewSectionLoader = (
  db: Kysely<DB>,
  memberId: string,
  viewer: MemberViewer,
) => Promise<unknown>;

/** One part of the member 360 view: its shape (in the view's answer schema) and how it is loaded. */
export interface MemberViewSection {
  schema: TSchema;
  load: MemberViewSectionLoader;
}

/** A section whose loader must give what its schema says (checked by the compiler). */
export function memberViewSection<S extends TSchema>(
  schema: S,
  load: (db: Kysely<DB>, memberId: string, viewer: MemberViewer) => Promise<Static<S>>,
): MemberViewSection {
  return { schema, load };
}

/** The filters of the member list (`GET /v1/members?tag=…`), each supplied by the context that owns what it reads. */
export const MEMBER_LIST_FILTERS = ['tag', 'segment', 'rfm', 'tier'] as const;
export type MemberListFilterName = (typeof MEMBER_LIST_FILTERS)[number];

/**
 * One filter of the member list: a predicate on `members.id` for the value asked (a tag code, a segment id …).
 * The members context applies it without knowing the tables it reads.
 */
export type MemberListFilter = (value: string) => RawBuilder<boolean>;
