import Type from 'typebox';
import { defineEvent, Nullable, StringEnum } from '../platform/index.js';
import { SERVICE_KINDS } from './aftersales.rules.js';

// The after-sales events (topics `return`, `appointment`): what came back and who booked what, for the live
// stream, NATS and the contexts that follow a member. Producers build them with newEvent, consumers read them
// with payloadOf.

const Fen = Type.Integer({ description: 'fen' });
const Condition = StringEnum(['resellable', 'damaged']);

/** A return was asked for (online, or at a counter where it is received at once). */
export const ReturnRequested = defineEvent(
  'return.requested',
  Type.Object({
    returnId: Type.String(),
    orderId: Type.String(),
    memberId: Nullable(Type.String()),
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
  }),
);

/** The goods arrived and were graded: restocked or quarantined, the refund started. */
export const ReturnReceived = defineEvent(
  'return.received',
  Type.Object({
    returnId: Type.String(),
    orderId: Type.String(),
    memberId: Nullable(Type.String()),
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
    returnId: Type.String(),
    orderId: Type.String(),
    memberId: Nullable(Type.String()),
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
