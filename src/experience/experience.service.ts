import type { Kysely, Selectable } from 'kysely';
import { CatalogErrors, getSkus } from '../catalog/index.js';
import { getSkuStock } from '../inventory/index.js';
import { getLocation, LocationErrors } from '../locations/index.js';
import { consentsOf, MemberErrors, resolveMemberId } from '../members/index.js';
import { OrderCompleted } from '../orders/orders.events.js';
import {
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  isEvent,
  newEvent,
  newId,
  nowIso,
  type PublishedEvent,
  payloadOf,
  type Trx,
} from '../platform/index.js';
import type { Experience, Favourite, Recommendation } from './experience.contract.js';
import { ExperienceErrors } from './experience.errors.js';
import { ExperienceRecorded, FavouriteRemoved, FavouriteSaved } from './experience.events.js';
import {
  bestsellerCandidates,
  type Candidate,
  type ExperienceKind,
  personalCandidates,
} from './experience.rules.js';
import type { ExperienceFavouritesTable, ExperiencesTable } from './experience.schema.js';

function toExperience(row: Selectable<ExperiencesTable>): Experience {
  return {
    id: row.id,
    memberId: row.member_id,
    store: row.store,
    guide: row.guide,
    sku: row.sku,
    kind: row.kind,
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

function toFavourite(row: Selectable<ExperienceFavouritesTable>): Favourite {
  return {
    id: row.id,
    memberId: row.member_id,
    sku: row.sku,
    store: row.store,
    recordedBy: row.recorded_by,
    createdAt: row.created_at,
  };
}

async function activeMember(db: Kysely<DB>, requested: string): Promise<string> {
  const memberId = await resolveMemberId(db, requested);
  if (memberId === null) throw MemberErrors.notFound(`No member ${requested}`);
  const row = await db.selectFrom('members').select('status').where('id', '=', memberId).executeTakeFirst();
  if (row?.status !== 'active') throw MemberErrors.notActive(`Member ${memberId} is ${row?.status}`);
  return memberId;
}

async function knownSku(db: Kysely<DB>, sku: string): Promise<void> {
  if (!(await getSkus(db, [sku])).has(sku)) throw CatalogErrors.skuNotFound(`No SKU ${sku}`);
}

export interface NewExperience {
  memberId: string;
  store: string;
  guide?: string | undefined;
  sku: string;
  kind: ExperienceKind;
  result?: Record<string, unknown> | undefined;
  recordedBy: string;
}

/** A trial at a counter, a pad or a smart mirror: recorded against the member, and an `experience.recorded` event. */
export async function recordExperience(trx: Trx, input: NewExperience): Promise<Experience> {
  const memberId = await activeMember(trx, input.memberId);
  const location = await getLocation(trx, input.store);
  if (!location) throw LocationErrors.notFound(`No location ${input.store}`);
  if (location.kind !== 'store')
    throw ExperienceErrors.notAStore(`${input.store} is a ${location.kind}, not a store`);
  await knownSku(trx, input.sku);
  const row: Selectable<ExperiencesTable> = {
    id: newId('exp'),
    member_id: memberId,
    store: input.store,
    guide: input.guide ?? null,
    sku: input.sku,
    kind: input.kind,
    result: input.result === undefined ? null : JSON.stringify(input.result),
    recorded_by: input.recordedBy,
    recorded_at: nowIso(),
  };
  await trx.insertInto('experiences').values(row).execute();
  const experience = toExperience(row);
  await appendEvent(
    trx,
    newEvent(ExperienceRecorded, {
      stream: `member:${memberId}`,
      location: input.store,
      payload: experience,
    }),
  );
  return experience;
}

/** A product saved by scanning it in store (or in an app); saving it again keeps the first. */
export async function saveFavourite(
  trx: Trx,
  input: { memberId: string; sku: string; store: string | null; recordedBy: string },
): Promise<{ favourite: Favourite; created: boolean }> {
  const memberId = await activeMember(trx, input.memberId);
  if (input.store !== null && !(await getLocation(trx, input.store))) {
    throw LocationErrors.notFound(`No location ${input.store}`);
  }
  await knownSku(trx, input.sku);
  const existing = await trx
    .selectFrom('experience_favourites')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('sku', '=', input.sku)
    .executeTakeFirst();
  if (existing) return { favourite: toFavourite(existing), created: false };
  const row: Selectable<ExperienceFavouritesTable> = {
    id: newId('fav'),
    member_id: memberId,
    sku: input.sku,
    store: input.store,
    recorded_by: input.recordedBy,
    created_at: nowIso(),
  };
  await trx.insertInto('experience_favourites').values(row).execute();
  const favourite = toFavourite(row);
  await appendEvent(
    trx,
    newEvent(FavouriteSaved, {
      stream: `member:${memberId}`,
      location: input.store,
      payload: favourite,
    }),
  );
  return { favourite, created: true };
}

/** Takes a product off her favourites (she changed her mind on her phone); one she never saved changes nothing. */
export async function removeFavourite(trx: Trx, memberId: string, sku: string): Promise<Favourite[]> {
  const removed = await trx
    .deleteFrom('experience_favourites')
    .where('member_id', '=', memberId)
    .where('sku', '=', sku)
    .returningAll()
    .execute();
  for (const row of removed) {
    await appendEvent(
      trx,
      newEvent(FavouriteRemoved, {
        stream: `member:${memberId}`,
        payload: { memberId, sku: row.sku, favouriteId: row.id },
      }),
    );
  }
  return favouritesOf(trx, memberId);
}

export async function experiencesOf(
  db: Kysely<DB>,
  memberId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: Experience[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('experiences')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  const after = decodeCursor(page.cursor, ['string', 'string']);
  if (after) {
    const [at, id] = after;
    query = query.where((eb) =>
      eb.or([eb('recorded_at', '<', at), eb.and([eb('recorded_at', '=', at), eb('id', '<', id)])]),
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map(toExperience);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > page.limit && last ? encodeCursor([last.recordedAt, last.id]) : null,
  };
}

export async function favouritesOf(db: Kysely<DB>, memberId: string): Promise<Favourite[]> {
  const rows = await db
    .selectFrom('experience_favourites')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map(toFavourite);
}

/**
 * Keeps this context's own picture of completed orders (SKUs per order and member), so that recommendations
 * never read the order hub's tables. One row per order line, unique, so a redelivered event changes nothing.
 */
export async function projectCompletedOrder(trx: Trx, event: PublishedEvent): Promise<void> {
  if (!isEvent(OrderCompleted, event)) return;
  const p = payloadOf(OrderCompleted, event);
  if (p.lines.length === 0) return;
  const memberId = p.memberId === null ? null : ((await resolveMemberId(trx, p.memberId)) ?? p.memberId);
  await trx
    .insertInto('experience_purchases')
    .values(
      p.lines.map((l) => ({
        id: newId('epu'),
        source_key: `${p.orderId}:${l.lineNo}`,
        order_id: p.orderId,
        member_id: memberId,
        sku: l.sku,
        quantity: l.quantity,
        channel: p.channel,
        completed_at: p.completedAt,
      })),
    )
    .onConflict((oc) => oc.column('source_key').doNothing())
    .execute();
}

const BESTSELLER_DAYS = 90;

async function bestsellers(db: Kysely<DB>, limit: number): Promise<Candidate[]> {
  const since = new Date(Date.now() - BESTSELLER_DAYS * 86_400_000).toISOString();
  const rows = await db
    .selectFrom('experience_purchases')
    .select(['sku', (eb) => eb.fn.sum<number>('quantity').as('units')])
    .where('completed_at', '>=', since)
    .groupBy('sku')
    .orderBy('units', 'desc')
    .limit(limit)
    .execute();
  return bestsellerCandidates(rows.map((r) => ({ sku: r.sku, units: Number(r.units) })));
}

async function personalSignals(db: Kysely<DB>, memberId: string) {
  const [tried, favourites, bought] = await Promise.all([
    db
      .selectFrom('experiences')
      .select(['sku', 'store', 'recorded_at'])
      .where('member_id', '=', memberId)
      .orderBy('recorded_at', 'desc')
      .limit(100)
      .execute(),
    favouritesOf(db, memberId),
    db
      .selectFrom('experience_purchases')
      .select(['sku', (eb) => eb.fn.max('completed_at').as('last')])
      .where('member_id', '=', memberId)
      .groupBy('sku')
      .execute(),
  ]);
  const boughtMap = new Map(bought.map((b) => [b.sku, String(b.last)]));
  const seeds = [...boughtMap.keys()].slice(0, 50);
  const together =
    seeds.length === 0
      ? []
      : await db
          .selectFrom('experience_purchases as a')
          .innerJoin('experience_purchases as b', 'a.order_id', 'b.order_id')
          .select(['b.sku as sku', (eb) => eb.fn.count<number>('b.order_id').distinct().as('orders')])
          .where('a.sku', 'in', seeds)
          .whereRef('b.sku', '!=', 'a.sku')
          .groupBy('b.sku')
          .orderBy('orders', 'desc')
          .limit(100)
          .execute();
  return {
    tried: tried.map((t) => ({ sku: t.sku, store: t.store, recordedAt: t.recorded_at })),
    favourites: favourites.map((f) => ({ sku: f.sku, store: f.store, createdAt: f.createdAt })),
    bought: boughtMap,
    together: together.map((t) => ({ sku: t.sku, orders: Number(t.orders) })),
  };
}

/**
 * Recommendations v1. With `personalization` consent: tried in store and not bought, saved and not bought, bought
 * together by others, then best sellers to fill up. Without it, PIPL Art. 24 requires an option not based on
 * personal characteristics: everyone gets the same best-seller list. Only SKUs in stock for the channel appear.
 */
export async function recommendationsFor(
  db: Kysely<DB>,
  requested: string,
  options: { channel: string; limit: number },
): Promise<{ memberId: string; personalized: boolean; channel: string; items: Recommendation[] }> {
  const memberId = await resolveMemberId(db, requested);
  if (memberId === null) throw MemberErrors.notFound(`No member ${requested}`);
  const consent = (await consentsOf(db, memberId)).current.find((c) => c.purpose === 'personalization');
  const personalized = consent?.granted === true;
  const signals = personalized ? await personalSignals(db, memberId) : undefined;
  const candidates: Candidate[] = signals ? personalCandidates(signals) : [];
  // Best sellers fill a personal list up, without what the member already owns.
  const seen = new Set([...candidates.map((c) => c.sku), ...(signals?.bought.keys() ?? [])]);
  for (const c of await bestsellers(db, options.limit * 4 + 20)) {
    if (!seen.has(c.sku)) {
      candidates.push(c);
      seen.add(c.sku);
    }
  }
  const skus = await getSkus(
    db,
    candidates.map((c) => c.sku),
  );
  const items: Recommendation[] = [];
  for (const c of candidates) {
    if (items.length >= options.limit) break;
    const sku = skus.get(c.sku);
    if (!sku?.active) continue;
    const stock = await getSkuStock(db, c.sku, options.channel);
    if (stock.available <= 0) continue;
    items.push({
      sku: c.sku,
      name: sku.name,
      productCode: sku.productCode,
      price: sku.price,
      reason: c.reason,
      score: c.score,
      available: stock.available,
      ...(c.store !== undefined ? { store: c.store } : {}),
      ...(c.at !== undefined ? { at: c.at } : {}),
      ...(c.count !== undefined ? { count: c.count } : {}),
    });
  }
  return { memberId, personalized, channel: options.channel, items };
}

export type { Experience, Favourite, Recommendation };
