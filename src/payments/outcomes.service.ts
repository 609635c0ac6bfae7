import { type Selectable, sql } from 'kysely';
import { appendEvent, newEvent, nowIso, type Trx } from '../platform/index.js';
import { PaymentFailed, PaymentSucceeded, RefundSucceeded } from './payments.events.js';
import { paymentStream, refundEventPayload } from './payments.rows.js';
import { statusAfterRefund } from './payments.rules.js';
import type { PaymentStatus, PaymentsTable, RefundsTable } from './payments.schema.js';

/*
 * A provider's word applied to our books, whoever brought it: a signed notification (a remote provider) or the
 * counter itself (cash). One path, so that the order hub and after-sales see the same events either way.
 */

/**
 * A pending payment succeeded or failed: moved once (a conditional update on `pending`) and announced
 * (`payment.succeeded` / `payment.failed`). False when it was no longer pending.
 */
export async function settlePayment(
  trx: Trx,
  payment: Selectable<PaymentsTable>,
  result: 'succeeded' | 'failed',
  failureReason: string | null,
): Promise<boolean> {
  const now = nowIso();
  const moved = await trx
    .updateTable('payments')
    .set({ status: result, failure_reason: failureReason, settled_at: now, updated_at: now })
    .where('id', '=', payment.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
  await appendEvent(
    trx,
    newEvent(result === 'succeeded' ? PaymentSucceeded : PaymentFailed, {
      stream: paymentStream(payment.id),
      payload: {
        paymentId: payment.id,
        orderId: payment.order_id,
        amount: Number(payment.amount),
        provider: payment.provider,
        providerTxnId: payment.provider_txn_id,
        ...(failureReason === null ? {} : { failureReason }),
      },
    }),
  );
  return true;
}

/**
 * A pending refund the provider accepted as `providerRefundId` is done: moved once, added to its payment's
 * refunded amount and announced (`refund.succeeded`). False when it was no longer pending under that id.
 */
export async function settleRefund(
  trx: Trx,
  refund: Selectable<RefundsTable>,
  providerRefundId: string,
  attempts: number,
): Promise<boolean> {
  const now = nowIso();
  const done = await trx
    .updateTable('refunds')
    .set({ status: 'succeeded', awaiting: null, succeeded_at: now, updated_at: now })
    .where('id', '=', refund.id)
    .where('status', '=', 'pending')
    .where('provider_refund_id', '=', providerRefundId)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) return false;
  const amount = Number(refund.amount);
  const settled = await trx
    .updateTable('payments')
    .set({
      refunded_amount: sql<number>`refunded_amount + ${amount}`,
      status: sql<PaymentStatus>`case when refunded_amount + ${amount} >= amount then 'refunded' else 'partially_refunded' end`,
      updated_at: now,
    })
    .where('id', '=', refund.payment_id)
    .where(sql<boolean>`refunded_amount + ${amount} <= refund_claimed_amount`)
    .returning(['status', 'refunded_amount', 'amount'])
    .executeTakeFirst();
  // A refund is only ever created against an amount claimed on its payment; anything else is a bug.
  if (!settled)
    throw new Error(`Refund ${refund.id} exceeds what was claimed on payment ${refund.payment_id}`);
  if (settled.status !== statusAfterRefund(Number(settled.amount), Number(settled.refunded_amount))) {
    throw new Error(`Payment ${refund.payment_id} has an inconsistent refund status`);
  }
  await appendEvent(
    trx,
    newEvent(RefundSucceeded, {
      stream: paymentStream(refund.payment_id),
      payload: refundEventPayload(refund, attempts),
    }),
  );
  return true;
}
