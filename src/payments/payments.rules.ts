import type { DomainError } from '../platform/index.js';
import { PaymentErrors } from './payments.errors.js';
import type { NotificationOutcome } from './payments.schema.js';

// Pure decisions of the payments context: no I/O, no clock, no randomness of their own.

/** The largest amount one payment may carry: ¥100 million, far above any retail basket, far below 2^53. */
export const MAX_AMOUNT = 10_000_000_000;

export function isValidAmount(amount: number): boolean {
  return Number.isSafeInteger(amount) && amount > 0 && amount <= MAX_AMOUNT;
}

export interface RefundablePayment {
  id: string;
  /** Paid and not yet promised to a refund. */
  refundable: number;
}

export interface RefundPart {
  paymentId: string;
  amount: number;
}

/**
 * Spreads a refund over an order's payments in the order given (newest first: the money that came last goes
 * back first, as a till reverses the last tender first). Null when the payments together cannot cover it.
 */
export function allocateRefund(amount: number, payments: readonly RefundablePayment[]): RefundPart[] | null {
  const parts: RefundPart[] = [];
  let left = amount;
  for (const payment of payments) {
    if (left === 0) break;
    const take = Math.min(left, Math.max(0, payment.refundable));
    if (take > 0) {
      parts.push({ paymentId: payment.id, amount: take });
      left -= take;
    }
  }
  return left === 0 ? parts : null;
}

/** A payment's status once `refunded` of its `amount` has been confirmed refunded. */
export function statusAfterRefund(amount: number, refunded: number): 'refunded' | 'partially_refunded' {
  return refunded >= amount ? 'refunded' : 'partially_refunded';
}

/**
 * Exponential back-off with jitter for retried refunds and callbacks: about 1 s, 2 s, 4 s … capped at one hour.
 */
export function retryDelayMs(attempt: number, random: number): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random));
}

/** How long a signed notification stays acceptable: a captured one cannot be replayed later than this. */
export const NOTIFICATION_MAX_AGE_S = 300;

/**
 * Whether a notification's timestamp (unix seconds, as sent) is recent enough. A little clock skew into the
 * future is tolerated as well.
 */
export function isFreshTimestamp(timestamp: string | undefined, nowMs: number): boolean {
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return false;
  const ageS = nowMs / 1000 - Number(timestamp);
  return ageS <= NOTIFICATION_MAX_AGE_S && ageS >= -NOTIFICATION_MAX_AGE_S;
}

/**
 * The error a refused notification is answered with, or undefined for one that is acknowledged (applied, a
 * duplicate, or conflicting: acknowledged so the provider stops sending; logged for support staff to look at).
 */
export function refusalOf(outcome: NotificationOutcome, detail: string): DomainError | undefined {
  switch (outcome) {
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

/** A rate from the environment (0–1); anything unreadable counts as 0. */
export function parseRate(raw: string | undefined): number {
  const rate = Number(raw ?? 0);
  return Number.isFinite(rate) ? Math.min(1, Math.max(0, rate)) : 0;
}

export type SimulatedDecision =
  | { outcome: 'succeeded'; failureReason: null }
  | { outcome: 'failed'; failureReason: string };

/** The simulated provider's answer to a payment: what the caller asked for, else a decline at `declineRate`. */
export function decideSimulatedPayment(
  requested: string | null,
  declineRate: number,
  random: number,
): SimulatedDecision {
  if (requested === 'decline') {
    return { outcome: 'failed', failureReason: 'Declined by the payer’s bank (simulated decline)' };
  }
  if (requested !== 'approve' && random < declineRate) {
    return { outcome: 'failed', failureReason: 'Declined by the payer’s bank (simulated random decline)' };
  }
  return { outcome: 'succeeded', failureReason: null };
}

/**
 * The test and demo hook of the simulated provider: a refund reason containing `[fail:N]` makes its first N
 * attempts fail. Other providers ignore it.
 */
export function forcedRefundFailures(reason: string): number {
  const match = /\[fail:(\d{1,3})\]/.exec(reason);
  return match ? Number(match[1]) : 0;
}

/** Why the simulated provider refuses this attempt of a refund, or null when it accepts it. */
export function decideSimulatedRefundAttempt(
  reason: string,
  attempt: number,
  failureRate: number,
  random: number,
): string | null {
  const forced = forcedRefundFailures(reason);
  if (attempt <= forced) {
    return `The provider refused the refund: SYSTEM_ERROR (simulated failure ${attempt} of ${forced})`;
  }
  if (random < failureRate) {
    return 'The provider refused the refund: NOT_ENOUGH merchant balance (simulated random failure)';
  }
  return null;
}
