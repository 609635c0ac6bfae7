import { type Selectable, sql } from 'kysely';
import {
  appendEvent,
  cancelJob,
  isoAfter,
  type Job,
  newEvent,
  newId,
  nowIso,
  scheduleJob,
  type Trx,
} from '../platform/index.js';
import { settleRefund } from './outcomes.service.js';
import { PaymentErrors } from './payments.errors.js';
import { RefundFailed } from './payments.events.js';
import { type Counter, paymentProvider } from './payments.providers.js';
import { paymentStream, type Refund, refundEventPayload, requireAmount, toRefund } from './payments.rows.js';
import { allocateRefund, retryDelayMs } from './payments.rules.js';
import type { RefundStatus, RefundsTable } from './payments.schema.js';

export const REFUND_ATTEMPT_JOB = 'payments.refund_attempt';

export interface StartRefund {
  paymentId?: string;
  orderId: string;
  amount: number;
  reason: string;
  /** Unique: e.g. a return id or `cancel:<orderId>`. */
  reference: string;
  /**
   * Asked for at a store's counter, by this staff member: money paid in cash goes back across it at once. Other
   * providers ignore it.
   */
  counter?: Counter | undefined;
}

function refundAttemptKey(refundId: string, attempt: number): string {
  return `${REFUND_ATTEMPT_JOB}:${refundId}:${attempt}`;
}

async function scheduleRefundAttempt(trx: Trx, refundId: string, attempt: number, delayMs: number) {
  await scheduleJob(trx, {
    kind: REFUND_ATTEMPT_JOB,
    runAt: isoAfter(delayMs),
    key: refundAttemptKey(refundId, attempt),
    payload: { refundId, attempt },
  });
}

async function refundsOfReference(trx: Trx, reference: string): Promise<Refund[]> {
  const rows = await trx
    .selectFrom('refunds')
    .selectAll()
    .where('reference', '=', reference)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toRefund);
}

export async function startRefund(trx: Trx, input: StartRefund): Promise<Refund[]> {
  requireAmount(input.amount, 'amount');
  const now = nowIso();
  // The reference is claimed first: a concurrent request with the same reference waits here for this one and
  // then finds its refunds, instead of refunding twice.
  const claimed = await trx
    .insertInto('refund_requests')
    .values({
      reference: input.reference,
      order_id: input.orderId,
      payment_id: input.paymentId ?? null,
      amount: input.amount,
      reason: input.reason,
      created_at: now,
    })
    .onConflict((oc) => oc.column('reference').doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    const first = await trx
      .selectFrom('refund_requests')
      .selectAll()
      .where('reference', '=', input.reference)
      .executeTakeFirstOrThrow();
    if (
      first.order_id !== input.orderId ||
      Number(first.amount) !== input.amount ||
      first.payment_id !== (input.paymentId ?? null)
    ) {
      throw PaymentErrors.refundReferenceReused(
        `The refund reference "${input.reference}" was used for ${first.amount} fen of order ${first.order_id}`,
      );
    }
    return refundsOfReference(trx, input.reference);
  }

  let candidates = trx
    .selectFrom('payments')
    .select(['id', 'amount', 'refund_claimed_amount', 'status'])
    .where('order_id', '=', input.orderId);
  if (input.paymentId !== undefined) {
    const payment = await trx
      .selectFrom('payments')
      .select(['order_id'])
      .where('id', '=', input.paymentId)
      .executeTakeFirst();
    if (payment?.order_id !== input.orderId) {
      throw PaymentErrors.notFound(`No payment ${input.paymentId} of order ${input.orderId}`);
    }
    candidates = candidates.where('id', '=', input.paymentId);
  }
  const payments = await candidates
    .where('status', 'in', ['succeeded', 'partially_refunded'])
    .orderBy('id', 'desc')
    .execute();
  const refundable = payments.map((p) => ({
    id: p.id,
    refundable: Number(p.amount) - Number(p.refund_claimed_amount),
  }));
  const parts = allocateRefund(input.amount, refundable);
  const available = refundable.reduce((sum, p) => sum + p.refundable, 0);
  const exceeds = () =>
    PaymentErrors.refundExceedsPaid(
      `A refund of ${input.amount} fen exceeds the ${available} fen paid${input.paymentId ? ` by payment ${input.paymentId}` : ''} for order ${input.orderId} and not yet refunded`,
      { extra: { refundable: available } },
    );
  if (!parts) throw exceeds();

  // One conditional update per payment, in id order (two refunds of one order never lock in opposite orders):
  // the database, not this read, decides that the refund still fits.
  const sorted = [...parts].sort((a, b) => (a.paymentId < b.paymentId ? -1 : 1));
  for (const part of sorted) {
    const claimedOnPayment = await trx
      .updateTable('payments')
      .set((eb) => ({
        refund_claimed_amount: eb('refund_claimed_amount', '+', part.amount),
        updated_at: now,
      }))
      .where('id', '=', part.paymentId)
      .where('status', 'in', ['succeeded', 'partially_refunded'])
      .where(sql<boolean>`amount - refund_claimed_amount >= ${part.amount}`)
      .executeTakeFirst();
    if (Number(claimedOnPayment.numUpdatedRows) !== 1) throw exceeds();
  }

  const rows = parts.map((part) => ({
    id: newId('rfd'),
    payment_id: part.paymentId,
    order_id: input.orderId,
    amount: part.amount,
    status: 'pending' as const,
    attempts: 0,
    last_error: null,
    reference: input.reference,
    reason: input.reason,
    provider_refund_id: null,
    created_at: now,
    updated_at: now,
    succeeded_at: null,
    counter_store: input.counter?.store ?? null,
    counter_staff: input.counter?.staff ?? null,
    awaiting: null,
  }));
  await trx.insertInto('refunds').values(rows).execute();
  for (const row of rows) await scheduleRefundAttempt(trx, row.id, 1, 0);
  return refundsOfReference(trx, input.reference);
}

