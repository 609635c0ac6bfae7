import type { Kysely } from 'kysely';
import { type DB, decodeCursor, encodeCursor, type Page } from '../platform/index.js';
import type { NotificationQuery, PaymentQuery, RefundQuery } from './payments.contract.js';
import { PaymentErrors } from './payments.errors.js';
import {
  type Payment,
  type PaymentNotification,
  type Refund,
  toNotification,
  toPayment,
  toRefund,
} from './payments.rows.js';

export async function getPayment(db: Kysely<DB>, id: string): Promise<Payment> {
  const row = await db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw PaymentErrors.notFound(`No payment ${id}`);
  return toPayment(row);
}

/** An order's payments, oldest first. */
export async function listPayments(db: Kysely<DB>, orderId: string): Promise<Payment[]> {
  const rows = await db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toPayment);
}

/** Money refunded or being refunded per order (pending and succeeded refunds), for the orders given. */
export async function refundedByOrder(
  db: Kysely<DB>,
  orderIds: readonly string[],
): Promise<Map<string, number>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('payments')
    .select((eb) => ['order_id', eb.fn.sum<number>('refund_claimed_amount').as('amount')])
    .where('order_id', 'in', [...orderIds])
    .groupBy('order_id')
    .execute();
  return new Map(rows.map((r) => [r.order_id, Number(r.amount ?? 0)]));
}

/** Payments newest first (ids sort by creation time), one page at a time. */
export async function searchPayments(db: Kysely<DB>, query: PaymentQuery): Promise<Page<Payment>> {
  let q = db
    .selectFrom('payments')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.orderId !== undefined) q = q.where('order_id', '=', query.orderId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  const after = decodeCursor(query.cursor, ['string']);
  if (after !== undefined) q = q.where('id', '<', after[0]);
  const rows = await q.execute();
  return pageOf(rows.map(toPayment), query.limit);
}

export async function getRefund(db: Kysely<DB>, id: string): Promise<Refund> {
  const row = await db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw PaymentErrors.refundNotFound(`No refund ${id}`);
  return toRefund(row);
}

/** An order's refunds, oldest first. */
export async function listRefunds(db: Kysely<DB>, orderId: string): Promise<Refund[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toRefund);
}

export async function searchRefunds(db: Kysely<DB>, query: RefundQuery): Promise<Page<Refund>> {
  let q = db
    .selectFrom('refunds')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.orderId !== undefined) q = q.where('order_id', '=', query.orderId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.awaiting !== undefined) q = q.where('awaiting', '=', query.awaiting);
  const after = decodeCursor(query.cursor, ['string']);
  if (after !== undefined) q = q.where('id', '<', after[0]);
  const rows = await q.execute();
  return pageOf(rows.map(toRefund), query.limit);
}

export async function searchNotifications(
  db: Kysely<DB>,
  query: NotificationQuery,
): Promise<Page<PaymentNotification>> {
  let q = db
    .selectFrom('payment_notifications')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.paymentId !== undefined) q = q.where('payment_id', '=', query.paymentId);
  if (query.providerTxnId !== undefined) q = q.where('provider_txn_id', '=', query.providerTxnId);
  if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
  const after = decodeCursor(query.cursor, ['string']);
  if (after !== undefined) q = q.where('id', '<', after[0]);
  const rows = await q.execute();
  return pageOf(rows.map(toNotification), query.limit);
}

// Newest first by id: a page's cursor is the id of its last row.
function pageOf<T extends { id: string }>(items: T[], limit: number): Page<T> {
  const page = items.slice(0, limit);
  return {
    items: page,
    nextCursor: items.length > limit ? encodeCursor([page[page.length - 1]!.id]) : null,
  };
}
