import { ReturnReceived } from '../aftersales/aftersales.events.js';
import { ExperienceRecorded } from '../experience/experience.events.js';
import { ReturnImported } from '../imports/imports.events.js';
import { CouponRedeemed, CouponRestored } from '../loyalty/loyalty.events.js';
import { OrderCompleted, OrderImported } from '../orders/orders.events.js';
import { toPublishedEvent } from '../platform/events/outbox.js';
import {
  type Database,
  type EventContract,
  insertRows,
  nowIso,
  type PublishedEvent,
  payloadOf,
  type Queryable,
  type Trx,
} from '../platform/index.js';
import { profileChanged } from './audience.events.js';
import type { MemberActivityTable } from './audience.schema.js';

// The facts the platform records itself become member activity: one row per SKU a purchase, a return or a trial
// touched (a coupon redeemed is one row, without a SKU). The type is the fact's event type, `ref` the order,
// return, trial or coupon it came from. Rows of a fact replace any earlier rows of that fact, so a delivery
// repeated (at least once) or a fact recorded again never counts twice.

type FactRow = Omit<MemberActivityTable, 'seq' | 'received_at'>;
type FactReader = (db: Queryable, event: PublishedEvent) => Promise<FactRow[]>;

/** Trials happen in a store, where the brand's channel is the till's. */
const STORE_CHANNEL = 'pos';

const row = (fields: Partial<FactRow> & Pick<FactRow, 'type' | 'channel' | 'occurred_at'>): FactRow => ({
  member_id: null,
  anonymous_id: null,
  sku: null,
  category: null,
  store: null,
  ref: null,
  amount: null,
  properties: null,
  ...fields,
});

const READERS: [EventContract, FactReader][] = [
  [
    OrderCompleted,
    async (_db, e) => {
      const o = payloadOf(OrderCompleted, e);
      return o.lines.map((line) =>
        row({
          type: e.type,
          member_id: o.memberId,
          channel: o.channel,
          sku: line.sku,
          category: line.category,
          store: o.storeCode,
          ref: o.orderId,
          amount: line.paidAmount,
          occurred_at: o.completedAt,
        }),
      );
    },
  ],
  [
    OrderImported,
    async (_db, e) => {
      const o = payloadOf(OrderImported, e);
      return o.lines.map((line) =>
        row({
          type: e.type,
          member_id: o.memberId,
          channel: o.channel,
          sku: line.sku,
          category: line.category,
          store: o.storeCode,
          ref: o.orderId,
          amount: line.amount,
          occurred_at: o.completedAt,
        }),
      );
    },
  ],
  [
    ReturnImported,
    async (_db, e) => {
      const r = payloadOf(ReturnImported, e);
      return r.lines.map((line) =>
        row({
          type: e.type,
          member_id: r.memberId,
          channel: r.channel,
          sku: line.sku,
          store: r.storeCode,
          ref: r.returnId,
          amount: line.amount,
          occurred_at: r.returnedAt,
        }),
      );
    },
  ],
  [
    // The event says what came back; the money of each line (what is refunded) and its category are the return's.
    ReturnReceived,
    async (db, e) => {
      const r = payloadOf(ReturnReceived, e);
      const lines = await db
        .selectFrom('return_lines as rl')
        .innerJoin('returns as r', 'r.id', 'rl.return_id')
        .leftJoin('order_lines as ol', (join) =>
          join.onRef('ol.order_id', '=', 'rl.order_id').onRef('ol.line_no', '=', 'rl.line_no'),
        )
        .select(['rl.sku', 'rl.money_amount', 'ol.category', 'r.channel', 'r.received_at'])
        .where('rl.return_id', '=', r.returnId)
        .orderBy('rl.line_no')
        .execute();
      return lines.map((line) =>
        row({
          type: e.type,
          member_id: r.memberId,
          channel: line.channel,
          sku: line.sku,
          category: line.category,
          store: r.location,
          ref: r.returnId,
          amount: Number(line.money_amount),
          occurred_at: line.received_at ?? e.occurredAt,
        }),
      );
    },
  ],
  [
    ExperienceRecorded,
    async (_db, e) => {
      const x = payloadOf(ExperienceRecorded, e);
      return [
        row({
          type: e.type,
          member_id: x.memberId,
          channel: STORE_CHANNEL,
          sku: x.sku,
          store: x.store,
          ref: x.id,
          occurred_at: x.recordedAt,
          properties: JSON.stringify({ kind: x.kind }),
        }),
      ];
    },
  ],
  [
    CouponRedeemed,
    async (_db, e) => {
      const c = payloadOf(CouponRedeemed, e);
      return [
        row({
          type: e.type,
          member_id: c.memberId,
          channel: c.channel,
          store: c.store,
          ref: c.code,
          amount: c.amount,
          occurred_at: e.occurredAt,
          properties: JSON.stringify({ template: c.template, orderId: c.orderId }),
        }),
      ];
    },
  ],
];
const readers = new Map(READERS.map(([contract, read]) => [contract.type, read]));

