import type { Trx } from '../platform/index.js';
import { PaymentErrors } from './payments.errors.js';

export interface ProviderPaymentRequest {
  paymentId: string;
  orderId: string;
  amount: number;
  /** Honoured by the simulated provider only (tests and demos); real providers ignore it. */
  simulate?: 'approve' | 'decline' | undefined;
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
}

/** A provider either accepts a refund (and confirms it later by notification) or refuses this attempt. */
export type ProviderRefundAnswer =
  | { accepted: true; providerRefundId: string }
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
 * A payment provider (WeChat Pay, Alipay, UnionPay, the built-in simulated one). Creating a payment and a refund
 * run inside our transaction and must not claim anything the provider has not confirmed: the outcome always
 * arrives later, as a signed notification to `POST /v1/payments/{provider}/notify`.
 */
export interface PaymentProvider {
  readonly name: string;
  /** Opens a transaction at the provider; its outcome comes by notification. */
  createPayment(trx: Trx, request: ProviderPaymentRequest): Promise<{ providerTxnId: string }>;
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
