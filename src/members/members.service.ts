import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import {
  type Actor,
  actorName,
  appendEvent,
  assertMemberAccess,
  type Channel,
  type DB,
  decodeCursor,
  encodeCursor,
  type FieldError,
  newId,
  nowIso,
  type Principal,
  type Trx,
} from '../platform/index.js';
import { MemberErrors } from './members.errors.js';
import type { Pii } from './members.pii.js';
import { type MemberViewer, memberReferences, memberViewSections } from './members.registry.js';
import {
  type CandidateMember,
  CONSENT_PURPOSES,
  type ConsentPurpose,
  type HeldIdentifier,
  type IdentifierInput,
  type IdentifierType,
  type IgnoredIdentifier,
  type IncomingIdentifier,
  identifierKey,
  indexScope,
  maskIdentifier,
  maskTrait,
  type NormalisedIdentifier,
  normaliseIdentifier,
  normaliseName,
  PERSONAL_TRAITS,
  type PersonalTrait,
  requestConflicts,
  resolveIdentity,
} from './members.rules.js';
import type { MemberIdentifiersTable, MembersTable } from './members.schema.js';

export type TraitValue = string | number | boolean | null;

export interface IdentifyInput {
  identifiers: IdentifierInput[];
  traits?: Record<string, TraitValue> | undefined;
  channel: Channel;
}

export interface IdentifyResult {
  memberId: string;
  created: boolean;
  mergedFrom: string[];
  review?: { id: string; reason: string };
  ignored: IgnoredIdentifier[];
}

/** A lost race with a concurrent request (the same new identifier, a member merged meanwhile): run again. */
export class ResolutionRace extends Error {
  override name = 'ResolutionRace';
}