/** The event types whose facts become activity. */
export const FACT_TYPES = [...readers.keys()];

/** Facts undone: a coupon given back with its cancelled order was not used after all. */
const RETRACTIONS = new Map<string, (event: PublishedEvent) => { type: string; ref: string }>([
  [CouponRestored.type, (e) => ({ type: CouponRedeemed.type, ref: payloadOf(CouponRestored, e).code })],
]);

/** The events the facts consumer follows: the facts, and what undoes one. */
export const FACT_EVENT_TYPES = [...FACT_TYPES, ...RETRACTIONS.keys()];

/**
 * Writes one fact's rows in the consumer's transaction (which also advances its checkpoint): the fact's earlier
 * rows go first, so the rows are those of the fact whatever was delivered before.
 */
export async function recordFact(trx: Trx, event: PublishedEvent, announce = true): Promise<void> {
  const retraction = RETRACTIONS.get(event.type)?.(event);
  if (retraction) {
    await trx
      .deleteFrom('member_activity')
      .where('ref', '=', retraction.ref)
      .where('type', '=', retraction.type)
      .execute();
    return;
  }
  const read = readers.get(event.type);
  if (!read) return;
  const rows = await read(trx, event);
  // Her rows are where everything of hers is now: a fact of a member merged away since goes to the survivor.
  const holder = await holdersOf(
    trx,
    rows.flatMap((r) => (r.member_id === null ? [] : [r.member_id])),
  );
  for (const r of rows) if (r.member_id !== null) r.member_id = holder.get(r.member_id) ?? r.member_id;
  const ref = rows[0]?.ref;
  if (ref === undefined || ref === null) return;
  await trx.deleteFrom('member_activity').where('ref', '=', ref).where('type', '=', event.type).execute();
  const receivedAt = nowIso();
  await insertRows(
    trx,
    'member_activity',
    rows.map((r) => ({ ...r, received_at: receivedAt })),
  );
  const members = rows.map((r) => r.member_id).filter((id): id is string => id !== null);
  if (announce && members.length > 0) await profileChanged(trx, members, 'activity');
}

/** The member each id stands for now, merges followed (a few hops at most; one query per hop). */
async function holdersOf(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const holder = new Map<string, string>();
  let open = [...new Set(ids)];
  for (const id of open) holder.set(id, id);
  for (let hop = 0; hop < 20 && open.length > 0; hop++) {
    const merged = await db
      .selectFrom('members')
      .select(['id', 'merged_into'])
      .where('id', 'in', open)
      .where('status', '=', 'merged')
      .where('merged_into', 'is not', null)
      .execute();
    if (merged.length === 0) break;
    const next = new Map(merged.map((m) => [m.id, m.merged_into as string]));
    for (const [original, current] of holder) {
      const to = next.get(current);
      if (to !== undefined) holder.set(original, to);
    }
    open = [...new Set(next.values())];
  }
  return holder;
}

/** Facts replayed per transaction by the full recompute. */
export const RECOMPUTE_CHUNK = 500;

/**
 * Rebuilds every fact's activity from the facts' log (the outbox keeps every event), a chunk of facts per
 * transaction: the check that what the consumer kept is what the facts say, and the repair if it ever is not.
 * Tracked app events are not touched; nothing is announced (traits and segments have their own recompute).
 */
export async function recomputeFactActivity(database: Database): Promise<{ facts: number; rows: number }> {
  let after = 0;
  let facts = 0;
  for (;;) {
    const chunk = await database.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('type', 'in', FACT_EVENT_TYPES)
      .where('position', '>', after)
      .orderBy('position')
      .limit(RECOMPUTE_CHUNK)
      .execute();
    if (chunk.length === 0) break;
    await database.transaction(async (trx) => {
      for (const row of chunk) await recordFact(trx, toPublishedEvent(row), false);
    });
    facts += chunk.length;
    after = Number(chunk.at(-1)!.position);
  }
  const rows = await database.db
    .selectFrom('member_activity')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', 'in', FACT_TYPES)
    .executeTakeFirstOrThrow();
  return { facts, rows: Number(rows.n) };
}
