import { type Kysely, type Selectable, sql } from 'kysely';
import {
  type Actor,
  actorName,
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { IdentityReview } from './members.contract.js';
import { MemberErrors, ResolutionRace } from './members.errors.js';
import { MemberMerged, MemberUnmerged } from './members.events.js';
import type { Pii } from './members.pii.js';
import { memberReferences } from './members.registry.js';
import {
  attachIdentifiers,
  findIdentifierRows,
  isPersonal,
  lockMembers,
  profileColumns,
  readProfile,
  resolveMemberId,
  type TraitValue,
  toHeld,
} from './members.rows.js';
import {
  type IdentifierType,
  type IncomingIdentifier,
  identifierKey,
  indexScope,
  maskIdentifier,
  type NormalisedIdentifier,
  normaliseIdentifier,
  PERSONAL_TRAITS,
} from './members.rules.js';
import type { IdentityReviewStatus } from './members.schema.js';

// ---------------------------------------------------------------------------------------------------------
// Merge and unmerge.

interface MergeRecord {
  /** Per table: the keys of the rows that moved from the source to the target. */
  moved: Record<string, (string | number)[]>;
  /** Traits the target did not have and took from the source. */
  filled: { personal: string[]; traits: string[] };
}

/**
 * Merges `sourceId` into `targetId`: every registered reference (identifiers, consents, guide bindings, and
 * other contexts' orders, points, coupons, experiences …) moves to the target, the target takes the traits it
 * lacked, the source stays as a `merged` shell pointing at the target. The log keeps exactly which rows moved.
 * Callers hold the locks on both members.
 */
export async function mergeInto(
  trx: Trx,
  targetId: string,
  sourceId: string,
  options: { reason: 'identify' | 'review'; reviewId: string | null; actor: Actor; pii: Pii },
): Promise<string> {
  const [target, source] = await Promise.all([
    trx.selectFrom('members').selectAll().where('id', '=', targetId).executeTakeFirstOrThrow(),
    trx.selectFrom('members').selectAll().where('id', '=', sourceId).executeTakeFirstOrThrow(),
  ]);
  if (target.status !== 'active' || source.status !== 'active') throw new ResolutionRace('member not active');
  const record: MergeRecord = { moved: {}, filled: { personal: [], traits: [] } };
  for (const ref of memberReferences()) {
    const moved = await sql<{ k: string | number }>`update ${sql.table(ref.table)} set ${sql.ref(
      ref.memberColumn,
    )} = ${targetId} where ${sql.ref(ref.memberColumn)} = ${sourceId} returning ${sql.ref(ref.keyColumn)} as k`.execute(
      trx,
    );
    if (moved.rows.length > 0) record.moved[ref.table] = moved.rows.map((r) => r.k);
  }

  const now = nowIso();
  const pii = options.pii;
  const targetTraits = JSON.parse(target.traits) as Record<string, TraitValue>;
  const sourceTraits = JSON.parse(source.traits) as Record<string, TraitValue>;
  for (const [key, value] of Object.entries(sourceTraits)) {
    if (!(key in targetTraits)) {
      targetTraits[key] = value;
      record.filled.traits.push(key);
    }
  }
  let personalColumns: Partial<ReturnType<typeof profileColumns>> = {};
  if (source.profile_ciphertext) {
    const targetProfile = readProfile(pii, target);
    const sourceProfile = readProfile(pii, source);
    for (const key of PERSONAL_TRAITS) {
      const value = sourceProfile.personal[key];
      if (value !== undefined && targetProfile.personal[key] === undefined) {
        targetProfile.personal[key] = value;
        record.filled.personal.push(key);
      }
    }
    const columns = profileColumns(pii, { personal: targetProfile.personal, traits: targetTraits });
    personalColumns = { profile_ciphertext: columns.profile_ciphertext, name_index: columns.name_index };
  }
  await trx
    .updateTable('members')
    .set({ ...personalColumns, traits: JSON.stringify(targetTraits), updated_at: now })
    .where('id', '=', targetId)
    .execute();
  await trx
    .updateTable('members')
    .set({ status: 'merged', merged_into: targetId, updated_at: now })
    .where('id', '=', sourceId)
    .where('status', '=', 'active')
    .execute();
  const mergeId = newId('mrg');
  await trx
    .insertInto('member_merges')
    .values({
      id: mergeId,
      target_member_id: targetId,
      source_member_id: sourceId,
      reason: options.reason,
      review_id: options.reviewId,
      actor: actorName(options.actor),
      record: JSON.stringify(record),
      created_at: now,
      undone_at: null,
      undone_by: null,
    })
    .execute();
  await appendEvent(
    trx,
    newEvent(MemberMerged, {
      stream: `member:${targetId}`,
      payload: { memberId: targetId, mergedFrom: sourceId, mergeId, reason: options.reason },
    }),
  );
  return mergeId;
}

/**
 * Undoes one merge: the rows that moved go back to the source, the traits the target took from it are removed
 * (unless changed since), and the source is an active member again. Rows written after the merge stay with the
 * target. A merge whose target was itself merged or erased since cannot be undone until that is undone.
 */
export async function unmerge(
  trx: Trx,
  pii: Pii,
  memberId: string,
  mergeId: string,
  actor: Actor,
): Promise<{ memberId: string; restoredMemberId: string; mergeId: string }> {
  const merge = await trx
    .selectFrom('member_merges')
    .selectAll()
    .where('id', '=', mergeId)
    .where('target_member_id', '=', memberId)
    .executeTakeFirst();
  if (!merge) throw MemberErrors.mergeNotFound(`Member ${memberId} has no merge ${mergeId}`);
  if (merge.undone_at !== null) throw MemberErrors.unmergeBlocked(`Merge ${mergeId} was already undone`);
  const sourceId = merge.source_member_id;
  const locked = await lockMembers(trx, [memberId, sourceId]);
  const target = locked.find((m) => m.id === memberId);
  const source = locked.find((m) => m.id === sourceId);
  if (target?.status !== 'active') {
    throw MemberErrors.unmergeBlocked(`Member ${memberId} is ${target?.status ?? 'gone'}: undo that first`);
  }
  if (source?.status !== 'merged' || source.merged_into !== memberId) {
    throw MemberErrors.unmergeBlocked(`Member ${sourceId} is no longer merged into ${memberId}`);
  }
  const now = nowIso();
  const claimed = await trx
    .updateTable('member_merges')
    .set({ undone_at: now, undone_by: actorName(actor) })
    .where('id', '=', mergeId)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1)
    throw MemberErrors.unmergeBlocked(`Merge ${mergeId} was already undone`);

  const record = JSON.parse(merge.record) as MergeRecord;
  const references = memberReferences();
  for (const [table, keys] of Object.entries(record.moved)) {
    const ref = references.find((r) => r.table === table);
    if (!ref)
      throw new Error(`The merge moved rows of ${table}, which is no longer a registered member reference`);
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      await sql`update ${sql.table(ref.table)} set ${sql.ref(ref.memberColumn)} = ${sourceId} where ${sql.ref(
        ref.memberColumn,
      )} = ${memberId} and ${sql.ref(ref.keyColumn)} in (${sql.join(chunk)})`.execute(trx);
    }
  }

  const targetProfile = readProfile(pii, target);
  const sourceProfile = readProfile(pii, source);
  for (const key of record.filled.traits) {
    if (JSON.stringify(targetProfile.traits[key]) === JSON.stringify(sourceProfile.traits[key])) {
      delete targetProfile.traits[key];
    }
  }
  for (const key of record.filled.personal) {
    if (isPersonal(key) && targetProfile.personal[key] === sourceProfile.personal[key]) {
      delete targetProfile.personal[key];
    }
  }
  await trx
    .updateTable('members')
    .set({ ...profileColumns(pii, targetProfile), updated_at: now })
    .where('id', '=', memberId)
    .execute();
  await trx
    .updateTable('members')
    .set({ status: 'active', merged_into: null, updated_at: now })
    .where('id', '=', sourceId)
    .execute();
  await appendEvent(
    trx,
    newEvent(MemberUnmerged, {
      stream: `member:${memberId}`,
      payload: { memberId, restoredMemberId: sourceId, mergeId },
    }),
  );
  return { memberId, restoredMemberId: sourceId, mergeId };
}

