import Type from 'typebox';
import { Nullable, StringEnum } from '../platform/index.js';

// What the after-sales routes answer, as JSON Schema (serialization, /openapi.json, generated clients). Each
// mirrors its view type (ReturnView, ExchangeView, SlotView, AppointmentView) field for field.

const Condition = StringEnum(['resellable', 'damaged']);
const Timestamp = Type.String({ format: 'date-time' });

export const ReturnLine = Type.Object({
  lineNo: Type.Integer(),
  sku: Type.String(),
  quantity: Type.Integer(),
  condition: Nullable(Condition),
  refundAmount: Type.Integer({ description: 'What the units cost in money (fen)' }),
  pointsAmount: Type.Integer({ description: 'What they cost in points, as fen; given back as points' }),
});

/** A return (退货) as every route answers it. */
export const Return = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  memberId: Nullable(Type.String()),
  exchangeId: Nullable(Type.String()),
  status: StringEnum(['requested', 'received', 'refunded', 'cancelled']),
  channel: Type.String(),
  location: Type.String({ description: 'Where it was asked for or is to be sent' }),
  receivedLocation: Nullable(Type.String()),
  reason: Type.String(),
  condition: Condition,
  clientRequestId: Nullable(Type.String()),
  lines: Type.Array(ReturnLine),
  moneyValue: Type.Integer({ description: 'What the returned units cost in money (fen)' }),
  creditAmount: Type.Integer({ description: 'Of which spent on an exchange’s replacement' }),
  refundAmount: Type.Integer({ description: 'Going back to the original payment' }),
  pointsAmount: Type.Integer({ description: 'Value of the points given back, in fen' }),
  refundStatus: StringEnum(['not_started', 'not_needed', 'pending', 'failed', 'succeeded']),
  refundAttempts: Type.Integer(),
  refundLastError: Nullable(Type.String()),
  loyalty: Nullable(
    Type.Object({
      pointsReversed: Type.Integer(),
      pointsRestored: Type.Integer(),
      couponsRestored: Type.Array(Type.String()),
    }),
  ),
  requestedBy: Type.String(),
  receivedBy: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  receivedAt: Nullable(Timestamp),
  refundedAt: Nullable(Timestamp),
});

const exchangeFields = {
  id: Type.String(),
  orderId: Type.String(),
  returnId: Type.String(),
  replacementOrderId: Type.String(),
  channel: Type.String(),
  location: Type.String(),
  creditAmount: Type.Integer({ description: 'The returned units’ value, spent on the replacement' }),
  refundAmount: Type.Integer({
    description: 'What the replacement did not use: back to the original payment',
  }),
  payableAmount: Type.Integer({ description: 'What the customer still pays for the replacement' }),
  creditRefunded: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Timestamp,
};

/** An exchange (换货) in a list. */
export const Exchange = Type.Object(exchangeFields);

/** An exchange with its return, as creating or reading one answers. */
export const ExchangeWithReturn = Type.Object({ ...exchangeFields, return: Return });

/** A bookable service slot of a store. */
export const Slot = Type.Object({
  id: Type.String(),
  store: Type.String(),
  service: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  localDay: Type.String({ format: 'date' }),
  capacity: Type.Integer(),
  booked: Type.Integer(),
  available: Type.Integer(),
});

/** A booking (预约) of a slot. */
export const Appointment = Type.Object({
  id: Type.String(),
  slotId: Type.String(),
  store: Type.String(),
  service: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  localDay: Type.String({ format: 'date' }),
  memberId: Type.String(),
  channel: Type.String(),
  note: Nullable(Type.String()),
  status: StringEnum(['booked', 'cancelled']),
  bookedBy: Type.String(),
  createdAt: Timestamp,
  cancelledAt: Nullable(Timestamp),
  cancelReason: Nullable(Type.String()),
});

/** A whole list in one answer, shaped like a page whose `nextCursor` is always null. */
export function unpagedListOf<T extends Parameters<typeof Type.Array>[0]>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Null() });
}

/** A store's day: its slots and the bookings in time order. */
export const StoreCalendar = Type.Object({
  date: Type.String({ format: 'date' }),
  store: Type.String(),
  slots: Type.Array(Slot),
  items: Type.Array(Appointment),
  nextCursor: Type.Null(),
});
