import Type from 'typebox';
import { defineEvent, Nullable, StringEnum } from '../platform/index.js';
import { SERVICE_KINDS } from './aftersales.rules.js';

// The after-sales events (topics `return`, `appointment`): what came back and who booked what, for the live
// stream, NATS and the contexts that follow a member. Producers build them with newEvent, consumers read them
// with payloadOf.

const Fen = Type.Integer({ description: 'fen' });
const Condition = StringEnum(['resellable', 'damaged']);
/** Which return, of which order and member. */
const ReturnOf = {
  returnId: Type.String(),
  orderId: Type.String(),
  memberId: Nullable(Type.String()),
};

/** A return was asked for (online, or at a counter where it is received at once). */
export const ReturnRequested = defineEvent(
  'return.requested',
  Type.Object({
    ...ReturnOf,
    channel: Type.String(),
    location: Type.String(),
    lines: Type.Array(
      Type.Object({
        lineNo: Type.Integer(),
        sku: Type.String(),
        quantity: Type.Integer(),
        delivered: Type.Integer(),
        money: Fen,
        points: Fen,
      }),
    ),
    moneyValue: Fen,
    method: Type.Optional(StringEnum(['store', 'courier'])),
  }),
);

/** A courier return's parcel has a carrier and tracking number (recorded or corrected while on its way). */
export const ReturnShipped = defineEvent(
  'return.shipped',
  Type.Object({
    ...ReturnOf,
    location: Type.String({ description: 'Where the parcel is going' }),
    carrier: Type.String(),
    trackingNumber: Type.String(),
  }),
);

/** The goods arrived and were graded: restocked or quarantined, the refund started. */
export const ReturnReceived = defineEvent(
  'return.received',
  Type.Object({
    ...ReturnOf,
    location: Type.String(),
    lines: Type.Array(
      Type.Object({
        lineNo: Type.Integer(),
        sku: Type.String(),
        quantity: Type.Integer(),
        condition: Condition,
      }),
    ),
    loyalty: Type.Object({
      pointsReversed: Type.Integer(),
      pointsRestored: Type.Integer(),
      couponsRestored: Type.Array(Type.String()),
    }),
  }),
);

/** The money is back on the original payment (and the points as points). */
export const ReturnRefunded = defineEvent(
  'return.refunded',
  Type.Object({
    ...ReturnOf,
    refundAmount: Fen,
    pointsAmount: Fen,
  }),
);

/** A requested return was withdrawn before its goods arrived. */
export const ReturnCancelled = defineEvent(
  'return.cancelled',
  Type.Object({ returnId: Type.String(), orderId: Type.String(), reason: Type.String() }),
);

const Booking = {
  appointmentId: Type.String(),
  store: Type.String(),
  service: StringEnum(SERVICE_KINDS),
  startsAt: Type.String({ format: 'date-time' }),
  memberId: Type.String(),
};

export const AppointmentBooked = defineEvent(
  'appointment.booked',
  Type.Object({ ...Booking, channel: Type.String() }),
);

export const AppointmentCancelled = defineEvent(
  'appointment.cancelled',
  Type.Object({ ...Booking, reason: Type.String(), actor: Type.String() }),
);

/** An exchange at a store: the old units returned, a replacement order placed with their value as credit. */
export const ExchangeCreated = defineEvent(
  'exchange.created',
  Type.Object({
    exchangeId: Type.String(),
    returnId: Type.String(),
    replacementOrderId: Type.String(),
    originalOrderId: Type.String(),
    credit: Fen,
    refund: Fen,
    payable: Fen,
  }),
);

/** The replacement order was cancelled: the credit it held goes back to the original payment. */
export const ExchangeCreditRefunded = defineEvent(
  'exchange.credit_refunded',
  Type.Object({ exchangeId: Type.String(), replacementOrderId: Type.String(), amount: Fen }),
);

/** A store published service slots (one by one or from its weekly template). */
export const SlotsPublished = defineEvent(
  'appointment.slots_published',
  Type.Object({
    store: Type.String(),
    slots: Type.Integer({ description: 'how many were written' }),
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
  }),
);
