import { defineError } from '../platform/errors.js';

/** A store's tasks: the group it acts on. */
export const FulfillmentTaskErrors = {
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