export interface MergeLogEntry {
  id: string;
  memberId: string;
  mergedFrom: string;
  reason: string;
  reviewId: string | null;
  actor: string;
  moved: Record<string, number>;
  createdAt: string;
  undoneAt: string | null;
  undoneBy: string | null;
}

export async function listMerges(db: Kysely<DB>, memberId: string): Promise<MergeLogEntry[]> {
  const rows = await db
    .selectFrom('member_merges')
    .selectAll()
    .where((eb) => eb.or([eb('target_member_id', '=', memberId), eb('source_member_id', '=', memberId)]))
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => {
    const record = JSON.parse(r.record) as MergeRecord;
    return {
      id: r.id,
      memberId: r.target_member_id,
      mergedFrom: r.source_member_id,
      reason: r.reason,
      reviewId: r.review_id,
      actor: r.actor,
      moved: Object.fromEntries(Object.entries(record.moved).map(([t, keys]) => [t, keys.length])),
      createdAt: r.created_at,
      undoneAt: r.undone_at,
      undoneBy: r.undone_by,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Identity reviews.

export async function openReview(
  trx: Trx,
  pii: Pii,
  review: { reason: string; memberIds: string[]; pending: IncomingIdentifier[]; channel: string },
  now: string,
): Promise<{ id: string; reason: string }> {
  const pendingKeys = review.pending.map(identifierKey).sort();
  const openKey = pii.blindIndex(
    'review',
    `${review.reason}|${[...review.memberIds].sort().join(',')}|${pendingKeys.join(',')}`,
  );
  const id = newId('idr');
  const inserted = await trx
    .insertInto('identity_reviews')
    .values({
      id,
      status: 'pending',
      reason: review.reason,
      member_ids: JSON.stringify(review.memberIds),
      pending_identifiers:
        review.pending.length > 0
          ? pii.encrypt(
              JSON.stringify(
                review.pending.map((i) => ({
                  type: i.type,
                  appId: i.appId,
                  value: i.value,
                  verified: i.verified,
                })),
              ),
            )
          : null,
      open_key: openKey,
      channel: review.channel,
      created_at: now,
      decided_at: null,
      decided_by: null,
      merge_ids: null,
    })
    .onConflict((oc) => oc.column('open_key').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { id, reason: review.reason };
  const existing = await trx
    .selectFrom('identity_reviews')
    .select(['id', 'reason'])
    .where('open_key', '=', openKey)
    .executeTakeFirst();
  // Decided between our insert and this read: the insert's conflict was real, so ask the caller to run again.
  if (!existing) throw new ResolutionRace('review decided meanwhile');
  return existing;
}

function pendingOf(pii: Pii, ciphertext: string | null): NormalisedIdentifier[] {
  return ciphertext ? (JSON.parse(pii.decrypt(ciphertext)) as NormalisedIdentifier[]) : [];
}

function toReview(pii: Pii, row: Selectable<DB['identity_reviews']>): IdentityReview {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    memberIds: JSON.parse(row.member_ids) as string[],
    identifiers: pendingOf(pii, row.pending_identifiers).map((i) => ({
      type: i.type,
      appId: i.appId,
      masked: maskIdentifier(i.type, i.value),
    })),
    channel: row.channel,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decidedBy: row.decided_by,
    mergeIds: row.merge_ids ? (JSON.parse(row.merge_ids) as string[]) : [],
  };
}

export async function listReviews(
  db: Kysely<DB>,
  pii: Pii,
  query: { status?: IdentityReviewStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: IdentityReview[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, ['string']);
  let q = db
    .selectFrom('identity_reviews')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.status) q = q.where('status', '=', query.status);
  if (after) q = q.where('id', '<', after[0]);
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => toReview(pii, r)),
    nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}

/**
 * A person decides a review. `merge`: the members are one person — merged into the oldest, and the identifiers
 * held back are attached (when nobody took them meanwhile). `reject`: they stay apart, the held identifiers
 * are dropped.
 */
export async function decideReview(
  trx: Trx,
  pii: Pii,
  reviewId: string,
  decision: 'merge' | 'reject',
  actor: Actor,
): Promise<IdentityReview> {
  const row = await trx
    .selectFrom('identity_reviews')
    .selectAll()
    .where('id', '=', reviewId)
    .executeTakeFirst();
  if (!row) throw MemberErrors.reviewNotFound(`No identity review ${reviewId}`);
  const now = nowIso();
  const claimed = await trx
    .updateTable('identity_reviews')
    .set({
      status: decision === 'merge' ? 'merged' : 'rejected',
      open_key: null,
      decided_at: now,
      decided_by: actorName(actor),
    })
    .where('id', '=', reviewId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) {
    throw MemberErrors.reviewDecided(`Review ${reviewId} was already decided (${row.status})`);
  }
  if (decision === 'reject') {
    await trx
      .updateTable('identity_reviews')
      .set({ pending_identifiers: null })
      .where('id', '=', reviewId)
      .execute();
  } else {
    const ids = await Promise.all(
      (JSON.parse(row.member_ids) as string[]).map((id) => resolveMemberId(trx, id)),
    );
    const alive = [...new Set(ids.filter((id): id is string => id !== null))];
    const members = (await lockMembers(trx, alive))
      .filter((m) => m.status === 'active')
      .sort((a, b) =>
        a.created_at === b.created_at ? (a.id < b.id ? -1 : 1) : a.created_at < b.created_at ? -1 : 1,
      );
    const target = members[0];
    if (!target) throw MemberErrors.notActive(`The members of review ${reviewId} were erased`);
    const mergeIds: string[] = [];
    for (const source of members.slice(1)) {
      mergeIds.push(await mergeInto(trx, target.id, source.id, { reason: 'review', reviewId, actor, pii }));
    }
    const pending = pendingOf(pii, row.pending_identifiers).map((i) => ({
      ...i,
      blindIndex: pii.blindIndex(indexScope(i.type, i.appId), i.value),
    }));
    const taken = new Set((await findIdentifierRows(trx, pending)).map((r) => identifierKey(toHeld(r))));
    const free = pending.filter((i) => !taken.has(identifierKey(i))).map((i) => ({ ...i, ownerId: null }));
    await attachIdentifiers(trx, pii, target.id, free, row.channel, now);
    await trx
      .updateTable('identity_reviews')
      .set({ merge_ids: JSON.stringify(mergeIds), pending_identifiers: null })
      .where('id', '=', reviewId)
      .execute();
  }
  const decided = await trx
    .selectFrom('identity_reviews')
    .selectAll()
    .where('id', '=', reviewId)
    .executeTakeFirstOrThrow();
  return toReview(pii, decided);
}

/** Marks a value (a shared store iPad, a test phone) as never identifying anyone. */
export async function blockIdentifier(
  trx: Trx,
  pii: Pii,
  input: { type: IdentifierType; value: string; appId?: string | undefined; reason: string },
  actor: Actor,
): Promise<{ type: IdentifierType; appId: string; masked: string; reason: string }> {
  const normalised = normaliseIdentifier(input);
  if (!normalised.ok) {
    if (normalised.junk)
      return { type: input.type, appId: input.appId ?? '', masked: '***', reason: 'built-in' };
    throw MemberErrors.invalidIdentifier(`Invalid identifier: ${normalised.message}`, {
      errors: [{ path: 'value', message: normalised.message }],
    });
  }
  const { type, appId, value } = normalised.identifier;
  await trx
    .insertInto('identity_blocklist')
    .values({
      type,
      app_id: appId,
      blind_index: pii.blindIndex(indexScope(type, appId), value),
      reason: input.reason,
      created_by: actorName(actor),
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.columns(['type', 'app_id', 'blind_index']).doNothing())
    .execute();
  return { type, appId, masked: maskIdentifier(type, value), reason: input.reason };
}

export type { IdentityReview };
