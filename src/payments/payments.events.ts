import Type from 'typebox';
import { defineEvent } from '../platform/index.js';

// The payments context's events: what the order hub and after-sales read when a provider has spoken. Written
// once here; producers build them with newEvent, consumers read them with payloadOf.

const PaymentOutcome = Type.Object({
  paymentId: Type.String(),
  orderId: Type.String(),
  amount: Type.Integer({ description: 'fen' }),
  provider: Type.String(),
  providerTxnId: Type.String(),
  failureReason: Type.Optional(Type.String()),
});

/** The provider confirmed the payment (its signed notification). */
export const PaymentSucceeded = defineEvent('payment.succeeded', PaymentOutcome);
/** The provider declined it. */
export const PaymentFailed = defineEvent('payment.failed', PaymentOutcome);

const RefundOutcome = Type.Object({
  refundId: Type.String(),
  paymentId: Type.String(),
  orderId: Type.String(),
  amount: Type.Integer({ description: 'fen' }),
  reference: Type.String({
    description: 'what it refunds: `ret_…` a return, `exc_…` an exchange’s credit …',
  }),
  attempts: Type.Integer(),
  lastError: Type.Optional(Type.String()),
});

/** The provider confirmed a refund. */
export const RefundSucceeded = defineEvent('refund.succeeded', RefundOutcome);
/** The provider refused an attempt; another follows after a back-off. */
export const RefundFailed = defineEvent('refund.failed', RefundOutcome);
