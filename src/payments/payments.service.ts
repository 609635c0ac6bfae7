import { type Kysely, type Selectable, sql } from 'kysely';
import {
  appendEvent,
  cancelJob,
  type DB,
  type DomainError,
  isoAfter,
  type Job,
  newId,
  nowIso,
  scheduleJob,
  type Trx,
} from '../platform/index.js';
import { PaymentErrors } from './payments.errors.js';
import { type ProviderNotification, paymentProvider } from './payments.providers.js';
import { allocateRefund, isValidAmount, retryDelayMs, statusAfterRefund } from './payments.rules.js';
import type {
  PaymentNotificationsTable,
  PaymentStatus,
  PaymentsTable,
  RefundStatus,
  RefundsTable,
} from './payments.schema.js';

export const REFUND_ATTEMPT_JOB = 'payments.refund_attempt';

export interface StartPayment {
  orderId: string;
  /** fen */
  amount: number;
  provider: 'simulated' | string;
  simulate?: 'approve' | 'decline';
  /** Unique; starting again with the same reference returns the same payment. */
  reference?: string;
}

export interface Payment {
  id: string;
  orderId: string;
  provider: string;
  amount: number;
  status: PaymentStatus;
  providerTxnId: string;
  refundedAmount: number;
  failureReason: string | null;
  reference: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StartRefund {
  paymentId?: string;
  orderId: string;
  amount: number;
  reason: string;
  /** Unique: e.g. a return id or `cancel:<orderId>`. */
  reference: string;
}

export interface Refund {
  id: string;
  paymentId: string;
  orderId: string;
  amount: number;
  status: RefundStatus;
  attempts: number;
  lastError: string | null;
  reference: string;
  reason: string;
  providerRefundId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

function toPayment(row: Selectable<PaymentsTable>): Payment {
  return {
    id: row.id,
    orderId: row.order_id,
    provider: row.provider,
    amount: Number(row.amount),
    status: row.status,
    providerTxnId: row.provider_txn_id,
    refundedAmount: Number(row.refunded_amount),
    failureReason: row.failure_reason,
    reference: row.reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toRefund(row: Selectable<RefundsTable>): Refund {
  return {
    id: row.id,
    paymentId: row.payment_id,
    orderId: row.order_id,
    amount: Number(row.amount),
    status: row.status,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    reference: row.reference,
    reason: row.reason,
    providerRefundId: row.provider_refund_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function requireAmount(amount: number, path: string): void {
  if (!isValidAmount(amount)) {
    throw PaymentErrors.invalidAmount(`${amount} is not a positive whole number of fen`, {
      errors: [{ path, message: 'a positive whole number of fen' }],
    });
  }
}

function paymentStream(paymentId: string): string {
  return `payment:${paymentId}`;
}

// ---------------------------------------------------------------------------------------------------------
// Payments

export async function startPayment(trx: Trx, input: StartPayment): Promise<Payment> {
  requireAmount(input.amount, 'amount');
  const provider = paymentProvider(input.provider);
  if (input.reference !== undefined) {
    const existing = await trx
      .selectFrom('payments')
      .selectAll()
      .where('reference', '=', input.reference)
      .executeTakeFirst();
    if (existing) {
      if (
        existing.order_id !== input.orderId ||
        Number(existing.amount) !== input.amount ||
        existing.provider !== input.provider
      ) {
        throw PaymentErrors.referenceReused(
          `The reference "${input.reference}" belongs to payment ${existing.id} of order ${existing.order_id}`,
        );
      }
      return toPayment(existing);
    }
  }
  const id = newId('pay');
  const { providerTxnId } = await provider.createPayment(trx, {
    paymentId: id,
    orderId: input.orderId,
    amount: input.amount,
    simulate: input.simulate,
  });
  const now = nowIso();
  const row = await trx
    .insertInto('payments')
    .values({
      id,
      order_id: input.orderId,
      provider: provider.name,
      amount: input.amount,
      status: 'pending',
      provider_txn_id: providerTxnId,
      refund_claimed_amount: 0,
      refunded_amount: 0,
      failure_reason: null,
      reference: input.reference ?? null,
      created_at: now,
      updated_at: now,
      settled_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPayment(row);
}

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

export interface PaymentQuery {
  orderId?: string | undefined;
  status?: PaymentStatus | undefined;
  limit: number;
  cursor?: string | undefined;
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
  const after = decodeCursor(query.cursor);
  if (after !== undefined) q = q.where('id', '<', after);
  const rows = await q.execute();
  return pageOf(rows.map(toPayment), query.limit);
}

function pageOf<T extends { id: string }>(items: T[], limit: number): Page<T> {
  const page = items.slice(0, limit);
  return {
    items: page,
    nextCursor: items.length > limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}

function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Refunds

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
  }));
  await trx.insertInto('refunds').values(rows).execute();
  for (const row of rows) await scheduleRefundAttempt(trx, row.id, 1, 0);
  return refundsOfReference(trx, input.reference);
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

export interface RefundQuery {
  orderId?: string | undefined;
  status?: RefundStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function searchRefunds(db: Kysely<DB>, query: RefundQuery): Promise<Page<Refund>> {
  let q = db
    .selectFrom('refunds')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.orderId !== undefined) q = q.where('order_id', '=', query.orderId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  const after = decodeCursor(query.cursor);
  if (after !== undefined) q = q.where('id', '<', after);
  const rows = await q.execute();
  return pageOf(rows.map(toRefund), query.limit);
}

function refundEventPayload(row: Selectable<RefundsTable>, attempts: number, lastError?: string) {
  return {
    refundId: row.id,
    paymentId: row.payment_id,
    orderId: row.order_id,
    amount: Number(row.amount),
    reference: row.reference,
    attempts,
    ...(lastError === undefined ? {} : { lastError }),
  };
}

/**
 * A failed attempt: recorded (only if the refund is still as read: `fromStatus` with `expectedAttempts`),
 * announced once, and the next attempt scheduled with back-off.
 */
async function recordRefundFailure(
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
  await appendEvent(trx, {
    type: 'refund.failed',
    stream: paymentStream(row.payment_id),
    payload: refundEventPayload(row, change.attempts, change.error),
  });
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
      updated_at: nowIso(),
    })
    .where('id', '=', row.id)
    .where('attempts', '=', attempt - 1)
    .executeTakeFirst();
  // Rolls back what the provider recorded in this transaction; the job runs again.
  if (Number(accepted.numUpdatedRows) !== 1)
    throw new Error(`Refund ${row.id} changed while attempt ${attempt} ran`);
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

// ---------------------------------------------------------------------------------------------------------
// Provider notifications

export type NotificationOutcome =
  | 'applied'
  | 'duplicate'
  | 'conflicting'
  | 'signature_invalid'
  | 'stale'
  | 'malformed'
  | 'unknown_transaction'
  | 'amount_mismatch';

export interface NotificationReceipt {
  notificationId: string;
  outcome: NotificationOutcome;
  paymentId: string | null;
  refundId: string | null;
}

const HTTP_STATUS_OF: Record<NotificationOutcome, number> = {
  applied: 200,
  duplicate: 200,
  // Acknowledged so the provider stops sending; logged for support staff to look at.
  conflicting: 200,
  signature_invalid: 401,
  stale: 401,
  malformed: 400,
  unknown_transaction: 404,
  amount_mismatch: 409,
};

interface LogEntry {
  provider: string;
  rawBody: string;
  signatureValid: boolean;
  outcome: NotificationOutcome;
  notification?: ProviderNotification;
  paymentId?: string | null;
  refundId?: string | null;
  detail?: string | null;
}

async function logNotification(trx: Trx, entry: LogEntry): Promise<string> {
  const id = newId('pntf');
  await trx
    .insertInto('payment_notifications')
    .values({
      id,
      provider: entry.provider.slice(0, 64),
      received_at: nowIso(),
      signature_valid: entry.signatureValid ? 1 : 0,
      outcome: entry.outcome,
      http_status: HTTP_STATUS_OF[entry.outcome],
      notification_type: entry.notification?.type ?? null,
      provider_txn_id: entry.notification?.providerTxnId ?? null,
      payment_id: entry.paymentId ?? null,
      refund_id: entry.refundId ?? null,
      detail: entry.detail ?? null,
      body: entry.rawBody.slice(0, 8192),
    })
    .execute();
  return id;
}

function refusal(receipt: NotificationReceipt, detail: string): DomainError | undefined {
  switch (receipt.outcome) {
    case 'signature_invalid':
    case 'stale':
      return PaymentErrors.signatureInvalid(detail);
    case 'malformed':
      return PaymentErrors.notificationInvalid(detail);
    case 'unknown_transaction':
      return PaymentErrors.notFound(detail);
    case 'amount_mismatch':
      return PaymentErrors.amountMismatch(detail);
    default:
      return undefined;
  }
}

/**
 * Receives a provider's notification in one transaction: verifies it, applies it at most once (a conditional
 * update on the pending state, so the provider's transaction id makes it idempotent, also between concurrent
 * deliveries) and logs it whatever happens. A refusal (bad signature, too old, unknown transaction, another
 * amount) changes nothing but the log: it is returned, for the caller to throw once the log has committed.
 */
export async function receiveNotification(
  trx: Trx,
  input: { provider: string; rawBody: string; headers: Record<string, string | string[] | undefined> },
  secret: string,
): Promise<{ receipt: NotificationReceipt; refusal: DomainError | undefined }> {
  const provider = paymentProvider(input.provider);
  const verified = provider.verifyNotification(
    { rawBody: input.rawBody, headers: input.headers, receivedAtMs: Date.now() },
    { secret },
  );
  if (!verified.valid) {
    const notificationId = await logNotification(trx, {
      provider: provider.name,
      rawBody: input.rawBody,
      signatureValid: verified.outcome === 'malformed',
      outcome: verified.outcome,
      detail: verified.detail,
    });
    const receipt = { notificationId, outcome: verified.outcome, paymentId: null, refundId: null };
    return { receipt, refusal: refusal(receipt, verified.detail) };
  }
  const notification = verified.notification;
  const applied =
    notification.type === 'payment'
      ? await applyPaymentNotification(trx, provider.name, notification)
      : await applyRefundNotification(trx, provider.name, notification);
  const notificationId = await logNotification(trx, {
    provider: provider.name,
    rawBody: input.rawBody,
    signatureValid: true,
    notification,
    ...applied,
  });
  const receipt = {
    notificationId,
    outcome: applied.outcome,
    paymentId: applied.paymentId,
    refundId: applied.refundId,
  };
  return { receipt, refusal: refusal(receipt, applied.detail ?? applied.outcome) };
}

interface Applied {
  outcome: NotificationOutcome;
  paymentId: string | null;
  refundId: string | null;
  detail: string | null;
}

async function applyPaymentNotification(
  trx: Trx,
  provider: string,
  notification: Extract<ProviderNotification, { type: 'payment' }>,
): Promise<Applied> {
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('provider_txn_id', '=', notification.providerTxnId)
    .executeTakeFirst();
  if (!payment) {
    return {
      outcome: 'unknown_transaction',
      paymentId: null,
      refundId: null,
      detail: `No ${provider} payment with transaction ${notification.providerTxnId}`,
    };
  }
  const base = { paymentId: payment.id, refundId: null };
  if (Number(payment.amount) !== notification.amount) {
    return {
      ...base,
      outcome: 'amount_mismatch',
      detail: `Payment ${payment.id} is for ${payment.amount} fen; the notification says ${notification.amount}`,
    };
  }
  const status = notification.result;
  const failureReason =
    status === 'failed' ? (notification.failureReason ?? 'Declined by the provider') : null;
  const now = nowIso();
  const moved = await trx
    .updateTable('payments')
    .set({ status, failure_reason: failureReason, settled_at: now, updated_at: now })
    .where('id', '=', payment.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 1) {
    await appendEvent(trx, {
      type: status === 'succeeded' ? 'payment.succeeded' : 'payment.failed',
      stream: paymentStream(payment.id),
      payload: {
        paymentId: payment.id,
        orderId: payment.order_id,
        amount: Number(payment.amount),
        provider,
        providerTxnId: payment.provider_txn_id,
        ...(failureReason === null ? {} : { failureReason }),
      },
    });
    return { ...base, outcome: 'applied', detail: null };
  }
  const current = await trx
    .selectFrom('payments')
    .select('status')
    .where('id', '=', payment.id)
    .executeTakeFirstOrThrow();
  const same = status === 'failed' ? current.status === 'failed' : current.status !== 'failed';
  return same
    ? { ...base, outcome: 'duplicate', detail: null }
    : {
        ...base,
        outcome: 'conflicting',
        detail: `Payment ${payment.id} is ${current.status}; the notification says ${status}`,
      };
}

async function applyRefundNotification(
  trx: Trx,
  provider: string,
  notification: Extract<ProviderNotification, { type: 'refund' }>,
): Promise<Applied> {
  const refund = await trx
    .selectFrom('refunds')
    .selectAll()
    .where('id', '=', notification.refundId)
    .executeTakeFirst();
  const payment = refund
    ? await trx.selectFrom('payments').selectAll().where('id', '=', refund.payment_id).executeTakeFirst()
    : undefined;
  if (
    !refund ||
    !payment ||
    payment.provider !== provider ||
    payment.provider_txn_id !== notification.providerTxnId ||
    refund.provider_refund_id !== notification.providerRefundId
  ) {
    return {
      outcome: 'unknown_transaction',
      paymentId: payment?.id ?? null,
      refundId: refund?.id ?? null,
      detail: `No ${provider} refund ${notification.providerRefundId} for refund ${notification.refundId}`,
    };
  }
  const base = { paymentId: payment.id, refundId: refund.id };
  if (Number(refund.amount) !== notification.amount) {
    return {
      ...base,
      outcome: 'amount_mismatch',
      detail: `Refund ${refund.id} is for ${refund.amount} fen; the notification says ${notification.amount}`,
    };
  }
  const attempts = Number(refund.attempts);
  if (notification.result === 'failed') {
    // The provider accepted the attempt and then could not carry it out (a closed card, an account frozen):
    // the same as a refused attempt, retried with back-off.
    const failed =
      refund.provider_refund_id === notification.providerRefundId &&
      (await recordRefundFailure(trx, refund, {
        fromStatus: 'pending',
        expectedAttempts: attempts,
        attempts,
        error: notification.failureReason ?? 'The provider could not complete the refund',
      }));
    return failed
      ? { ...base, outcome: 'applied', detail: null }
      : { ...base, outcome: refund.status === 'failed' ? 'duplicate' : 'conflicting', detail: null };
  }
  const now = nowIso();
  const done = await trx
    .updateTable('refunds')
    .set({ status: 'succeeded', succeeded_at: now, updated_at: now })
    .where('id', '=', refund.id)
    .where('status', '=', 'pending')
    .where('provider_refund_id', '=', notification.providerRefundId)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) {
    return refund.status === 'succeeded'
      ? { ...base, outcome: 'duplicate', detail: null }
      : { ...base, outcome: 'conflicting', detail: `Refund ${refund.id} is ${refund.status}` };
  }
  const amount = Number(refund.amount);
  const settled = await trx
    .updateTable('payments')
    .set({
      refunded_amount: sql<number>`refunded_amount + ${amount}`,
      status: sql<PaymentStatus>`case when refunded_amount + ${amount} >= amount then 'refunded' else 'partially_refunded' end`,
      updated_at: now,
    })
    .where('id', '=', payment.id)
    .where(sql<boolean>`refunded_amount + ${amount} <= refund_claimed_amount`)
    .returning(['status', 'refunded_amount', 'amount'])
    .executeTakeFirst();
  // A refund is only ever created against an amount claimed on its payment; anything else is a bug.
  if (!settled) throw new Error(`Refund ${refund.id} exceeds what was claimed on payment ${payment.id}`);
  if (settled.status !== statusAfterRefund(Number(settled.amount), Number(settled.refunded_amount))) {
    throw new Error(`Payment ${payment.id} has an inconsistent refund status`);
  }
  await appendEvent(trx, {
    type: 'refund.succeeded',
    stream: paymentStream(payment.id),
    payload: refundEventPayload(refund, attempts),
  });
  return { ...base, outcome: 'applied', detail: null };
}

export interface PaymentNotification {
  id: string;
  provider: string;
  receivedAt: string;
  signatureValid: boolean;
  outcome: string;
  httpStatus: number;
  type: string | null;
  providerTxnId: string | null;
  paymentId: string | null;
  refundId: string | null;
  detail: string | null;
  body: string;
}

function toNotification(row: Selectable<PaymentNotificationsTable>): PaymentNotification {
  return {
    id: row.id,
    provider: row.provider,
    receivedAt: row.received_at,
    signatureValid: Number(row.signature_valid) === 1,
    outcome: row.outcome,
    httpStatus: Number(row.http_status),
    type: row.notification_type,
    providerTxnId: row.provider_txn_id,
    paymentId: row.payment_id,
    refundId: row.refund_id,
    detail: row.detail,
    body: row.body,
  };
}

export async function searchNotifications(
  db: Kysely<DB>,
  query: {
    paymentId?: string | undefined;
    providerTxnId?: string | undefined;
    outcome?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<Page<PaymentNotification>> {
  let q = db
    .selectFrom('payment_notifications')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(query.limit + 1);
  if (query.paymentId !== undefined) q = q.where('payment_id', '=', query.paymentId);
  if (query.providerTxnId !== undefined) q = q.where('provider_txn_id', '=', query.providerTxnId);
  if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
  const after = decodeCursor(query.cursor);
  if (after !== undefined) q = q.where('id', '<', after);
  const rows = await q.execute();
  return pageOf(rows.map(toNotification), query.limit);
}
