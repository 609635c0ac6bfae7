import { type Kysely, sql } from 'kysely';
import type { Pii } from '../members/index.js';
import { type Database, type DB, insertRows, nowIso, type Queryable, type Trx } from '../platform/index.js';
import { profileChanged } from './audience.events.js';
import type { MemberTraitsTable } from './audience.schema.js';
import { isEmpty, type TraitFacts, type Traits, traitsOf } from './traits.rules.js';

// A member's traits are derived from the facts other contexts keep — completed orders (history included), their
// lines, returns received (and history returns), trials, tracked activity, her card — by the same set-based reads
// whether one member changed (the consumer) or every member is recomputed (the command): the two cannot disagree.

/** Members per chunk of a recompute (one transaction each; `in (…)` lists stay far below bind limits). */
export const TRAITS_CHUNK = 1000;
const DAY_MS = 86_400_000;
const RECEIVED = ['received', 'refunded'] as const;

/** The facts of these members (active ones only), gathered in a dozen grouped reads. */
export async function gatherTraitFacts(
  db: Queryable,
  pii: Pii,
  memberIds: readonly string[],
  now: Date,
): Promise<TraitFacts[]> {
  if (memberIds.length === 0) return [];
  const ids = [...new Set(memberIds)];
  const cutoff = new Date(now.getTime() - 365 * DAY_MS).toISOString();
  const completed = db.selectFrom('orders').where('status', '=', 'completed').where('member_id', 'in', ids);
  const [
    active,
    orders,
    units,
    channels,
    stores,
    cities,
    returns,
    returnUnits,
    history,
    trials,
    seen,
    cards,
  ] = await Promise.all([
    db.selectFrom('members').select('id').where('id', 'in', ids).where('status', '=', 'active').execute(),
    completed
      .groupBy('member_id')
      .select((eb) => [
        'member_id',
        eb.fn.countAll<number>().as('count'),
        eb.fn.sum<number>('paid_amount').as('spend'),
        sql<number>`sum(case when completed_at >= ${cutoff} then paid_amount else 0 end)`.as('spend365'),
        eb.fn.min('completed_at').as('first'),
        eb.fn.max('completed_at').as('last'),
      ])
      .execute(),
    db
      .selectFrom('order_lines')
      .innerJoin('orders', 'orders.id', 'order_lines.order_id')
      .where('orders.status', '=', 'completed')
      .where('orders.member_id', 'in', ids)
      .groupBy(['orders.member_id', 'order_lines.category'])
      .select([
        'orders.member_id as member_id',
        'order_lines.category as category',
        sql<number>`sum(order_lines.quantity - order_lines.cancelled_quantity)`.as('units'),
      ])
      .execute(),
    completed.select(['member_id', 'channel']).distinct().execute(),
    completed
      .where(sql<string>`coalesce(store_code, fulfillment_store)`, 'is not', null)
      .groupBy(['member_id', sql`coalesce(store_code, fulfillment_store)`])
      .select((eb) => [
        'member_id',
        sql<string>`coalesce(store_code, fulfillment_store)`.as('store'),
        eb.fn.countAll<number>().as('orders'),
      ])
      .execute(),
    completed
      .where('address_city', 'is not', null)
      .select(['member_id', 'address_city', 'completed_at'])
      .execute(),
    db
      .selectFrom('returns')
      .where('member_id', 'in', ids)
      .where('status', 'in', RECEIVED)
      .groupBy('member_id')
      .select((eb) => [
        'member_id',
        eb.fn.sum<number>('money_value').as('amount'),
        eb.fn.max('received_at').as('last'),
      ])
      .execute(),
    db
      .selectFrom('return_lines')
      .innerJoin('returns', 'returns.id', 'return_lines.return_id')
      .where('returns.member_id', 'in', ids)
      .where('returns.status', 'in', RECEIVED)
      .groupBy('returns.member_id')
      .select(['returns.member_id as member_id', sql<number>`sum(return_lines.quantity)`.as('units')])
      .execute(),
    db
      .selectFrom('history_returns')
      .where('member_id', 'in', ids)
      .select(['member_id', 'amount', 'lines', 'returned_at'])
      .execute(),
    db
      .selectFrom('experiences')
      .where('member_id', 'in', ids)
      .groupBy('member_id')
      .select((eb) => [
        'member_id',
        eb.fn.countAll<number>().as('count'),
        eb.fn.max('recorded_at').as('last'),
      ])
      .execute(),
    db
      .selectFrom('member_activity')
      .where('member_id', 'in', ids)
      .groupBy('member_id')
      .select((eb) => ['member_id', eb.fn.max('occurred_at').as('last')])
      .execute(),
    db
      .selectFrom('member_identifiers')
      .where('member_id', 'in', ids)
      .where('type', '=', 'card')
      .where('app_id', '=', '')
      .orderBy('created_at')
      .orderBy('id')
      .select(['member_id', 'ciphertext'])
      .execute(),
  ]);

  const facts = new Map<string, TraitFacts>();
  for (const { id } of active) {
    facts.set(id, {
      memberId: id,
      card: null,
      orders: { count: 0, spend: 0, spend365: 0, first: null, last: null, units: 0 },
      channels: [],
      storeOrders: [],
      categoryUnits: [],
      city: null,
      returns: { units: 0, amount: 0, last: null },
      trials: { count: 0, last: null },
      lastActivity: null,
    });
  }
  const of = (id: string | null) => (id === null ? undefined : facts.get(id));
  for (const r of orders) {
    const f = of(r.member_id);
    if (f) {
      f.orders = {
        ...f.orders,
        count: Number(r.count),
        spend: Number(r.spend ?? 0),
        spend365: Number(r.spend365 ?? 0),
        first: r.first,
        last: r.last,
      };
    }
  }
  for (const r of units) {
    const f = of(r.member_id);
    if (!f) continue;
    f.orders.units += Number(r.units);
    (f.categoryUnits as { category: string; units: number }[]).push({
      category: r.category,
      units: Number(r.units),
    });
  }
  for (const r of channels) (of(r.member_id)?.channels as string[] | undefined)?.push(r.channel);
  for (const r of stores) {
    (of(r.member_id)?.storeOrders as { store: string; orders: number }[] | undefined)?.push({
      store: r.store,
      orders: Number(r.orders),
    });
  }
  const cityAt = new Map<string, string>();
  for (const r of cities) {
    const f = of(r.member_id);
    if (!f || r.completed_at === null) continue;
    const at = cityAt.get(f.memberId);
    if (at === undefined || r.completed_at > at) {
      cityAt.set(f.memberId, r.completed_at);
      f.city = r.address_city;
    }
  }
  for (const r of returns) {
    const f = of(r.member_id);
    if (f) f.returns = { ...f.returns, amount: f.returns.amount + Number(r.amount ?? 0), last: r.last };
  }
  for (const r of returnUnits) {
    const f = of(r.member_id);
    if (f) f.returns.units += Number(r.units);
  }
  for (const r of history) {
    const f = of(r.member_id);
    if (!f) continue;
    const lines = JSON.parse(r.lines) as { quantity: number }[];
    f.returns.units += lines.reduce((s, l) => s + l.quantity, 0);
    f.returns.amount += Number(r.amount);
    if (f.returns.last === null || r.returned_at > f.returns.last) f.returns.last = r.returned_at;
  }
  for (const r of trials) {
    const f = of(r.member_id);
    if (f) f.trials = { count: Number(r.count), last: r.last };
  }
  for (const r of seen) {
    const f = of(r.member_id);
    if (f) f.lastActivity = r.last;
  }
  for (const r of cards) {
    const f = of(r.member_id);
    if (f && f.card === null) f.card = pii.decrypt(r.ciphertext);
  }
  return [...facts.values()];
}

