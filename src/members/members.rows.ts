import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import { type Actor, appendEvent, type DB, newEvent, newId, nowIso, type Trx } from '../platform/index.js';
import { MemberErrors } from './members.errors.js';
import { MemberIdentifiersAdded } from './members.events.js';
import type { Pii } from './members.pii.js';
import {
  type HeldIdentifier,
  type IdentifierType,
  type IncomingIdentifier,
  identifierKey,
  normaliseName,
  PERSONAL_TRAITS,
  type PersonalTrait,
} from './members.rules.js';
import type { MemberGuideBindingsTable, MemberIdentifiersTable, MembersTable } from './members.schema.js';

// What several of the members context's services need, kept in one place rather than copied: row mappers, the
// member locks, following merges to the surviving member, and the audit of staff reads of personal data.

// ---------------------------------------------------------------------------------------------------------
// Profile: personal traits (encrypted) and other traits.

export type TraitValue = string | number | boolean | null;

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

export function profileColumns(pii: Pii, profile: Profile) {
  const hasPersonal = Object.keys(profile.personal).length > 0;
  return {
    profile_ciphertext: hasPersonal ? pii.encrypt(JSON.stringify(profile.personal)) : null,
    name_index: profile.personal.name ? pii.blindIndex('name', normaliseName(profile.personal.name)) : null,
    traits: JSON.stringify(profile.traits),
  };
}

export function isPersonal(key: string): key is PersonalTrait {
  return (PERSONAL_TRAITS as readonly string[]).includes(key);
}

// ---------------------------------------------------------------------------------------------------------
// Identifiers.

export function toHeld(row: Selectable<MemberIdentifiersTable>): HeldIdentifier {
  return {
    id: row.id,
    memberId: row.member_id,
    type: row.type as IdentifierType,
    appId: row.app_id,
    blindIndex: row.blind_index,
    verified: Number(row.verified) === 1,
  };
}

export async function findIdentifierRows(
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

export async function attachIdentifiers(
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
  await appendEvent(
    trx,
    newEvent(MemberIdentifiersAdded, {
      stream: `member:${memberId}`,
      payload: {
        memberId,
        identifiers: sorted.map((i) => ({ type: i.type, value: i.type === 'device' ? i.value : null })),
      },
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Members: locks, and the member an id stands for after merges.

/**
 * Locks member rows in id order (PostgreSQL) so that two transactions touching the same members queue instead
 * of deadlocking, and so that a member cannot be merged away while another request attaches to it.
 */
export async function lockMembers(trx: Trx, ids: readonly string[]): Promise<Selectable<MembersTable>[]> {
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

export function isPostgres(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
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

export async function requireActiveMember(db: Kysely<DB>, memberId: string): Promise<string> {
  const id = await requireMemberId(db, memberId);
  const row = await db.selectFrom('members').select('status').where('id', '=', id).executeTakeFirstOrThrow();
  if (row.status !== 'active') throw MemberErrors.notActive(`Member ${memberId} was erased`);
  return id;
}

// ---------------------------------------------------------------------------------------------------------
// Exclusive guide (专属导购) bindings.

export interface GuideBinding {
  guide: string;
  store: string;
  boundBy: string;
  boundAt: string;
}

export function toGuideBinding(row: Selectable<MemberGuideBindingsTable>): GuideBinding {
  return { guide: row.guide, store: row.store_code, boundBy: row.bound_by, boundAt: row.bound_at };
}

// ---------------------------------------------------------------------------------------------------------
// The audit log of staff reads of personal data.

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
