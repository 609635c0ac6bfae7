import Type from 'typebox';
import { defineEvent, Nullable } from '../platform/index.js';
import { StockLevel, Transfer } from './inventory.contract.js';

// The inventory context's events (topic `inventory`): every level's new state, and the steps of reservations and
// transfers. Producers build them with newEvent, consumers read them with payloadOf.

/** A level's whole new state: a reader never adds up deltas. */
// The level's fields as the API shows them, with when the change happened instead of updatedAt.
const { updatedAt: _updatedAt, ...levelFields } = StockLevel.properties;
export const LevelChanged = defineEvent(
  'inventory.level_changed',
  Type.Object({ ...levelFields, occurredAt: Type.String({ format: 'date-time' }) }),
);

/** A store asked another store for stock: the source's staff accept or decline it (nothing is reserved yet). */
export const TransferAsked = defineEvent('inventory.transfer_asked', Transfer);
/** The source store declined a transfer asked of it. */
export const TransferDeclined = defineEvent('inventory.transfer_declined', Transfer);
/** A transfer was asked for: the source's units are reserved. */
export const TransferRequested = defineEvent('inventory.transfer_requested', Transfer);
/** The units left the source. */
export const TransferShipped = defineEvent('inventory.transfer_shipped', Transfer);
/** The units arrived at the destination (a pickup waiting for them can be made ready). */
export const TransferReceived = defineEvent('inventory.transfer_received', Transfer);
export const TransferCancelled = defineEvent('inventory.transfer_cancelled', Transfer);

const ReservationEnd = Type.Object({
  id: Type.String(),
  reference: Nullable(Type.String()),
  lines: Type.Array(Type.Object({ sku: Type.String(), location: Type.String(), quantity: Type.Integer() })),
});
export const ReservationCommitted = defineEvent('inventory.reservation_committed', ReservationEnd);
export const ReservationReleased = defineEvent('inventory.reservation_released', ReservationEnd);
export const ReservationExpired = defineEvent('inventory.reservation_expired', ReservationEnd);
