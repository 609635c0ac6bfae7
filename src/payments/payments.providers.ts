import type { Trx } from '../platform/index.js';
import { PaymentErrors } from './payments.errors.js';
import type { RefundAwaiting } from './payments.schema.js';

/** A store's counter: where money changes hands in person, and who hands it (`role:username`). */
export interface Counter {
  store: string;
  staff: string;
}

export interface ProviderPaymentRequest {
  paymentId: string;
  orderId: string;
  amount: number;
  /** Honoured by the simulated provider only (tests and demos); real providers ignore it. */
  simulate?: 'approve' | 'decline' | undefined;
  /** Money handed over at a store's counter (cash): where, by whom, and how much she gave (fen). */
  counter?: (Counter & { tendered: number }) | undefined;
}

/**
 * A provider's answer to a new payment. A tender decided the moment it is taken (cash counted at the counter) says
 * so with `decided`: the payment's outcome is then applied at once, through the same path as a notification.
 */
export interface ProviderPaymentAnswer {
  providerTxnId: string;
  decided?: { result: 'succeeded'; change: number };
}

export interface ProviderRefundRequest {
  refundId: string;
  paymentId: string;
  orderId: string;
  /** The provider's number of the payment being refunded. */
  providerTxnId: string;
  amount: number;
  reason: string;
  /** 1 for the first attempt of this refund, 2 for the first retry … */
  attempt: number;
  /** The counter where the money goes back in person, when the refund was asked for at a store. */
  counter?: Counter | undefined;
}

/**
 * A provider either accepts a refund (and confirms it later by notification) or refuses this attempt. An accepted
 * refund may be `settled` at once (cash handed back at the counter), or `awaiting` something other than the
 * provider (cash that a store's counter must hand over).
 */
export type ProviderRefundAnswer =
  | { accepted: true; providerRefundId: string; settled?: boolean; awaiting?: RefundAwaiting }
  | { accepted: false; error: string };

export interface IncomingNotification {
  /** The body exactly as received: signatures are over bytes, not over re-serialised JSON. */
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  receivedAtMs: number;
}

/** What a provider's notification says, in our words. */
export type ProviderNotification =
  | {
      type: 'payment';
      providerTxnId: string;
      amount: number;
      result: 'succeeded' | 'failed';
      failureReason: string | null;
    }
  | {
      type: 'refund';
      /** The refunded payment's transaction. */
      providerTxnId: string;
      providerRefundId: string;
      refundId: string;
      amount: number;
      result: 'succeeded' | 'failed';
      failureReason: string | null;
    };

export type VerifiedNotification =
  | { valid: true; notification: ProviderNotification }
  | {
      valid: false;
      /** `signature_invalid` and `stale` are refused as unauthenticated; `malformed` is signed but unreadable. */
      outcome: 'signature_invalid' | 'stale' | 'malformed';
      detail: string;
    };

/** What a provider may need from the node: its keys derive from the root secret. */
export interface ProviderContext {
  secret: string;
}

/**
 * A payment provider (WeChat Pay, Alipay, UnionPay, the built-in simulated one, cash at the counter). Creating a
 * payment and a refund run inside our transaction and must not claim anything the provider has not confirmed: the
 * outcome of a remote provider arrives later, as a signed notification to `POST /v1/payments/{provider}/notify`;
 * only money counted by our own staff at a counter is decided at once.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Opens a transaction at the provider; its outcome comes by notification (or at once: `decided`). */
  createPayment(trx: Trx, request: ProviderPaymentRequest): Promise<ProviderPaymentAnswer>;
  /** Asks the provider to refund (one attempt); an accepted refund is confirmed later by notification. */
  refund(trx: Trx, request: ProviderRefundRequest): Promise<ProviderRefundAnswer>;
  /** Checks a notification's signature and freshness and reads it. Never throws for bad input. */
  verifyNotification(notification: IncomingNotification, context: ProviderContext): VerifiedNotification;
}

const providers = new Map<string, PaymentProvider>();

/** Makes a provider available by its name (`POST /v1/orders/{id}/payments {provider}`, the notify route). */
export function registerPaymentProvider(provider: PaymentProvider): void {
  providers.set(provider.name, provider);
}

/** The provider by name, or PAYMENT.PROVIDER_UNKNOWN. */
export function paymentProvider(name: string): PaymentProvider {
  const provider = providers.get(name);
  if (!provider) {
    throw PaymentErrors.providerUnknown(
      `No payment provider "${name}"; configured: ${[...providers.keys()].join(', ') || 'none'}`,
    );
  }
  return provider;
}

export function paymentProviderNames(): string[] {
  return [...providers.keys()];
}
