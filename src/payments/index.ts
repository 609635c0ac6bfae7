import type { AppModule } from '../platform/index.js';
import { cashProvider } from './payments.cash.js';
import { registerPaymentProvider } from './payments.providers.js';
import { registerPaymentRoutes } from './payments.routes.js';
import {
  attachSimulatedProvider,
  SIMULATED_CALLBACK_JOB,
  simulatedCallbackJob,
  simulatedProvider,
} from './payments.simulated.js';
import { attemptRefund, REFUND_ATTEMPT_JOB } from './refunds.service.js';

registerPaymentProvider(simulatedProvider);
registerPaymentProvider(cashProvider);

/**
 * Payments and refunds at the providers (WeChat Pay, Alipay, the built-in simulated one, cash at a store's
 * counter): signed notifications,
 * refunds retried until the provider confirms, and the events the order hub reacts to (`payment.succeeded`,
 * `payment.failed`, `refund.succeeded`, `refund.failed`).
 */
export const paymentsModule: AppModule = {
  name: 'payments',
  routes: (app, ctx) => {
    attachSimulatedProvider(app, ctx);
    registerPaymentRoutes(app, ctx);
  },
  jobs: (ctx) => ({
    [REFUND_ATTEMPT_JOB]: attemptRefund,
    [SIMULATED_CALLBACK_JOB]: simulatedCallbackJob(ctx),
  }),
};

/** A payment and a refund as the API shows them (an order's answer includes its payments). */
export { Payment, Refund } from './payments.contract.js';
/** The payments context's error codes (PAYMENT.REFUND_EXCEEDS_PAID, PAYMENT.AMOUNT_MISMATCH …). */
export { PaymentErrors } from './payments.errors.js';
/** The events other contexts read: a payment's or a refund's outcome at its provider. */
export { PaymentFailed, PaymentSucceeded, RefundFailed, RefundSucceeded } from './payments.events.js';
/**
 * The provider adapter interface and its registry: a real provider (WeChat Pay, Alipay) implements
 * `PaymentProvider` and is registered by name at start-up.
 */
export {
  type Counter,
  type PaymentProvider,
  type ProviderNotification,
  type ProviderRefundAnswer,
  paymentProviderNames,
  registerPaymentProvider,
} from './payments.providers.js';
/** Amounts, schema and row types of the context (src/schema.ts extends `PaymentsTables`). */
export {
  PAYMENT_STATUSES,
  type PaymentStatus,
  type PaymentsTables,
  type RefundStatus,
} from './payments.schema.js';
export {
  type StartPayment,
  /**
   * Starts a payment inside the caller's transaction: the payment is `pending` and the provider is asked
   * asynchronously (a durable job); `payment.succeeded` or `payment.failed` follows when its signed notification
   * arrives. With a `reference`, starting again returns the same payment.
   */
  startPayment,
} from './payments.service.js';
/** The simulated provider's signature (tests and demos that play the provider's part). */
export {
  SIGNATURE_HEADER,
  signSimulatedNotification,
  TIMESTAMP_HEADER,
} from './payments.simulated.js';
export {
  /** An order's payments, oldest first. */
  listPayments,
  /** An order's refunds, oldest first. */
  listRefunds,
  /** Money refunded or being refunded per order (pending and succeeded refunds). */
  refundedByOrder,
} from './reads.service.js';
export {
  type StartRefund,
  /**
   * Starts a refund inside the caller's transaction, idempotent by `reference` (the same reference returns the same
   * refunds). Without `paymentId` the amount is spread over the order's succeeded payments, newest first. More than
   * was paid and not yet refunded is PAYMENT.REFUND_EXCEEDS_PAID. Each refund is attempted by a durable job and
   * retried with back-off until the provider confirms it (`refund.failed` per failed attempt, then
   * `refund.succeeded`).
   */
  startRefund,
} from './refunds.service.js';
