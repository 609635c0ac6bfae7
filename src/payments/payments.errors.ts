import { defineError } from '../platform/index.js';

/** The payments context's error catalogue. */
export const PaymentErrors = {
  notFound: defineError('PAYMENT.NOT_FOUND', 'not_found', 'No such payment'),
  refundNotFound: defineError('PAYMENT.REFUND_NOT_FOUND', 'not_found', 'No such refund'),
  invalidAmount: defineError(
    'PAYMENT.INVALID_AMOUNT',
    'invalid',
    'The amount is not a positive number of fen',
  ),
  providerUnknown: defineError(
    'PAYMENT.PROVIDER_UNKNOWN',
    'unprocessable',
    'No payment provider by that name is configured',
  ),
  referenceReused: defineError(
    'PAYMENT.REFERENCE_REUSED',
    'conflict',
    'This payment reference was used for another payment',
  ),
  signatureInvalid: defineError(
    'PAYMENT.SIGNATURE_INVALID',
    'unauthenticated',
    'The notification is not signed by the provider, or is too old',
  ),
  notificationInvalid: defineError(
    'PAYMENT.NOTIFICATION_INVALID',
    'invalid',
    'The notification is signed but cannot be read',
  ),
  amountMismatch: defineError(
    'PAYMENT.AMOUNT_MISMATCH',
    'conflict',
    'The notified amount differs from the amount we asked for',
  ),
  refundExceedsPaid: defineError(
    'PAYMENT.REFUND_EXCEEDS_PAID',
    'conflict',
    'The refund is more than was paid and not yet refunded',
  ),
  refundReferenceReused: defineError(
    'PAYMENT.REFUND_REFERENCE_REUSED',
    'conflict',
    'This refund reference was used for another refund',
  ),
  refundNotRetryable: defineError(
    'PAYMENT.REFUND_NOT_RETRYABLE',
    'conflict',
    'Only a failed refund can be retried',
  ),
  cashNotAtCounter: defineError(
    'PAYMENT.CASH_NOT_AT_COUNTER',
    'forbidden',
    'Cash is taken only by the staff of the store that made the sale, at its counter',
  ),
  cashTenderedShort: defineError(
    'PAYMENT.CASH_TENDERED_SHORT',
    'invalid',
    'The cash handed over is less than what is due',
  ),
  refundNotAwaitingCash: defineError(
    'PAYMENT.REFUND_NOT_AWAITING_CASH',
    'conflict',
    'This refund is not waiting for cash to be handed over at a store',
  ),
};
