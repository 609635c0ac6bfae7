import { defineError } from '../platform/errors.js';

/** The fulfillment context's error catalogue. */
export const FulfillmentErrors = {
  noSource: defineError('FULFILLMENT.NO_SOURCE', 'conflict', 'No location can fulfil this order'),
  invalidTransition: defineError(
    'FULFILLMENT.INVALID_TRANSITION',
    'conflict',
    'The fulfillment cannot make this move now',
  ),
  notFound: defineError('FULFILLMENT.NOT_FOUND', 'not_found', 'No such fulfillment'),
};

/** 核销 at the counter. */
export const PickupErrors = {
  codeInvalid: defineError(
    'PICKUP.CODE_INVALID',
    'conflict',
    'No order is waiting at this store with this pickup code',
  ),
};