/**
 * A failed attempt: recorded (only if the refund is still as read: `fromStatus` with `expectedAttempts`),
 * announced once, and the next attempt scheduled with back-off.
 */
export async function recordRefundFailure(
  trx: Trx,
  row: Selectable<RefundsTable>,
  change: { fromStatus: RefundStatus; expectedAttempts: number; attempts: number; error: string },
): Promise<boolean> {
  const failed = await trx
    .updateTable('refunds')
    .set({
      status: 'failed',
      attempts: change.attempts,
      last_error: change.error.slice(0, 2000),
      updated_at: nowIso(),
    })
    .where('id', '=', row.id)
    .where('status', '=', change.fromStatus)
    .where('attempts', '=', change.expectedAttempts)
    .executeTakeFirst();
  if (Number(failed.numUpdatedRows) !== 1) return false;
  await appendEvent(
    trx,
    newEvent(RefundFailed, {
      stream: paymentStream(row.payment_id),
      payload: refundEventPayload(row, change.attempts, change.error),
    }),
  );
  await scheduleRefundAttempt(trx, row.id, change.attempts + 1, retryDelayMs(change.attempts, Math.random()));
  return true;
}

/**
 * One attempt of a refund at its provider (a durable job). A refused attempt is recorded as failed and retried
 * with back-off until the provider accepts; an accepted one stays pending until the provider's notification
 * confirms it. Stale jobs (the attempt already ran, or the refund succeeded) do nothing.
 */
export async function attemptRefund(trx: Trx, job: Job): Promise<void> {
  const refundId = String(job.payload.refundId);
  const attempt = Number(job.payload.attempt);
  const row = await trx.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
  if (!row || row.status === 'succeeded' || Number(row.attempts) !== attempt - 1) return;
  if (row.status === 'pending' && row.provider_refund_id !== null) return;
  const payment = await trx
    .selectFrom('payments')
    .select(['provider', 'provider_txn_id'])
    .where('id', '=', row.payment_id)
    .executeTakeFirstOrThrow();
  const answer = await paymentProvider(payment.provider).refund(trx, {
    refundId: row.id,
    paymentId: row.payment_id,
    orderId: row.order_id,
    providerTxnId: payment.provider_txn_id,
    amount: Number(row.amount),
    reason: row.reason,
    attempt,
    counter:
      row.counter_store !== null && row.counter_staff !== null
        ? { store: row.counter_store, staff: row.counter_staff }
        : undefined,
  });
  if (!answer.accepted) {
    const recorded = await recordRefundFailure(trx, row, {
      fromStatus: row.status,
      expectedAttempts: attempt - 1,
      attempts: attempt,
      error: answer.error,
    });
    if (!recorded) throw new Error(`Refund ${row.id} changed while attempt ${attempt} ran`);
    return;
  }
  const accepted = await trx
    .updateTable('refunds')
    .set({
      status: 'pending',
      attempts: attempt,
      provider_refund_id: answer.providerRefundId,
      awaiting: answer.awaiting ?? null,
      updated_at: nowIso(),
    })
    .where('id', '=', row.id)
    .where('attempts', '=', attempt - 1)
    .executeTakeFirst();
  // Rolls back what the provider recorded in this transaction; the job runs again.
  if (Number(accepted.numUpdatedRows) !== 1)
    throw new Error(`Refund ${row.id} changed while attempt ${attempt} ran`);
  // Handed back at the counter: done now, the same way a provider's confirmation is (refund.succeeded follows).
  if (answer.settled) {
    const pending = { ...row, status: 'pending' as const, provider_refund_id: answer.providerRefundId };
    await settleRefund(trx, pending, answer.providerRefundId, attempt);
  }
}

/**
 * A refund waiting for cash (`cash_at_store`) is handed over at a store's counter by this staff member: it
 * succeeds now, the same way a provider's confirmation does. Anything else is PAYMENT.REFUND_NOT_AWAITING_CASH.
 */
export async function handOverCashRefund(trx: Trx, id: string, counter: Counter): Promise<Refund> {
  const row = await trx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw PaymentErrors.refundNotFound(`No refund ${id}`);
  const taken = await trx
    .updateTable('refunds')
    .set({ counter_store: counter.store, counter_staff: counter.staff, updated_at: nowIso() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('awaiting', '=', 'cash_at_store')
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1 || row.provider_refund_id === null) {
    throw PaymentErrors.refundNotAwaitingCash(
      `Refund ${id} is ${row.status}${row.awaiting ? `, waiting for ${row.awaiting}` : ''}`,
    );
  }
  await settleRefund(trx, row, row.provider_refund_id, Number(row.attempts));
  return toRefund(await trx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

/** Runs the next attempt of a failed refund now instead of after its back-off. */
export async function retryRefund(trx: Trx, id: string): Promise<Refund> {
  const row = await trx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw PaymentErrors.refundNotFound(`No refund ${id}`);
  if (row.status !== 'failed') {
    throw PaymentErrors.refundNotRetryable(`Refund ${id} is ${row.status}; only a failed refund is retried`);
  }
  const next = Number(row.attempts) + 1;
  await cancelJob(trx, refundAttemptKey(id, next));
  await scheduleRefundAttempt(trx, id, next, 0);
  return toRefund(row);
}
