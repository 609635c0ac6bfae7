import type { Insertable } from 'kysely';
import {
  appendEvents,
  type Channel,
  insertRows,
  localDay,
  type NewEvent,
  newEvent,
  newId,
  type Trx,
} from '../platform/index.js';
import { OrderImported } from './orders.events.js';
import type { OrderLinesTable } from './orders.schema.js';
import { timelineSentence } from './orders.timeline.js';

/** One order of the brand's history, as an import read it: completed, paid in full, its lines at their prices. */
export interface HistoryOrder {
  externalId: string;
  channel: Channel;
  storeCode: string | null;
  memberId: string | null;
  /** When it was bought (ISO, UTC). */
  at: string;
  lines: HistoryOrderLine[];
}

export interface HistoryOrderLine {
  sku: string;
  name: string;
  category: string;
  quantity: number;
  unitPrice: number;
  /** What was paid for the line, when less than quantity × unit price (a discount); the whole amount otherwise. */
  paid?: number;
}

/** A history line's rows: its amount at list price, what was paid, and the discount between them. */
function lineAmounts(l: HistoryOrderLine): {
  line_amount: number;
  discount_amount: number;
  paid_amount: number;
} {
  const amount = l.quantity * l.unitPrice;
  const paid = l.paid ?? amount;
  return { line_amount: amount, discount_amount: amount - paid, paid_amount: paid };
}

/**
 * Writes orders of the brand's history, marked with the import that brought them: completed and paid at the time
 * they were bought, with no fulfillment groups, no stock moved, no points and nothing sent (no `order.completed`:
 * loyalty and journeys do not react; `order.imported` feeds profiles and analytics). An order whose channel number
 * is already here is left as it is: importing the same file again, or resuming one, creates nothing twice.
 * Returns how many were new, the channel numbers that were here already, and those of them this same import
 * continued (an invoice cut across two chunks: its later lines are added).
 */
export async function writeHistoryOrders(
  trx: Trx,
  importId: string,
  orders: readonly HistoryOrder[],
  timeZone: string,
): Promise<{ created: number; present: Set<string>; continued: Set<string> }> {
  if (orders.length === 0) return { created: 0, present: new Set(), continued: new Set() };
  const present = new Set<string>();
  // Orders this same import wrote from an earlier chunk: a later record of the invoice continues them.
  const continued = new Map<string, string>();
  const byChannel = new Map<Channel, string[]>();
  for (const o of orders) byChannel.set(o.channel, [...(byChannel.get(o.channel) ?? []), o.externalId]);
  for (const [channel, ids] of byChannel) {
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await trx
        .selectFrom('orders')
        .select(['id', 'external_id', 'imported_by'])
        .where('channel', '=', channel)
        .where('external_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        present.add(`${channel}\u0000${r.external_id}`);
        if (r.imported_by === importId) continued.set(`${channel}\u0000${r.external_id}`, r.id);
      }
    }
  }
  for (const o of orders) {
    const id = continued.get(`${o.channel}\u0000${o.externalId}`);
    if (id !== undefined) await continueHistoryOrder(trx, id, o);
  }
  const fresh = orders.filter((o) => !present.has(`${o.channel}\u0000${o.externalId}`));
  const orderRows = [];
  const lineRows: Insertable<OrderLinesTable>[] = [];
  const timelineRows = [];
  const events: NewEvent[] = [];
  for (const o of fresh) {
    const id = newId('ord');
    const amounts = o.lines.map(lineAmounts);
    const total = amounts.reduce((s, a) => s + a.line_amount, 0);
    const paid = amounts.reduce((s, a) => s + a.paid_amount, 0);
    orderRows.push({
      id,
      channel: o.channel,
      external_id: o.externalId,
      request_hash: '',
      store_code: o.storeCode,
      guide: null,
      member_id: o.memberId,
      status: 'completed' as const,
      fulfillment_type: o.storeCode === null ? ('delivery' as const) : ('carry_out' as const),
      fulfillment_store: o.storeCode,
      address_city: null,
      address_lat: null,
      address_lng: null,
      address_private: null,
      total_amount: total,
      discount_amount: total - paid,
      points_amount: 0,
      points_redeemed: 0,
      payable_amount: paid,
      paid_amount: paid,
      coupon_codes: '[]',
      plan: '{"groups":[],"explanation":[]}',
      expires_at: o.at,
      local_day: localDay(o.at, timeZone),
      created_at: o.at,
      updated_at: o.at,
      completed_at: o.at,
      cancelled_at: null,
      cancel_reason: null,
      imported_by: importId,
    });
    o.lines.forEach((l, i) => {
      lineRows.push({
        order_id: id,
        line_no: i + 1,
        sku: l.sku,
        name: l.name,
        category: l.category,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        ...amounts[i]!,
        points_amount: 0,
        cancelled_quantity: 0,
      });
    });
    const params = { importId, externalId: o.externalId };
    timelineRows.push({
      order_id: id,
      at: o.at,
      kind: 'status',
      from_status: null,
      to_status: 'completed' as const,
      message: timelineSentence({ code: 'order.imported', params }),
      actor: `import:${importId}`,
      data: null,
      code: 'order.imported' as const,
      params: JSON.stringify(params),
    });
    events.push(
      newEvent(OrderImported, {
        stream: `order:${id}`,
        location: o.storeCode,
        payload: {
          orderId: id,
          importId,
          channel: o.channel,
          memberId: o.memberId,
          storeCode: o.storeCode,
          // What the customer paid (a history discount taken off), as `order.completed`'s paidAmount.
          totalAmount: paid,
          completedAt: o.at,
          lines: o.lines.map((l, i) => ({
            sku: l.sku,
            category: l.category,
            quantity: l.quantity,
            amount: amounts[i]!.paid_amount,
          })),
        },
      }),
    );
  }
  await insertRows(trx, 'orders', orderRows);
  await insertRows(trx, 'order_lines', lineRows);
  await insertRows(trx, 'order_timeline', timelineRows);
  await appendEvents(trx, events);
  return { created: fresh.length, present, continued: new Set(continued.keys()) };
}

/**
 * Adds the lines of an invoice's later records (cut into another chunk of the same file) to the order an earlier
 * chunk wrote. Its `order.imported` event went out with the first part: readers that need every line recompute
 * from the order (rare: the Online Retail file has one such invoice, six rows apart).
 */
async function continueHistoryOrder(trx: Trx, orderId: string, o: HistoryOrder): Promise<void> {
  const last = await trx
    .selectFrom('order_lines')
    .select((eb) => eb.fn.max('line_no').as('n'))
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  const from = Number(last?.n ?? 0);
  const amounts = o.lines.map(lineAmounts);
  const added = amounts.reduce((s, a) => s + a.line_amount, 0);
  const addedPaid = amounts.reduce((s, a) => s + a.paid_amount, 0);
  await insertRows(
    trx,
    'order_lines',
    o.lines.map((l, i) => ({
      order_id: orderId,
      line_no: from + i + 1,
      sku: l.sku,
      name: l.name,
      category: l.category,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      ...amounts[i]!,
      points_amount: 0,
      cancelled_quantity: 0,
    })),
  );
  await trx
    .updateTable('orders')
    .set((eb) => ({
      total_amount: eb('total_amount', '+', added),
      discount_amount: eb('discount_amount', '+', added - addedPaid),
      payable_amount: eb('payable_amount', '+', addedPaid),
      paid_amount: eb('paid_amount', '+', addedPaid),
    }))
    .where('id', '=', orderId)
    .execute();
}
