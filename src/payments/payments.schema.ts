/** Row types of the payments context (snake_case, as stored). Amounts are fen. */
export interface PaymentsTables {
  payments: PaymentsTable;
  refund_requests: RefundRequestsTable;
  refunds: RefundsTable;
  payment_notifications: PaymentNotificationsTable;
  simulated_provider_transactions: SimulatedProviderTransactionsTable;
}

export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * What became of a provider's notification: applied, or already applied (`duplicate`), or contradicting what was
 * applied (`conflicting`), or refused for one of the other reasons (nothing changes but the log).
 */
export const NOTIFICATION_OUTCOMES = [
  'applied',
  'duplicate',
  'conflicting',
  'signature_invalid',
  'stale',
  'malformed',
  'unknown_transaction',
  'amount_mismatch',
] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];

export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: string;
  amount: number;
  status: PaymentStatus;
  /** The provider's own number for the transaction (WeChat Pay `transaction_id`, Alipay `trade_no`). */
  provider_txn_id: string;
  /** Pending plus succeeded refunds: what can no longer be refunded. */
  refund_claimed_amount: number;
  /** Refunds the provider has confirmed. */
  refunded_amount: number;
  failure_reason: string | null;
  /** The caller's unique reference, when it gave one (a retried start finds the same payment). */
  reference: string | null;
  created_at: string;
  updated_at: string;
  /** When the provider's notification moved it out of `pending`. */
  settled_at: string | null;
  /** Cash only: what the customer handed over, and the change given back (fen). */
  tendered: number | null;
  change_given: number | null;
  /** Cash only: the store whose counter took it and the staff member (`role:username`). */
  counter_store: string | null;
  counter_staff: string | null;
}

/** One refund as asked for (by its unique reference); it becomes one refund row per payment it draws on. */
export interface RefundRequestsTable {
  reference: string;
  order_id: string;
  payment_id: string | null;
  amount: number;
  reason: string;
  created_at: string;
}

export interface RefundsTable {
  id: string;
  payment_id: string;
  order_id: string;
  amount: number;
  status: RefundStatus;
  attempts: number;
  last_error: string | null;
  reference: string;
  reason: string;
  /** The provider's number for the refund, once it accepted an attempt. */
  provider_refund_id: string | null;
  created_at: string;
  updated_at: string;
  succeeded_at: string | null;
  /**
   * Where the money goes back across a counter (a cash payment's refund): the store and the staff member who hands
   * it over. Set when the refund is asked for at a store, or when the cash is handed over later.
   */
  counter_store: string | null;
  counter_staff: string | null;
  /** What a pending refund waits for, when it is not the provider: `cash_at_store` (a store's counter). */
  awaiting: RefundAwaiting | null;
}

export const REFUND_AWAITING = ['cash_at_store'] as const;
export type RefundAwaiting = (typeof REFUND_AWAITING)[number];

/** Every notification a provider sent us, verified or not, and what became of it (for support staff). */
export interface PaymentNotificationsTable {
  id: string;
  provider: string;
  received_at: string;
  signature_valid: number;
  outcome: NotificationOutcome;
  /** The HTTP status the notify route answered with: the route decides it from the outcome. */
  http_status: number;
  notification_type: 'payment' | 'refund' | null;
  provider_txn_id: string | null;
  payment_id: string | null;
  refund_id: string | null;
  detail: string | null;
  /** The raw body as received (cut at 8 KiB). */
  body: string;
}

/**
 * The built-in simulated provider's own books: what a real provider keeps on its side (the transaction, its
 * outcome, the callback it owes the merchant and how often it tried to deliver it).
 */
export interface SimulatedProviderTransactionsTable {
  id: string;
  kind: 'payment' | 'refund';
  payment_id: string;
  refund_id: string | null;
  /** The payment transaction (itself for a payment, the refunded one for a refund). */
  payment_txn_id: string;
  amount: number;
  requested_outcome: string | null;
  outcome: 'succeeded' | 'failed' | null;
  failure_reason: string | null;
  /** The notification body, fixed once decided, so that every delivery attempt sends the same facts. */
  notification_body: string | null;
  callback_status: 'scheduled' | 'delivered' | 'gave_up';
  callback_attempts: number;
  last_callback_error: string | null;
  created_at: string;
  updated_at: string;
  decided_at: string | null;
  delivered_at: string | null;
}
