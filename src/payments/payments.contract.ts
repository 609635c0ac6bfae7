import Type, { type Static } from 'typebox';
import { codeString, Nullable, pageQuery, StringEnum, shortListQuery } from '../platform/index.js';
import {
  NOTIFICATION_OUTCOMES,
  PAYMENT_STATUSES,
  REFUND_AWAITING,
  REFUND_STATUSES,
} from './payments.schema.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './payments.simulated.js';

// The payments API's shapes, each JSON Schema (validation, serialization, /openapi.json and the console's
// generated types) and its TypeScript type: written once.

const Fen = (description = 'fen') => Type.Integer({ description });
const Time = Type.String({ format: 'date-time' });

/** A payment as `GET /v1/payments/{id}` and an order show it. */
export const Payment = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  provider: Type.String(),
  amount: Fen(),
  status: StringEnum(PAYMENT_STATUSES),
  providerTxnId: Type.String(),
  refundedAmount: Fen('fen confirmed refunded by the provider'),
  failureReason: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  cash: Nullable(
    Type.Object(
      {
        store: Type.String(),
        takenBy: Type.String({ description: 'the staff member, `role:username`' }),
        tendered: Fen('fen handed over by the customer'),
        change: Fen('fen given back'),
      },
      { description: 'a cash payment taken at a store’s counter' },
    ),
  ),
  createdAt: Time,
  updatedAt: Time,
});
export type Payment = Static<typeof Payment>;

export const Refund = Type.Object({
  id: Type.String(),
  paymentId: Type.String(),
  orderId: Type.String(),
  amount: Fen(),
  status: StringEnum(REFUND_STATUSES),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  reference: Type.String(),
  reason: Type.String(),
  providerRefundId: Nullable(Type.String()),
  counter: Nullable(
    Type.Object(
      { store: Type.String(), handedBy: Type.String({ description: 'the staff member, `role:username`' }) },
      { description: 'where and by whom a cash refund is handed back across the counter' },
    ),
  ),
  awaiting: Nullable(
    StringEnum(REFUND_AWAITING, {
      description:
        'what a pending refund waits for besides its provider: `cash_at_store` — cash to be handed back at a store (`POST /v1/refunds/{id}/cash-handover`)',
    }),
  ),
  createdAt: Time,
  updatedAt: Time,
});
export type Refund = Static<typeof Refund>;

/** A notification a provider sent, verified or not, and what became of it. */
export const PaymentNotification = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  receivedAt: Time,
  signatureValid: Type.Boolean(),
  outcome: StringEnum(NOTIFICATION_OUTCOMES),
  httpStatus: Type.Integer(),
  type: Nullable(StringEnum(['payment', 'refund'])),
  providerTxnId: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  refundId: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  body: Type.String(),
});
export type PaymentNotification = Static<typeof PaymentNotification>;

export const PaymentQuery = pageQuery(
  { orderId: codeString, status: StringEnum(PAYMENT_STATUSES) },
  shortListQuery,
);
export type PaymentQuery = Static<typeof PaymentQuery>;

export const RefundQuery = pageQuery(
  { orderId: codeString, status: StringEnum(REFUND_STATUSES), awaiting: StringEnum(REFUND_AWAITING) },
  shortListQuery,
);
export type RefundQuery = Static<typeof RefundQuery>;

export const NotificationQuery = pageQuery(
  { paymentId: codeString, providerTxnId: codeString, outcome: StringEnum(NOTIFICATION_OUTCOMES) },
  shortListQuery,
);
export type NotificationQuery = Static<typeof NotificationQuery>;

export const ProviderParams = Type.Object({ provider: Type.String({ minLength: 1, maxLength: 32 }) });

export const NotificationHeaders = Type.Object({
  [SIGNATURE_HEADER]: Type.Optional(Type.String({ maxLength: 512 })),
  [TIMESTAMP_HEADER]: Type.Optional(Type.String({ maxLength: 32 })),
});

// Not validated here: every notification, however wrong, reaches the log; the provider's adapter reads it.
export const ProviderNotificationBody = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  description:
    'Each provider sends its own format. The simulated provider: `{type: "payment"|"refund", providerTxnId, paymentId, amount, result: "succeeded"|"failed", failureReason?, providerRefundId?, refundId?, occurredAt}`.',
});

/** What the provider is told was taken (a refused notification answers a problem instead). */
export const TAKEN_OUTCOMES = ['applied', 'duplicate', 'conflicting'] as const;

export const NotificationReceived = Type.Object({
  received: Type.Boolean(),
  notificationId: Type.String(),
  outcome: StringEnum(TAKEN_OUTCOMES),
  paymentId: Nullable(Type.String()),
  refundId: Nullable(Type.String()),
});

export const CashHandover = Type.Object(
  {
    store: Type.String({ minLength: 1, maxLength: 32, description: 'the store whose counter hands it over' }),
  },
  { additionalProperties: false },
);
export type CashHandover = Static<typeof CashHandover>;
