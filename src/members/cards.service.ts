import {
  appendEvents,
  type Channel,
  insertRows,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import { MemberCreated } from './members.events.js';
import type { Pii } from './members.pii.js';
import { indexScope, normaliseIdentifier } from './members.rules.js';

/**
 * The members behind the brand's own card numbers, in bulk (an import of its history): a card One ID already knows
 * is its member; an unknown one becomes a new member holding that card (verified: the brand issued it). A card that
 * is not a valid number is left out of the answer (the caller rejects its rows). One query per 500 cards.
 */
export async function membersForCards(
  trx: Trx,
  pii: Pii,
  cards: readonly string[],
  channel: Channel,
): Promise<{ members: Map<string, string>; created: number }> {
  const scope = indexScope('card', '');
  const byIndex = new Map<string, { card: string; value: string }>();
  for (const card of new Set(cards)) {
    const normalised = normaliseIdentifier({ type: 'card', value: card });
    if (!normalised.ok) continue;
    byIndex.set(pii.blindIndex(scope, normalised.identifier.value), {
      card,
      value: normalised.identifier.value,
    });
  }
  const members = new Map<string, string>();
  const indexes = [...byIndex.keys()];
  for (let i = 0; i < indexes.length; i += 500) {
    const rows = await trx
      .selectFrom('member_identifiers')
      .select(['member_id', 'blind_index'])
      .where('type', '=', 'card')
      .where('app_id', '=', '')
      .where('blind_index', 'in', indexes.slice(i, i + 500))
      .execute();
    for (const r of rows) members.set(byIndex.get(r.blind_index)!.card, r.member_id);
  }
  const now = nowIso();
  const memberRows = [];
  const identifierRows = [];
  for (const [blindIndex, { card, value }] of byIndex) {
    if (members.has(card)) continue;
    const id = newId('mem');
    members.set(card, id);
    memberRows.push({
      id,
      status: 'active' as const,
      merged_into: null,
      channel,
      profile_ciphertext: null,
      name_index: null,
      traits: '{}',
      created_at: now,
      updated_at: now,
      erased_at: null,
    });
    identifierRows.push({
      id: newId('mid'),
      member_id: id,
      type: 'card',
      app_id: '',
      blind_index: blindIndex,
      ciphertext: pii.encrypt(value),
      verified: 1,
      channel,
      created_at: now,
    });
  }
  await insertRows(trx, 'members', memberRows);
  await insertRows(trx, 'member_identifiers', identifierRows);
  await appendEvents(
    trx,
    memberRows.map((m) =>
      newEvent(MemberCreated, {
        stream: `member:${m.id}`,
        payload: { memberId: m.id, channel, identifierTypes: ['card'] },
      }),
    ),
  );
  return { members, created: memberRows.length };
}
