import { defineError } from '../platform/index.js';

/** The after-sales error catalogue. */
export const ReturnErrors = {
  notFound: defineError('RETURN.NOT_FOUND', 'not_found', 'No such return'),
  quantityExceeded: defineError(
    'RETURN.QUANTITY_EXCEEDED',
    'conflict',
    'More units than were bought and not yet returned',
  ),
  windowClosed: defineError('RETURN.WINDOW_CLOSED', 'conflict', 'The return window of this item has closed'),
  notDelivered: defineError(
    'RETURN.NOT_DELIVERED',
    'conflict',
    'The item has not been delivered or collected yet: cancel the order instead',
  ),
  notPurchased: defineError('RETURN.NOT_PURCHASED', 'conflict', 'The order has no line with this SKU'),
  orderNotReturnable: defineError(
    'RETURN.ORDER_NOT_RETURNABLE',
    'conflict',
    'The order is not in a state that can be returned',
  ),
  invalidTransition: defineError(
    'RETURN.INVALID_TRANSITION',
    'conflict',
    'The return is not in a state that allows this',
  ),
  clientRequestReused: defineError(
    'RETURN.CLIENT_REQUEST_REUSED',
    'conflict',
    'This clientRequestId was already used for a different return of the order',
  ),
  locationInvalid: defineError(
    'RETURN.LOCATION_INVALID',
    'conflict',
    'Returns cannot be received at this location',
  ),
  photoInvalid: defineError(
    'RETURN.PHOTO_INVALID',
    'invalid',
    'A photo must be an https address (at most nine photos)',
  ),
  methodInvalid: defineError(
    'RETURN.METHOD_INVALID',
    'invalid',
    'The way the goods come back is not valid for this return',
  ),
  notCourier: defineError(
    'RETURN.NOT_COURIER',
    'conflict',
    'Only a return sent by courier has a parcel to track',
  ),
  noReturnsCentre: defineError(
    'RETURN.NO_RETURNS_CENTRE',
    'conflict',
    'No open warehouse receives courier returns',
  ),
};

export const ExchangeErrors = {
  notFound: defineError('EXCHANGE.NOT_FOUND', 'not_found', 'No such exchange'),
};

export const AppointmentErrors = {
  notFound: defineError('APPOINTMENT.NOT_FOUND', 'not_found', 'No such appointment'),
  slotNotFound: defineError(
    'APPOINTMENT.SLOT_NOT_FOUND',
    'not_found',
    'The store offers no such service at that time',
  ),
  slotFull: defineError('APPOINTMENT.SLOT_FULL', 'conflict', 'The slot is fully booked'),
  slotPassed: defineError('APPOINTMENT.SLOT_PASSED', 'conflict', 'The slot has already started'),
  alreadyBooked: defineError(
    'APPOINTMENT.ALREADY_BOOKED',
    'conflict',
    'The member already holds a booking in this slot',
  ),
  notCancellable: defineError(
    'APPOINTMENT.NOT_CANCELLABLE',
    'conflict',
    'The appointment is not booked any more',
  ),
  capacityBelowBooked: defineError(
    'APPOINTMENT.CAPACITY_BELOW_BOOKED',
    'conflict',
    'A slot cannot offer fewer places than are already booked',
  ),
  invalidTemplate: defineError(
    'APPOINTMENT.INVALID_SLOTS',
    'invalid',
    'The slots or weekly template are not valid',
  ),
};