const RACE_CODES = new Set([
  '23505',
  '40P01',
  '40001',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

export function isResolutionRace(error: unknown): boolean {
  if (error instanceof ResolutionRace) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RACE_CODES.has(code);
}

/**
 * Runs a transaction again when it lost a race on an identifier: two requests carrying the same new phone both
 * see no member and both create one; the unique index lets one commit and fails the other, whose second run
 * finds the first one's member. Every caller of `identify` wraps its transaction in this.
 */
export async function retryOnRace<T>(run: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isResolutionRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Identifiers in, identifiers out.

interface PreparedIdentifier extends NormalisedIdentifier {
  blindIndex: string;
}

/** Normalises a request's identifiers; garbage is a 400 naming the field, junk placeholders are set aside. */
export function prepareIdentifiers(
  pii: Pii,
  inputs: readonly IdentifierInput[],
): { prepared: PreparedIdentifier[]; ignored: IgnoredIdentifier[] } {
  const errors: FieldError[] = [];
  const ignored: IgnoredIdentifier[] = [];
  const byKey = new Map<string, PreparedIdentifier>();
  inputs.forEach((input, i) => {
    const result = normaliseIdentifier(input);
    if (!result.ok) {
      if (result.junk) ignored.push({ type: input.type, appId: input.appId ?? '', reason: 'blocklisted' });
      else errors.push({ path: `identifiers/${i}/value`, message: result.message });
      return;
    }
    const { identifier } = result;
    const blindIndex = pii.blindIndex(indexScope(identifier.type, identifier.appId), identifier.value);
    const key = identifierKey({ ...identifier, blindIndex });
    const seen = byKey.get(key);
    if (seen) seen.verified ||= identifier.verified;
    else byKey.set(key, { ...identifier, blindIndex });
  });
  const prepared = [...byKey.values()];
  errors.push(...requestConflicts(prepared));
  if (errors.length > 0) {
    throw MemberErrors.invalidIdentifier(
      `Invalid identifiers: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      {
        errors,
      },
    );
  }
  return { prepared, ignored };
}

async function findIdentifierRows(
  db: Kysely<DB>,
  identifiers: readonly { type: string; appId: string; blindIndex: string }[],
): Promise<Selectable<MemberIdentifiersTable>[]> {
  if (identifiers.length === 0) return [];
  return db
    .selectFrom('member_identifiers')
    .selectAll()
    .where((eb) =>
      eb.or(
        identifiers.map((i) =>
          eb.and([eb('type', '=', i.type), eb('app_id', '=', i.appId), eb('blind_index', '=', i.blindIndex)]),
        ),
      ),
    )
    .execute();
}

async function blocklisted(db: Kysely<DB>, identifiers: readonly PreparedIdentifier[]): Promise<Set<string>> {
  if (identifiers.length === 0) return new Set();
  const rows = await db
    .selectFrom('identity_blocklist')
    .select(['type', 'app_id', 'blind_index'])
    .where('blind_index', 'in', [...new Set(identifiers.map((i) => i.blindIndex))])
    .execute();
  return new Set(
    rows.map((r) => identifierKey({ type: r.type, appId: r.app_id, blindIndex: r.blind_index })),
  );
}

function toHeld(row: Selectable<MemberIdentifiersTable>): HeldIdentifier {
  return {
    id: row.id,
    memberId: row.member_id,
    type: row.type as IdentifierType,
    appId: row.app_id,
    blindIndex: row.blind_index,
    verified: Number(row.verified) === 1,
  };
}

/**
 * Locks member rows in id order (PostgreSQL) so that two transactions touching the same members queue instead
 * of deadlocking, and so that a member cannot be merged away while another request attaches to it.
 */
async function lockMembers(trx: Trx, ids: readonly string[]): Promise<Selectable<MembersTable>[]> {
  if (ids.length === 0) return [];
  const sorted = [...new Set(ids)].sort();
  const rows: Selectable<MembersTable>[] = [];
  for (const id of sorted) {
    const row = await sql<Selectable<MembersTable>>`select * from members where id = ${id} ${
      isPostgres(trx) ? sql`for update` : sql``
    }`.execute(trx);
    if (row.rows[0]) rows.push(row.rows[0]);
  }
  return rows;
}

function isPostgres(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

// ---------------------------------------------------------------------------------------------------------
// Identify: the One ID resolution.

/**
 * Resolves a request's identifiers to one member inside the caller's transaction: creates, attaches, merges or
 * opens a review (members.rules.ts `resolveIdentity`). On PostgreSQL it can lose a race to a concurrent
 * request; run the transaction through `retryOnRace`.
 */
export async function identify(
  trx: Trx,
  pii: Pii,
  input: IdentifyInput,
  actor: Actor,
): Promise<IdentifyResult> {
  const { prepared, ignored } = prepareIdentifiers(pii, input.identifiers);
  const blocked = await blocklisted(trx, prepared);
  const usable = prepared.filter((i) => {
    if (!blocked.has(identifierKey(i))) return true;
    ignored.push({ type: i.type, appId: i.appId, reason: 'blocklisted' });
    return false;
  });
  if (usable.length === 0) {
    throw MemberErrors.noUsableIdentifier('None of the identifiers can identify a customer', {
      errors: [{ path: 'identifiers', message: 'every identifier is empty, a placeholder or blocklisted' }],
    });
  }

  const before = await findIdentifierRows(trx, usable);
  const owners = [...new Set(before.map((r) => r.member_id))];
  const members = await lockMembers(trx, owners);
  if (members.length !== owners.length || members.some((m) => m.status !== 'active')) {
    throw new ResolutionRace('a member changed while being resolved');
  }
  // Read again under the locks: what the decision sees is what the writes will find.
  const rows = isPostgres(trx) ? await findIdentifierRows(trx, usable) : before;
  if (rows.some((r) => !owners.includes(r.member_id)) || rows.length !== before.length) {
    throw new ResolutionRace('identifiers moved while being resolved');
  }
  const ownerOf = new Map(rows.map((r) => [identifierKey(toHeld(r)), r.member_id]));
  const incoming: IncomingIdentifier[] = usable.map((i) => ({
    ...i,
    ownerId: ownerOf.get(identifierKey(i)) ?? null,
  }));

  const heldRows =
    owners.length === 0
      ? []
      : await trx.selectFrom('member_identifiers').selectAll().where('member_id', 'in', owners).execute();
  const candidates: CandidateMember[] = members.map((m) => ({
    id: m.id,
    createdAt: m.created_at,
    identifiers: heldRows.filter((r) => r.member_id === m.id).map(toHeld),
  }));
  const resolution = resolveIdentity(incoming, candidates);
  ignored.push(...resolution.ignored);

  const now = nowIso();
  let memberId = resolution.targetId;
  const created = memberId === null;
  if (memberId === null) {
    memberId = newId('mem');
    await trx
      .insertInto('members')
      .values({
        id: memberId,
        status: 'active',
        merged_into: null,
        channel: input.channel,
        profile_ciphertext: null,
        name_index: null,
        traits: '{}',
        created_at: now,
        updated_at: now,
        erased_at: null,
      })
      .execute();
  }
  const mergedFrom: string[] = [];
  for (const sourceId of resolution.mergeSourceIds) {
    await mergeInto(trx, memberId, sourceId, { reason: 'identify', reviewId: null, actor, pii });
    mergedFrom.push(sourceId);
  }
  await attachIdentifiers(trx, pii, memberId, resolution.attach, input.channel, now);
  if (resolution.verify.length > 0) {
    await trx
      .updateTable('member_identifiers')
      .set({ verified: 1 })
      .where('id', 'in', resolution.verify)
      .execute();
  }
  if (input.traits && Object.keys(input.traits).length > 0) {
    await applyTraits(trx, pii, memberId, input.traits, now);
  }
  let review: IdentifyResult['review'];
  if (resolution.review) {
    review = await openReview(trx, pii, { ...resolution.review, channel: input.channel }, now);
  }
  if (created) {
    await appendEvent(trx, {
      type: 'member.created',
      stream: `member:${memberId}`,
      payload: { memberId, channel: input.channel, identifierTypes: resolution.attach.map((i) => i.type) },
    });
  }
  return { memberId, created, mergedFrom, ...(review ? { review } : {}), ignored };
}

async function attachIdentifiers(
  trx: Trx,
  pii: Pii,
  memberId: string,
  identifiers: readonly IncomingIdentifier[],
  channel: string,
  now: string,
): Promise<void> {
  if (identifiers.length === 0) return;
  // One fixed order of inserts: two transactions adding the same identifiers cannot wait on each other in a cycle.
  const sorted = [...identifiers].sort((a, b) => (identifierKey(a) < identifierKey(b) ? -1 : 1));
  await trx
    .insertInto('member_identifiers')
    .values(
      sorted.map((i) => ({
        id: newId('mid'),
        member_id: memberId,
        type: i.type,
        app_id: i.appId,
        blind_index: i.blindIndex,
        ciphertext: pii.encrypt(i.value),
        verified: i.verified ? 1 : 0,
        channel,
        created_at: now,
      })),
    )
    .execute();
}

// ---------------------------------------------------------------------------------------------------------
// Profile: personal traits (encrypted) and other traits.

export interface Profile {
  personal: Partial<Record<PersonalTrait, string>>;
  traits: Record<string, TraitValue>;
}

export function readProfile(pii: Pii, row: Pick<MembersTable, 'profile_ciphertext' | 'traits'>): Profile {
  const personal = row.profile_ciphertext
    ? (JSON.parse(pii.decrypt(row.profile_ciphertext)) as Profile['personal'])
    : {};
  return { personal, traits: JSON.parse(row.traits) as Record<string, TraitValue> };
}

function profileColumns(pii: Pii, profile: Profile) {
  const hasPersonal = Object.keys(profile.personal).length > 0;
  return {
    profile_ciphertext: hasPersonal ? pii.encrypt(JSON.stringify(profile.personal)) : null,
    name_index: profile.personal.name ? pii.blindIndex('name', normaliseName(profile.personal.name)) : null,
    traits: JSON.stringify(profile.traits),
  };
}

function isPersonal(key: string): key is PersonalTrait {
  return (PERSONAL_TRAITS as readonly string[]).includes(key);
}

/** Latest wins: a trait sent again replaces the old value; null removes it. */
async function applyTraits(
  trx: Trx,
  pii: Pii,
  memberId: string,
  traits: Record<string, TraitValue>,
  now: string,
): Promise<void> {
  const row = await trx
    .selectFrom('members')
    .select(['profile_ciphertext', 'traits'])
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  const profile = readProfile(pii, row);
  for (const [key, value] of Object.entries(traits)) {
    if (isPersonal(key)) {
      if (value === null || value === '') delete profile.personal[key];
      else profile.personal[key] = String(value);
    } else if (value === null) delete profile.traits[key];
    else profile.traits[key] = value;
  }
  await trx
    .updateTable('members')
    .set({ ...profileColumns(pii, profile), updated_at: now })
    .where('id', '=', memberId)
    .execute();
}

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
  await appendEvent(trx, {
    type: 'member.merged',
    stream: `member:${targetId}`,
    payload: { memberId: targetId, mergedFrom: sourceId, mergeId, reason: options.reason },
  });
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
  await appendEvent(trx, {
    type: 'member.unmerged',
    stream: `member:${memberId}`,
    payload: { memberId, restoredMemberId: sourceId, mergeId },
  });
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

export interface IdentityReview {
  id: string;
  status: 'pending' | 'merged' | 'rejected';
  reason: string;
  memberIds: string[];
  /** Identifiers held back until the review is decided, masked. */
  identifiers: { type: IdentifierType; appId: string; masked: string }[];
  channel: string;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  mergeIds: string[];
}

async function openReview(
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
  query: { status?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: IdentityReview[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, ['string']);
  let q = db
    .selectFrom('identity_reviews')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.status) q = q.where('status', '=', query.status as 'pending');
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

// ---------------------------------------------------------------------------------------------------------
// Reading members.

/**
 * The member a request names, after merges (404 when there is none), checked against who asks: a customer only
 * reaches themself — also when either side was merged since their token was issued.
 */
export async function memberInScope(
  db: Kysely<DB>,
  principal: Principal,
  requestedId: string,
): Promise<string> {
  const memberId = await resolveMemberId(db, requestedId);
  if (memberId === null) throw MemberErrors.notFound(`No member ${requestedId}`);
  if (principal.role === 'customer') {
    const own = (await resolveMemberId(db, principal.memberId)) ?? principal.memberId;
    assertMemberAccess({ ...principal, memberId: own }, memberId);
  }
  return memberId;
}

/** Follows merges to the member that holds everything now; null when there is no such member. */
export async function resolveMemberId(db: Kysely<DB>, memberId: string): Promise<string | null> {
  let id = memberId;
  for (let hop = 0; hop < 20; hop++) {
    const row = await db
      .selectFrom('members')
      .select(['status', 'merged_into'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    if (row.status !== 'merged' || row.merged_into === null) return id;
    id = row.merged_into;
  }
  return id;
}

export async function requireMemberId(db: Kysely<DB>, memberId: string): Promise<string> {
  const id = await resolveMemberId(db, memberId);
  if (id === null) throw MemberErrors.notFound(`No member ${memberId}`);
  return id;
}

export interface MemberIdentifier {
  id: string;
  type: IdentifierType;
  appId: string | null;
  value: string;
  verified: boolean;
  channel: string;
  createdAt: string;
}

export interface Consent {
  purpose: ConsentPurpose;
  granted: boolean;
  channel: string | null;
  source: string | null;
  recordedAt: string | null;
}

export interface GuideBinding {
  guide: string;
  store: string;
  boundBy: string;
  boundAt: string;
}

export interface MemberView {
  id: string;
  status: 'active' | 'erased';
  channel: string;
  createdAt: string;
  updatedAt: string;
  /** True when personal data is masked for the viewer (store staff, channel apps). */
  masked: boolean;
  identifiers: MemberIdentifier[];
  traits: Record<string, TraitValue>;
  consents: Consent[];
  guide: GuideBinding | null;
  /** When the id asked for was merged into this member. */
  requestedId?: string;
  [section: string]: unknown;
}

async function identifiersOf(
  db: Kysely<DB>,
  pii: Pii,
  memberId: string,
  masked: boolean,
): Promise<MemberIdentifier[]> {
  const rows = await db
    .selectFrom('member_identifiers')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => {
    const type = r.type as IdentifierType;
    const value = pii.decrypt(r.ciphertext);
    return {
      id: r.id,
      type,
      appId: r.app_id === '' ? null : r.app_id,
      value: masked ? maskIdentifier(type, value) : value,
      verified: Number(r.verified) === 1,
      channel: r.channel,
      createdAt: r.created_at,
    };
  });
}

export async function currentGuide(db: Kysely<DB>, memberId: string): Promise<GuideBinding | null> {
  const row = await db
    .selectFrom('member_guide_bindings')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? { guide: row.guide, store: row.store_code, boundBy: row.bound_by, boundAt: row.bound_at }
    : null;
}

/**
 * The member 360 view: identifiers, traits, consents, exclusive guide, and the sections other contexts add
 * (recent orders, points, tier, coupons, experiences). Staff reads of unmasked personal data are audited.
 */
export async function memberView(
  db: Kysely<DB>,
  pii: Pii,
  requestedId: string,
  viewer: MemberViewer,
  audit: Actor | null,
): Promise<MemberView> {
  const memberId = await requireMemberId(db, requestedId);
  const row = await db.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirstOrThrow();
  if (audit && !viewer.masked && row.status === 'active') {
    await recordAccess(db, memberId, audit, 'view');
  }
  const profile = readProfile(pii, row);
  const traits: Record<string, TraitValue> = { ...profile.traits };
  for (const key of PERSONAL_TRAITS) {
    const value = profile.personal[key];
    if (value !== undefined) traits[key] = viewer.masked ? maskTrait(key, value) : value;
  }
  const view: MemberView = {
    id: row.id,
    status: row.status === 'erased' ? 'erased' : 'active',
    channel: row.channel,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    masked: viewer.masked,
    identifiers: await identifiersOf(db, pii, memberId, viewer.masked),
    traits,
    consents: (await consentsOf(db, memberId)).current,
    guide: await currentGuide(db, memberId),
    ...(requestedId !== memberId ? { requestedId } : {}),
  };
  for (const [name, loader] of memberViewSections()) view[name] = await loader(db, memberId, viewer);
  return view;
}

/** The member holding an identifier; MEMBER.NOT_FOUND when nobody does (or the value is junk). */
export async function findMemberIdByIdentifier(
  db: Kysely<DB>,
  pii: Pii,
  input: IdentifierInput,
): Promise<string> {
  const normalised = normaliseIdentifier(input);
  if (!normalised.ok) {
    if (normalised.junk) throw MemberErrors.notFound('No member holds a placeholder value');
    throw MemberErrors.invalidIdentifier(`Invalid ${input.type}: ${normalised.message}`, {
      errors: [{ path: 'value', message: normalised.message }],
    });
  }
  const { type, appId, value } = normalised.identifier;
  const row = await db
    .selectFrom('member_identifiers')
    .select('member_id')
    .where('type', '=', type)
    .where('app_id', '=', appId)
    .where('blind_index', '=', pii.blindIndex(indexScope(type, appId), value))
    .executeTakeFirst();
  if (!row) throw MemberErrors.notFound(`No member holds this ${type}`);
  return row.member_id;
}

export interface MemberSummary {
  id: string;
  status: string;
  channel: string;
  createdAt: string;
  name: string | null;
  phone: string | null;
  identifierTypes: IdentifierType[];
}

const SEARCHABLE: IdentifierType[] = ['phone', 'email', 'card', 'unionid', 'device', 'marketplace'];

/**
 * The console's member list. Search is exact, through blind indexes (no decryption of every row): a phone,
 * e-mail, card or other identifier, or a full name. Names and phones in the list are always masked.
 */
export async function searchMembers(
  db: Kysely<DB>,
  pii: Pii,
  query: { q?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: MemberSummary[]; nextCursor: string | null }> {
  let rows: Selectable<MembersTable>[];
  let nextCursor: string | null = null;
  const q = query.q?.trim();
  if (q) {
    const ids = new Set<string>();
    for (const type of SEARCHABLE) {
      const normalised = normaliseIdentifier({ type, value: q });
      if (!normalised.ok) continue;
      const { appId, value } = normalised.identifier;
      const found = await db
        .selectFrom('member_identifiers')
        .select('member_id')
        .where('type', '=', type)
        .where('app_id', '=', appId)
        .where('blind_index', '=', pii.blindIndex(indexScope(type, appId), value))
        .execute();
      for (const f of found) ids.add(f.member_id);
    }
    const byName = await db
      .selectFrom('members')
      .select('id')
      .where('name_index', '=', pii.blindIndex('name', normaliseName(q)))
      .where('status', '=', 'active')
      .limit(query.limit)
      .execute();
    for (const m of byName) ids.add(m.id);
    rows =
      ids.size === 0
        ? []
        : await db
            .selectFrom('members')
            .selectAll()
            .where('id', 'in', [...ids])
            .orderBy('created_at', 'desc')
            .limit(query.limit)
            .execute();
  } else {
    const after = decodeCursor(query.cursor, ['string', 'string']);
    let base = db
      .selectFrom('members')
      .selectAll()
      .where('status', '=', 'active')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (after) {
      const [createdAt, id] = after;
      base = base.where((eb) =>
        eb.or([
          eb('created_at', '<', createdAt),
          eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
        ]),
      );
    }
    const found = await base.execute();
    rows = found.slice(0, query.limit);
    const last = rows[rows.length - 1];
    if (found.length > query.limit && last) nextCursor = encodeCursor([last.created_at, last.id]);
  }
  const identifierRows =
    rows.length === 0
      ? []
      : await db
          .selectFrom('member_identifiers')
          .select(['member_id', 'type', 'ciphertext', 'verified'])
          .where(
            'member_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('verified', 'desc')
          .execute();
  const items = rows.map((r) => {
    const mine = identifierRows.filter((i) => i.member_id === r.id);
    const phone = mine.find((i) => i.type === 'phone');
    const name = readProfile(pii, r).personal.name;
    return {
      id: r.id,
      status: r.status,
      channel: r.channel,
      createdAt: r.created_at,
      name: name ? maskTrait('name', name) : null,
      phone: phone ? maskIdentifier('phone', pii.decrypt(phone.ciphertext)) : null,
      identifierTypes: [...new Set(mine.map((i) => i.type as IdentifierType))],
    };
  });
  return { items, nextCursor };
}

// ---------------------------------------------------------------------------------------------------------
// Consent.

export interface ConsentRecord {
  purpose: ConsentPurpose;
  granted: boolean;
  channel: string;
  source: string | null;
  recordedBy: string;
  recordedAt: string;
}

export async function consentsOf(
  db: Kysely<DB>,
  memberId: string,
): Promise<{ current: Consent[]; history: ConsentRecord[] }> {
  const rows = await db
    .selectFrom('member_consents')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('recorded_at', 'desc')
    .orderBy('seq', 'desc')
    .execute();
  const history = rows.map((r) => ({
    purpose: r.purpose as ConsentPurpose,
    granted: Number(r.granted) === 1,
    channel: r.channel,
    source: r.source,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  }));
  const current = CONSENT_PURPOSES.map((purpose) => {
    const latest = history.find((h) => h.purpose === purpose);
    // No record is no consent: PIPL needs an affirmative, recorded choice.
    return latest
      ? {
          purpose,
          granted: latest.granted,
          channel: latest.channel,
          source: latest.source,
          recordedAt: latest.recordedAt,
        }
      : { purpose, granted: false, channel: null, source: null, recordedAt: null };
  });
  return { current, history };
}

/** Records a consent decision; a withdrawal holds from this commit on (the event tells every feature at once). */
export async function recordConsent(
  trx: Trx,
  memberId: string,
  purpose: ConsentPurpose,
  input: { granted: boolean; channel: Channel; source?: string | undefined },
  actor: Actor,
): Promise<{ current: Consent[]; history: ConsentRecord[] }> {
  const id = await requireActiveMember(trx, memberId);
  const now = nowIso();
  await trx
    .insertInto('member_consents')
    .values({
      member_id: id,
      purpose,
      granted: input.granted ? 1 : 0,
      channel: input.channel,
      source: input.source ?? null,
      recorded_by: actorName(actor),
      recorded_at: now,
    })
    .execute();
  await appendEvent(trx, {
    type: 'member.consent_changed',
    stream: `member:${id}`,
    payload: { memberId: id, purpose, granted: input.granted, channel: input.channel, recordedAt: now },
  });
  return consentsOf(trx, id);
}

async function requireActiveMember(db: Kysely<DB>, memberId: string): Promise<string> {
  const id = await requireMemberId(db, memberId);
  const row = await db.selectFrom('members').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  if (row.status !== 'active') throw MemberErrors.notActive(`Member ${memberId} was erased`);
  return id;
}

// ---------------------------------------------------------------------------------------------------------
// Exclusive guide (专属导购).

export async function assignGuide(
  trx: Trx,
  memberId: string,
  input: { guide: string; store: string },
  actor: Actor,
): Promise<GuideBinding> {
  const id = await requireActiveMember(trx, memberId);
  const staff = await trx
    .selectFrom('users')
    .select(['username'])
    .where('username', '=', input.guide)
    .where('store_code', '=', input.store)
    .where('role', 'in', ['guide', 'store_manager'])
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!staff) throw MemberErrors.guideUnknown(`${input.guide} is not a guide of store ${input.store}`);
  const now = nowIso();
  await trx
    .insertInto('member_guide_bindings')
    .values({
      member_id: id,
      guide: input.guide,
      store_code: input.store,
      bound_by: actorName(actor),
      bound_at: now,
    })
    .execute();
  await appendEvent(trx, {
    type: 'member.guide_assigned',
    stream: `member:${id}`,
    location: input.store,
    payload: { memberId: id, guide: input.guide, store: input.store },
  });
  return { guide: input.guide, store: input.store, boundBy: actorName(actor), boundAt: now };
}

// ---------------------------------------------------------------------------------------------------------
// Privacy: the audit log, export, erasure.

export async function recordAccess(
  db: Kysely<DB>,
  memberId: string,
  actor: Actor,
  action: string,
): Promise<void> {
  await db
    .insertInto('pii_access_log')
    .values({
      member_id: memberId,
      actor_role: actor.role,
      actor: actor.subject,
      action,
      request_id: actor.requestId ?? null,
      at: nowIso(),
    })
    .execute();
}

export interface AccessLogEntry {
  seq: number;
  memberId: string;
  actorRole: string;
  actor: string;
  action: string;
  requestId: string | null;
  at: string;
}

export async function accessLog(
  db: Kysely<DB>,
  query: { memberId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: AccessLogEntry[]; nextCursor: string | null }> {
  const after = decodeCursor(query.cursor, ['number']);
  let q = db
    .selectFrom('pii_access_log')
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(query.limit + 1);
  if (query.memberId) q = q.where('member_id', '=', query.memberId);
  if (after) q = q.where('seq', '<', after[0]);
  const rows = await q.execute();
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      seq: Number(r.seq),
      memberId: r.member_id,
      actorRole: r.actor_role,
      actor: r.actor,
      action: r.action,
      requestId: r.request_id,
      at: r.at,
    })),
    nextCursor: rows.length > query.limit ? encodeCursor([Number(page[page.length - 1]!.seq)]) : null,
  };
}

/** Every member merged into this one, at any depth (they are the same person). */
async function mergedInto(db: Kysely<DB>, memberId: string): Promise<string[]> {
  const found: string[] = [];
  let frontier = [memberId];
  while (frontier.length > 0) {
    const rows = await db.selectFrom('members').select('id').where('merged_into', 'in', frontier).execute();
    frontier = rows.map((r) => r.id).filter((id) => !found.includes(id));
    found.push(...frontier);
  }
  return found;
}

/** Everything OmniLoop holds about a member, decrypted (PIPL right of access and portability). */
export async function exportMember(
  db: Kysely<DB>,
  pii: Pii,
  requestedId: string,
  actor: Actor,
): Promise<object> {
  const memberId = await requireMemberId(db, requestedId);
  await recordAccess(db, memberId, actor, 'export');
  const view = await memberView(db, pii, memberId, { role: actor.role, masked: false }, null);
  const absorbed = await mergedInto(db, memberId);
  const mergedMembers = [];
  for (const id of absorbed) {
    const row = await db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const profile = readProfile(pii, row);
    mergedMembers.push({ id, createdAt: row.created_at, traits: { ...profile.traits, ...profile.personal } });
  }
  const guides = await db
    .selectFrom('member_guide_bindings')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('seq')
    .execute();
  const phones = view.identifiers
    .filter((i) => i.type === 'phone')
    .map((i) => pii.blindIndex(indexScope('phone', ''), i.value));
  const sms =
    phones.length === 0
      ? []
      : await db
          .selectFrom('sms_outbox')
          .selectAll()
          .where('phone_index', 'in', phones)
          .orderBy('id')
          .execute();
  return {
    exportedAt: nowIso(),
    member: view,
    consentHistory: (await consentsOf(db, memberId)).history,
    guideHistory: guides.map((g) => ({
      guide: g.guide,
      store: g.store_code,
      boundBy: g.bound_by,
      boundAt: g.bound_at,
    })),
    merges: await listMerges(db, memberId),
    mergedMembers,
    smsMessages: sms.map((m) => ({
      id: m.id,
      to: pii.decrypt(m.phone_ciphertext),
      template: m.template,
      status: m.status,
      createdAt: m.created_at,
      deliveredAt: m.delivered_at,
    })),
    accessLog: (await accessLog(db, { memberId, limit: 1000 })).items,
  };
}

/**
 * Erasure (PIPL): personal data, identifiers, consents, guide bindings and messages go; the member id stays as
 * an anonymised shell so that orders, points and other accounting rows still add up. The old phone then finds
 * nobody. Members merged into this one are the same person and are erased with it.
 */
export async function eraseMember(
  trx: Trx,
  requestedId: string,
  actor: Actor,
): Promise<{ memberId: string; status: 'erased'; erasedAt: string }> {
  const memberId = await requireMemberId(trx, requestedId);
  const [row] = await lockMembers(trx, [memberId]);
  if (!row) throw MemberErrors.notFound(`No member ${requestedId}`);
  if (row.status === 'erased')
    return { memberId, status: 'erased', erasedAt: row.erased_at ?? row.updated_at };
  const ids = [memberId, ...(await mergedInto(trx, memberId))];
  const phoneRows = await trx
    .selectFrom('member_identifiers')
    .select('blind_index')
    .where('member_id', 'in', ids)
    .where('type', '=', 'phone')
    .execute();
  const phoneIndexes = phoneRows.map((p) => p.blind_index);
  if (phoneIndexes.length > 0) {
    await trx.deleteFrom('sms_outbox').where('phone_index', 'in', phoneIndexes).execute();
    await trx.deleteFrom('sms_codes').where('phone_index', 'in', phoneIndexes).execute();
  }
  await trx.deleteFrom('member_identifiers').where('member_id', 'in', ids).execute();
  await trx.deleteFrom('member_consents').where('member_id', 'in', ids).execute();
  await trx.deleteFrom('member_guide_bindings').where('member_id', 'in', ids).execute();
  const now = nowIso();
  await trx
    .updateTable('members')
    .set({
      status: 'erased',
      profile_ciphertext: null,
      name_index: null,
      traits: '{}',
      erased_at: now,
      updated_at: now,
    })
    .where('id', 'in', ids)
    .execute();
  // Held-back identifiers of open reviews are this person's data too.
  const reviews = await trx
    .selectFrom('identity_reviews')
    .select(['id', 'member_ids'])
    .where('status', '=', 'pending')
    .execute();
  for (const review of reviews) {
    const involved = (JSON.parse(review.member_ids) as string[]).some((id) => ids.includes(id));
    if (!involved) continue;
    await trx
      .updateTable('identity_reviews')
      .set({
        status: 'rejected',
        open_key: null,
        pending_identifiers: null,
        decided_at: now,
        decided_by: 'erasure',
      })
      .where('id', '=', review.id)
      .execute();
  }
  await appendEvent(trx, {
    type: 'member.erased',
    stream: `member:${memberId}`,
    payload: { memberId, erasedAt: now },
  });
  await recordAccess(trx, memberId, actor, 'erase');
  return { memberId, status: 'erased', erasedAt: now };
}
