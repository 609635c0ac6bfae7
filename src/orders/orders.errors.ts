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
  notFound: defineError('ORDER.NOT_FOUND', 'not_found', 'No such order'),
  externalIdConflict: defineError(
    'ORDER.EXTERNAL_ID_CONFLICT',
    'conflict',
    "This channel's order number was already used for a different order",
  ),
  notPayable: defineError('ORDER.NOT_PAYABLE', 'conflict', 'The order is not waiting for payment'),
  quantityLimit: defineError(
    'ORDER.QUANTITY_LIMIT',
    'invalid',
    'The order asks more units than its channel allows in one order',
  ),
  paymentAmountMismatch: defineError(
    'ORDER.PAYMENT_AMOUNT_MISMATCH',
    'invalid',
    'The payment amount is not what the order asks',
  ),
  cartFull: defineError('CART.FULL', 'conflict', 'Her cart holds as many lines as it can'),
  skuNotSellable: defineError('ORDER.SKU_NOT_SELLABLE', 'conflict', 'A SKU of this order is not on sale'),
  invalidFulfillment: defineError(
    'ORDER.INVALID_FULFILLMENT',
    'invalid',
    'This way of fulfilling does not fit the order',
  ),
  pointsExceedPayable: defineError(
    'ORDER.POINTS_EXCEED_PAYABLE',
    'invalid',
    'The points are worth more than is left to pay',
  ),
  lineNotFound: defineError('ORDER.LINE_NOT_FOUND', 'invalid', 'The order has no such line'),
  cancelQuantityExceeded: defineError(
    'ORDER.CANCEL_QUANTITY_EXCEEDED',
    'conflict',
    'More units than the line still has',
  ),
};
