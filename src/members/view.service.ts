import type { Kysely, RawBuilder, Selectable } from 'kysely';
import {
  type Actor,
  assertMemberAccess,
  type DB,
  decodeCursor,
  encodeCursor,
  MEMBER_LIST_FILTERS,
  type MemberListFilterName,
  type Principal,
} from '../platform/index.js';
import { type Consent, consentsOf } from './consent.service.js';
import type { MemberSummary } from './members.contract.js';
import { MemberErrors } from './members.errors.js';
import type { Pii } from './members.pii.js';
import { type MemberViewer, memberListFilters, memberViewSections } from './members.registry.js';
import {
  type GuideBinding,
  readProfile,
  recordAccess,
  requireMemberId,
  resolveMemberId,
  type TraitValue,
  toGuideBinding,
} from './members.rows.js';
import {
  type IdentifierType,
  indexScope,
  maskIdentifier,
  maskTrait,
  normaliseIdentifier,
  normaliseName,
  PERSONAL_TRAITS,
} from './members.rules.js';
import type { MembersTable } from './members.schema.js';

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
export interface MemberIdentifier {
  id: string;
  type: IdentifierType;
  appId: string | null;
  value: string;
  verified: boolean;
  channel: string;
  createdAt: string;
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
  return row ? toGuideBinding(row) : null;
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
  for (const [name, section] of memberViewSections()) view[name] = await section.load(db, memberId, viewer);
  return view;
}

const SEARCHABLE: IdentifierType[] = ['phone', 'email', 'card', 'unionid', 'device', 'marketplace'];

/**
 * The console's member list. Search is exact, through blind indexes (no decryption of every row): a phone,
 * e-mail, card or other identifier, or a full name. Names and phones in the list are always masked.
 */
export async function searchMembers(
  db: Kysely<DB>,
  pii: Pii,
  query: { q?: string | undefined; limit: number; cursor?: string | undefined } & Partial<
    Record<MemberListFilterName, string>
  >,
): Promise<{ items: MemberSummary[]; nextCursor: string | null }> {
  const linked = memberListFilters();
  const predicates = MEMBER_LIST_FILTERS.flatMap((name) => {
    const value = query[name];
    if (value === undefined) return [];
    const filter = linked.get(name);
    if (!filter) throw new Error(`No module supplies the member list filter "${name}"`);
    return [filter(value)];
  });
  const filtered = <Q extends { where(predicate: RawBuilder<boolean>): Q }>(q: Q): Q =>
    predicates.reduce((acc, p) => acc.where(p), q);
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
        : await filtered(db.selectFrom('members').selectAll())
            .where('id', 'in', [...ids])
            .orderBy('created_at', 'desc')
            .limit(query.limit)
            .execute();
  } else {
    const after = decodeCursor(query.cursor, ['string', 'string']);
    let base = filtered(db.selectFrom('members').selectAll())
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
  const contacts = await maskedContacts(db, pii, rows);
  const items = rows.map((r) => {
    const contact = contacts.get(r.id);
    return {
      id: r.id,
      status: r.status,
      channel: r.channel,
      createdAt: r.created_at,
      name: contact?.name ?? null,
      phone: contact?.phone ?? null,
      identifierTypes: contact?.identifierTypes ?? [],
    };
  });
  return { items, nextCursor };
}

interface MaskedContact {
  name: string | null;
  phone: string | null;
  identifierTypes: IdentifierType[];
}

/** Members' names and phones as store staff see them (masked), and which kinds of identifier each holds. */
async function maskedContacts(
  db: Kysely<DB>,
  pii: Pii,
  rows: Selectable<MembersTable>[],
): Promise<Map<string, MaskedContact>> {
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
  return new Map(
    rows.map((r) => {
      const mine = identifierRows.filter((i) => i.member_id === r.id);
      const phone = mine.find((i) => i.type === 'phone');
      const name = readProfile(pii, r).personal.name;
      return [
        r.id,
        {
          name: name ? maskTrait('name', name) : null,
          phone: phone ? maskIdentifier('phone', pii.decrypt(phone.ciphertext)) : null,
          identifierTypes: [...new Set(mine.map((i) => i.type as IdentifierType))],
        },
      ];
    }),
  );
}

/**
 * The masked name and phone of each member (138****5678), for a list another context shows staff (a store's
 * incoming returns): enough to recognise her at the counter, nothing to copy.
 */
export async function memberContacts(
  db: Kysely<DB>,
  pii: Pii,
  memberIds: readonly string[],
): Promise<Map<string, { name: string | null; phone: string | null }>> {
  const ids = [...new Set(memberIds)];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('members').selectAll().where('id', 'in', ids).execute();
  const contacts = await maskedContacts(db, pii, rows);
  return new Map([...contacts].map(([id, c]) => [id, { name: c.name, phone: c.phone }]));
}

export type { MemberSummary };
