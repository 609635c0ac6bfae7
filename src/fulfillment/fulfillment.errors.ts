import { defineError } from '../platform/errors.js';

/** The fulfillment context's error catalogue. */
export const FulfillmentErrors = {
  noSource: defineError('FULFILLMENT.NO_SOURCE', 'conflict', 'No location can fulfil this order'),
  invalidTransition: defineError(
    'FULFILLMENT.INVALID_TRANSITION',
    'conflict',
    'The fulfillment cannot make this move now',
  ),
};
