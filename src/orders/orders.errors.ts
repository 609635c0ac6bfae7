import { defineError } from '../platform/errors.js';

/** The order hub's error catalogue. */
export const OrderErrors = {
  invalidTransition: defineError(
    'ORDER.INVALID_TRANSITION',
    'conflict',
    'The order cannot move to this status now',
  ),
  notCancellable: defineError(
    'ORDER.NOT_CANCELLABLE',
    'conflict',
    'Part of the order has already left a location or been handed over',
  ),
};
