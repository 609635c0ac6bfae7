import { defineError } from '../platform/errors.js';

export const InventoryErrors = {
  insufficientStock: defineError('INVENTORY.INSUFFICIENT_STOCK', 'conflict', 'Not enough stock available'),
  negativeStock: defineError(
    'INVENTORY.NEGATIVE_STOCK',
    'conflict',
    'On hand would go below zero or below what is reserved',
  ),
  levelNotFound: defineError(
    'INVENTORY.NOT_FOUND',
    'not_found',
    'No stock level for this SKU at this location',
  ),
  batchReused: defineError(
    'INVENTORY.BATCH_REUSED',
    'unprocessable',
    'This batch id was used with other adjustments',
  ),
  invalidReason: defineError(
    'INVENTORY.INVALID_REASON',
    'invalid',
    'This movement reason cannot be used here',
  ),
  noLines: defineError('INVENTORY.NO_LINES', 'invalid', 'A reservation needs at least one line'),
  invalidQuantity: defineError(
    'INVENTORY.INVALID_QUANTITY',
    'invalid',
    'Quantities are whole numbers of at least 1',
  ),
};

export const ReservationErrors = {
  notFound: defineError('RESERVATION.NOT_FOUND', 'not_found', 'No such reservation'),
  notActive: defineError('RESERVATION.NOT_ACTIVE', 'conflict', 'The reservation has already ended'),
};

export const TransferErrors = {
  notFound: defineError('TRANSFER.NOT_FOUND', 'not_found', 'No such transfer'),
  invalidTransition: defineError(
    'TRANSFER.INVALID_TRANSITION',
    'conflict',
    'The transfer cannot make this move from its status',
  ),
  sameLocation: defineError(
    'TRANSFER.SAME_LOCATION',
    'invalid',
    'A transfer moves stock between two different locations',
  ),
};
