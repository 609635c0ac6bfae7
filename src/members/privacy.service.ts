import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import {
  type Actor,
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newEvent,
  nowIso,
  type Trx,
} from '../platform/index.js';
import { consentsOf } from './consent.service.js';
import { MemberErrors } from './members.errors.js';
import { MemberErased } from './members.events.js';
import type { MemberExport } from './members.http.js';
import type { Pii } from './members.pii.js';
import { lockMembers, readProfile, recordAccess, requireMemberId, toGuideBinding } from './members.rows.js';
import { indexScope } from './members.rules.js';
import { listMerges } from './merges.service.js';
import { memberView } from './view.service.js';

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
): Promise<Static<typeof MemberExport>> {
  const memberId = await requireMemberId(db, requestedId);
  await recordAccess(db, memberId, actor, 'export');
  const view = await memberView(db, pii, memberId, { role: actor.role, masked: false, store: null }, null);
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
    guideHistory: guides.map(toGuideBinding),
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
  await appendEvent(
    trx,
    newEvent(MemberErased, {
      stream: `member:${memberId}`,
      payload: { memberId, erasedAt: now },
    }),
  );
  await recordAccess(trx, memberId, actor, 'erase');
  return { memberId, status: 'erased', erasedAt: now };
}
