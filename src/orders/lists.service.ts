import type { Kysely } from 'kysely';
import { refundedByOrder } from '../payments/index.js';
import { type Channel, type DB, decodeCursor, encodeCursor } from '../platform/index.js';
import { type OrderSummary, SUMMARY_LINES } from './orders.contract.js';
import type { OrderStatus } from './orders.rules.js';

export interface OrderFilter {
  channel?: Channel | undefined;
  store?: string | undefined;
  status?: OrderStatus | undefined;
  memberId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export type { OrderSummary };

/**
 * Orders newest first, for the console: by channel, store (sold or fulfilled there), status, member, date. The
 * cursor is the last row's creation time and id.
 */
export async function listOrders(
  db: Kysely<DB>,
  filter: OrderFilter,
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const after = decodeCursor(filter.cursor, ['string', 'string']);
  let query = db
    .selectFrom('orders')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.memberId) query = query.where('member_id', '=', filter.memberId);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  if (filter.store) {
    const store = filter.store;
    query = query.where((eb) =>
      eb.or([
        eb('store_code', '=', store),
        eb('fulfillment_store', '=', store),
        eb('id', 'in', eb.selectFrom('fulfillments').select('order_id').where('location', '=', store)),
      ]),
    );
  }
  if (after) {
    const [createdAt, id] = after;
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const ids = page.map((r) => r.id);
  const [lines, refunded] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .selectFrom('order_lines')
          .select(['order_id', 'line_no', 'sku', 'name', 'quantity'])
          .where('order_id', 'in', ids)
          .orderBy('order_id')
          .orderBy('line_no')
          .execute(),
    refundedByOrder(db, ids),
  ]);
  const linesOf = new Map<string, { sku: string; name: string; quantity: number }[]>();
  for (const l of lines) {
    const list = linesOf.get(l.order_id) ?? [];
    list.push({ sku: l.sku, name: l.name, quantity: Number(l.quantity) });
    linesOf.set(l.order_id, list);
  }
  const items = page.map((r) => ({
    id: r.id,
    channel: r.channel,
    externalId: r.external_id,
    storeCode: r.store_code,
    memberId: r.member_id,
    status: r.status,
    fulfillmentType: r.fulfillment_type,
    fulfillmentStore: r.fulfillment_store,
    totalAmount: Number(r.total_amount),
    payableAmount: Number(r.payable_amount),
    paidAmount: Number(r.paid_amount),
    refundedAmount: refunded.get(r.id) ?? 0,
    lines: (linesOf.get(r.id) ?? []).slice(0, SUMMARY_LINES),
    lineCount: linesOf.get(r.id)?.length ?? 0,
    createdAt: r.created_at,
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > filter.limit && last ? encodeCursor([last.createdAt, last.id]) : null,
  };
}
