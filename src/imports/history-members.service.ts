import { identify, membersForCards, type Pii } from '../members/index.js';
import type { Trx } from '../platform/index.js';
import type { HistoryInvoice, HistoryPerson } from './history.rules.js';
import type { ImportOptions } from './imports.contract.js';

/**
 * The members behind a chunk's customers, through One ID. A customer known only by a card number (the Online
 * Retail file) goes the bulk way: one lookup for all the chunk's cards, the unknown ones made at once. A customer
 * with a phone or an e-mail goes through `identify`, as a channel's customer would: an existing member holding any
 * of them is reused and given the others, two members that turn out to be one are merged or sent to review by
 * One ID's own rules.
 */
export async function historyMembers(
  trx: Trx,
  pii: Pii,
  invoices: readonly HistoryInvoice[],
  options: ImportOptions,
  importId: string,
): Promise<{ memberOf: (inv: HistoryInvoice) => string | null; created: number }> {
  const cardsOnly = new Set<string>();
  const people = new Map<string, HistoryPerson>();
  for (const inv of invoices) {
    if (inv.person === null) continue;
    if (inv.person.phone === undefined && inv.person.email === undefined && inv.person.card !== undefined) {
      cardsOnly.add(inv.person.card);
    } else people.set(personKey(inv.person), inv.person);
  }
  const byCard = await membersForCards(trx, pii, [...cardsOnly], options.channel);
  let created = byCard.created;
  const byPerson = new Map<string, string>();
  for (const [key, person] of people) {
    const identifiers = (['card', 'phone', 'email'] as const).flatMap((type) =>
      person[type] === undefined ? [] : [{ type, value: person[type] }],
    );
    const result = await identify(
      trx,
      pii,
      { identifiers, channel: options.channel },
      { role: 'import', subject: importId },
    );
    if (result.created) created++;
    byPerson.set(key, result.memberId);
  }
  return {
    created,
    memberOf: (inv) => {
      if (inv.person === null) return null;
      const key = personKey(inv.person);
      return (
        byPerson.get(key) ??
        (inv.person.card === undefined ? null : (byCard.members.get(inv.person.card) ?? null))
      );
    },
  };
}

function personKey(person: HistoryPerson): string {
  return JSON.stringify([person.card ?? null, person.phone ?? null, person.email ?? null]);
}

/** The brand's store codes (a brand has hundreds, not millions). */
export async function storeCodes(trx: Trx): Promise<Set<string>> {
  const rows = await trx.selectFrom('locations').select('code').where('kind', '=', 'store').execute();
  return new Set(rows.map((r) => r.code));
}
