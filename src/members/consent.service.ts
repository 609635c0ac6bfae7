import type { Kysely } from 'kysely';
import {
  type Actor,
  actorName,
  appendEvent,
  type Channel,
  type DB,
  newEvent,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { Consent, ConsentRecord } from './members.contract.js';
import { MemberConsentChanged } from './members.events.js';
import { requireActiveMember } from './members.rows.js';
import { CONSENT_PURPOSES, type ConsentPurpose } from './members.rules.js';

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
  await appendEvent(
    trx,
    newEvent(MemberConsentChanged, {
      stream: `member:${id}`,
      payload: { memberId: id, purpose, granted: input.granted, channel: input.channel, recordedAt: now },
    }),
  );
  return consentsOf(trx, id);
}

export type { Consent, ConsentRecord };
