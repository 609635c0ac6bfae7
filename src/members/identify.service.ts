import type { Kysely } from 'kysely';
import {
  type Actor,
  appendEvent,
  type Channel,
  type DB,
  type FieldError,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import { MemberErrors, ResolutionRace } from './members.errors.js';
import { MemberCreated } from './members.events.js';
import type { Pii } from './members.pii.js';
import {
  attachIdentifiers,
  findIdentifierRows,
  isPersonal,
  isPostgres,
  lockMembers,
  profileColumns,
  readProfile,
  type TraitValue,
  toHeld,
} from './members.rows.js';
import {
  type CandidateMember,
  type IdentifierInput,
  type IgnoredIdentifier,
  type IncomingIdentifier,
  identifierKey,
  indexScope,
  type NormalisedIdentifier,
  normaliseIdentifier,
  requestConflicts,
  resolveIdentity,
} from './members.rules.js';
import { mergeInto, openReview } from './merges.service.js';

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
      else errors.push({ path: `identifiers[${i}].value`, message: result.message });
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
    await appendEvent(
      trx,
      newEvent(MemberCreated, {
        stream: `member:${memberId}`,
        payload: { memberId, channel: input.channel, identifierTypes: resolution.attach.map((i) => i.type) },
      }),
    );
  }
  return { memberId, created, mergedFrom, ...(review ? { review } : {}), ignored };
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
// Lookup by identifier.

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
