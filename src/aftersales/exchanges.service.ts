import type { Kysely, Selectable } from 'kysely';
import {
  addTimeline,
  getOrderView,
  type PlaceOrderInput,
  placeOrder,
  requireOrderRow,
} from '../orders/index.js';
import { startRefund } from '../payments/index.js';
import {
  type Actor,
  actorName,
  appendEvent,
  type Channel,
  type DB,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import { ExchangeErrors } from './aftersales.errors.js';
import { ExchangeCreated, ExchangeCreditRefunded } from './aftersales.events.js';
import { requireReturnRow } from './aftersales.rows.js';
import type { ExchangesTable, ItemCondition } from './aftersales.schema.js';
import { startReturnRefund } from './refunds.service.js';
import { type AftersalesDeps, requestReturn } from './returns.service.js';

export interface ExchangeRequest {
  orderId: string;
  returnLines: { sku: string; quantity: number }[];
  replacementLines: { sku: string; quantity: number }[];
  location: string;
  channel: Channel;
  fulfillment: PlaceOrderInput['fulfillment'];
  condition: ItemCondition;
  reason?: string | undefined;
  clientRequestId?: string | undefined;
}

export interface ExchangeView {
  id: string;
  orderId: string;
  returnId: string;
  replacementOrderId: string;
  channel: string;
  location: string;
  /** What the returned units were worth in money, spent on the replacement. */
  creditAmount: number;
  /** The returned units' value the replacement did not use: back to the original payment. */
  refundAmount: number;
  /** What the customer still pays for the replacement (`POST /v1/orders/{replacementOrderId}/payments`). */
  payableAmount: number;
  creditRefunded: boolean;
  createdBy: string;
  createdAt: string;
}

function toExchangeView(row: Selectable<ExchangesTable>): ExchangeView {
  return {
    id: row.id,
    orderId: row.order_id,
    returnId: row.return_id,
    replacementOrderId: row.replacement_order_id,
    channel: row.channel,
    location: row.location,
    creditAmount: Number(row.credit_amount),
    refundAmount: Number(row.refund_amount),
    payableAmount: Number(row.payable_amount),
    creditRefunded: Number(row.credit_refunded) === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export async function getExchange(db: Kysely<DB>, id: string): Promise<ExchangeView> {
  const row = await db.selectFrom('exchanges').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw ExchangeErrors.notFound(`No exchange ${id}`);
  return toExchangeView(row);
}

export async function listExchanges(db: Kysely<DB>, orderId: string): Promise<ExchangeView[]> {
  const rows = await db
    .selectFrom('exchanges')
    .selectAll()
    .where((eb) => eb.or([eb('order_id', '=', orderId), eb('replacement_order_id', '=', orderId)]))
    .orderBy('id')
    .execute();
  return rows.map(toExchangeView);
}

/**
 * An exchange at a store: the old units are returned and received there at once, and a replacement order is
 * placed (its stock reserved) with the returned units' money value as a credit. A dearer replacement leaves the
 * difference to pay on the replacement order; a cheaper one sends the difference back to the original payment.
 * Points the old units were paid with come back as points. Both orders' timelines link the two.
 */
export async function createExchange(
  trx: Trx,
  deps: AftersalesDeps,
  input: ExchangeRequest,
  actor: Actor,
): Promise<{ exchangeId: string }> {
  const exchangeId = newId('exc');
  const { returnId, replayed } = await requestReturn(
    trx,
    deps,
    {
      orderId: input.orderId,
      lines: input.returnLines,
      channel: input.channel,
      location: input.location,
      reason: input.reason ?? 'exchange',
      condition: input.condition,
      clientRequestId: input.clientRequestId,
    },
    actor,
    { exchangeId, receiveNow: true },
  );
  if (replayed) {
    const first = await requireReturnRow(trx, returnId);
    if (first.exchange_id !== null) return { exchangeId: first.exchange_id };
  }
  const order = await requireOrderRow(trx, input.orderId);
  const ret = await requireReturnRow(trx, returnId);
  const value = Number(ret.money_value);

  const placed = await placeOrder(
    trx,
    deps.orders,
    {
      channel: input.channel,
      storeCode: input.location,
      memberId: order.member_id ?? undefined,
      lines: input.replacementLines,
      fulfillment: input.fulfillment,
      credit: value > 0 ? { source: `exchange:${exchangeId}`, amount: value } : undefined,
    },
    actor,
  );
  const replacement = await getOrderView(trx, deps.orders, placed.orderId, {
    seesPickupCodes: false,
    seesPersonalData: false,
  });
  // The credit is capped at what the replacement costs; the rest of the returned value is refunded.
  const credit = replacement.discountAmount;
  const refund = value - credit;
  const at = nowIso();
  await trx
    .updateTable('returns')
    .set({ credit_amount: credit, refund_amount: refund, updated_at: at })
    .where('id', '=', returnId)
    .execute();
  await trx
    .insertInto('exchanges')
    .values({
      id: exchangeId,
      order_id: order.id,
      return_id: returnId,
      replacement_order_id: placed.orderId,
      channel: input.channel,
      location: input.location,
      credit_amount: credit,
      refund_amount: refund,
      payable_amount: replacement.payableAmount,
      credit_refunded: 0,
      created_by: actorName(actor),
      created_at: at,
      updated_at: at,
    })
    .execute();

  const data = {
    exchangeId,
    returnId,
    replacementOrderId: placed.orderId,
    originalOrderId: order.id,
    credit,
    refund,
    payable: replacement.payableAmount,
  };
  await addTimeline(trx, order.id, {
    kind: 'exchange',
    code: 'exchange.created',
    params: {
      exchangeId,
      location: input.location,
      value,
      replacementOrderId: placed.orderId,
      replacementTotal: replacement.totalAmount,
      payable: replacement.payableAmount,
      refund,
    },
    actor: actorName(actor),
    data,
  });
  await addTimeline(trx, placed.orderId, {
    kind: 'exchange',
    code: 'exchange.replacement',
    params: {
      exchangeId,
      originalOrderId: order.id,
      credit,
      payable: replacement.payableAmount,
      refund,
    },
    actor: actorName(actor),
    data,
  });
  await startReturnRefund(trx, returnId, actor);
  await appendEvent(
    trx,
    newEvent(ExchangeCreated, {
      stream: `exchange:${exchangeId}`,
      location: input.location,
      payload: data,
    }),
  );
  return { exchangeId };
}

/**
 * An exchange's replacement order was cancelled (not paid in time, or cancelled before it left): the credit it
 * held goes back to the original payment, so the returned units are refunded after all.
 */
export async function replacementCancelled(trx: Trx, orderId: string): Promise<void> {
  const exchange = await trx
    .selectFrom('exchanges')
    .selectAll()
    .where('replacement_order_id', '=', orderId)
    .executeTakeFirst();
  if (!exchange || Number(exchange.credit_amount) === 0) return;
  const claimed = await trx
    .updateTable('exchanges')
    .set({ credit_refunded: 1, updated_at: nowIso() })
    .where('id', '=', exchange.id)
    .where('credit_refunded', '=', 0)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return;
  const amount = Number(exchange.credit_amount);
  await startRefund(trx, {
    orderId: exchange.order_id,
    amount,
    reason: `Replacement ${orderId} of exchange ${exchange.id} cancelled`,
    reference: `${exchange.id}:credit`,
  });
  const data = { exchangeId: exchange.id, replacementOrderId: orderId, amount };
  await addTimeline(trx, exchange.order_id, {
    kind: 'exchange',
    code: 'exchange.replacement_cancelled',
    params: { exchangeId: exchange.id, replacementOrderId: orderId, amount },
    actor: 'system',
    data,
  });
  await appendEvent(
    trx,
    newEvent(ExchangeCreditRefunded, {
      stream: `exchange:${exchange.id}`,
      location: exchange.location,
      payload: data,
    }),
  );
}