export function toTraitsRow(t: Traits, updatedAt: string): MemberTraitsTable {
  return {
    member_id: t.memberId,
    card: t.card,
    first_order_at: t.firstOrderAt,
    last_order_at: t.lastOrderAt,
    order_count: t.orderCount,
    spend: t.spend,
    spend_365: t.spend365,
    average_order: t.averageOrder,
    units_bought: t.unitsBought,
    units_returned: t.unitsReturned,
    returned_amount: t.returnedAmount,
    return_rate: t.returnRate,
    channels: JSON.stringify(t.channels),
    stores: JSON.stringify(t.stores),
    top_categories: JSON.stringify(t.topCategories),
    home_store: t.homeStore,
    city: t.city,
    trial_count: t.trialCount,
    last_trial_at: t.lastTrialAt,
    last_seen_at: t.lastSeenAt,
    updated_at: updatedAt,
  };
}

/**
 * Derives these members' traits from their facts now and writes them in the caller's transaction (a member with
 * no facts, merged or erased has no row), then says so (`audience.profile_changed`). Returns the rows written.
 */
export async function refreshTraits(
  trx: Trx,
  pii: Pii,
  memberIds: readonly string[],
  now = new Date(),
): Promise<number> {
  if (memberIds.length === 0) return 0;
  const ids = [...new Set(memberIds)];
  const facts = await gatherTraitFacts(trx, pii, ids, now);
  const at = nowIso();
  const rows = facts.filter((f) => !isEmpty(f)).map((f) => toTraitsRow(traitsOf(f), at));
  await trx.deleteFrom('member_traits').where('member_id', 'in', ids).execute();
  await insertRows(trx, 'member_traits', rows);
  await profileChanged(trx, ids, 'traits');
  return rows.length;
}

/**
 * Recomputes every member's traits from the facts, a chunk of members per transaction (any node may run it while
 * the consumer keeps going: both write what the facts say). Returns the members with traits.
 */
export async function recomputeTraits(
  database: Database,
  pii: Pii,
  onProgress?: (done: number) => void,
  now = new Date(),
): Promise<number> {
  const db: Kysely<DB> = database.db;
  let after = '';
  let written = 0;
  let seen = 0;
  for (;;) {
    const chunk = await db
      .selectFrom('members')
      .select('id')
      .where('id', '>', after)
      .orderBy('id')
      .limit(TRAITS_CHUNK)
      .execute();
    if (chunk.length === 0) break;
    const ids = chunk.map((r) => r.id);
    written += await database.transaction((trx) => refreshTraits(trx, pii, ids, now));
    after = ids[ids.length - 1]!;
    seen += ids.length;
    onProgress?.(seen);
  }
  return written;
}
