import { type DomainError, newId, nowIso, type Trx } from '../platform/index.js';
import { settlePayment, settleRefund } from './outcomes.service.js';
import { type ProviderNotification, paymentProvider } from './payments.providers.js';
import { refusalOf } from './payments.rules.js';
import type { NotificationOutcome } from './payments.schema.js';
import { recordRefundFailure } from './refunds.service.js';

export interface NotificationReceipt {
  notificationId: string;
  outcome: NotificationOutcome;
  paymentId: string | null;
  refundId: string | null;
}

/** How the caller answers a notification with this outcome (the notify route: its status); logged beside it. */
export type AnswerOf = (outcome: NotificationOutcome) => number;

interface LogEntry {
  provider: string;
  rawBody: string;
  signatureValid: boolean;
  outcome: NotificationOutcome;
  answer: number;
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
      http_status: entry.answer,
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

/**
 * Receives a provider's notification in one transaction: verifies it, applies it at most once (a conditional
 * update on the pending state, so the provider's transaction id makes it idempotent, also between concurrent
 * deliveries) and logs it whatever happens. A refusal (bad signature, too old, unknown transaction, another
 * amount) changes nothing but the log: it is returned, for the caller to throw once the log has committed.
 * The log keeps the caller's answer to the outcome beside it (`answerOf`).
 */
export async function receiveNotification(
  trx: Trx,
  input: { provider: string; rawBody: string; headers: Record<string, string | string[] | undefined> },
  secret: string,
  answerOf: AnswerOf,
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
      answer: answerOf(verified.outcome),
      detail: verified.detail,
    });
    const receipt = { notificationId, outcome: verified.outcome, paymentId: null, refundId: null };
    return { receipt, refusal: refusalOf(receipt.outcome, verified.detail) };
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
    answer: answerOf(applied.outcome),
    ...applied,
  });
  const receipt = {
    notificationId,
    outcome: applied.outcome,
    paymentId: applied.paymentId,
    refundId: applied.refundId,
  };
  return { receipt, refusal: refusalOf(receipt.outcome, applied.detail ?? applied.outcome) };
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
  if (await settlePayment(trx, payment, status, failureReason)) {
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
  if (!(await settleRefund(trx, refund, notification.providerRefundId, attempts))) {
    return refund.status === 'succeeded'
      ? { ...base, outcome: 'duplicate', detail: null }
      : { ...base, outcome: 'conflicting', detail: `Refund ${refund.id} is ${refund.status}` };
  }
  return { ...base, outcome: 'applied', detail: null };
}
