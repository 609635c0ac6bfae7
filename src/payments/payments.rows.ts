import type { Selectable } from 'kysely';
import type { Payment, PaymentNotification, Refund } from './payments.contract.js';
import { PaymentErrors } from './payments.errors.js';
import { isValidAmount } from './payments.rules.js';
import type { PaymentNotificationsTable, PaymentsTable, RefundsTable } from './payments.schema.js';

// The payments context's rows as the rest of the code sees them, and the small helpers its services share.

export function toPayment(row: Selectable<PaymentsTable>): Payment {
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
    cash:
      row.counter_store !== null && row.counter_staff !== null
        ? {
            store: row.counter_store,
            takenBy: row.counter_staff,
            tendered: Number(row.tendered),
            change: Number(row.change_given),
          }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRefund(row: Selectable<RefundsTable>): Refund {
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
    counter:
      row.counter_store !== null && row.counter_staff !== null
        ? { store: row.counter_store, handedBy: row.counter_staff }
        : null,
    awaiting: row.awaiting,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toNotification(row: Selectable<PaymentNotificationsTable>): PaymentNotification {
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

export function requireAmount(amount: number, path: string): void {
  if (!isValidAmount(amount)) {
    throw PaymentErrors.invalidAmount(`${amount} is not a positive whole number of fen`, {
      errors: [{ path, message: 'a positive whole number of fen' }],
    });
  }
}

/** The outbox stream of a payment's events (its refunds' too). */
export function paymentStream(paymentId: string): string {
  return `payment:${paymentId}`;
}

/** The payload of `refund.succeeded` and `refund.failed`. */
export function refundEventPayload(row: Selectable<RefundsTable>, attempts: number, lastError?: string) {
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

export type { Payment, PaymentNotification, Refund };
