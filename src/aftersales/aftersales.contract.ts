import Type, { type Static } from 'typebox';
import { NewAddress, SkuLines } from '../orders/index.js';
import {
  CHANNELS,
  codeString,
  listQuery,
  Nullable,
  pageQuery,
  StringEnum,
  shortListQuery,
} from '../platform/index.js';
import { SERVICE_KINDS } from './aftersales.rules.js';

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

/** Where a courier collects a return, as the reader may see it (the phone masked for store guides). */
const PickupAddressView = Type.Object({
  city: Type.String(),
  line1: Type.String(),
  name: Type.String(),
  phone: Type.String(),
  masked: Type.Optional(Type.Boolean()),
});

/** How a courier return travels: collected or dropped off, and the parcel once it has a tracking number. */
export const ReturnCourier = Type.Object({
  mode: StringEnum(['pickup', 'drop_off']),
  pickup: Nullable(
    Type.Object({
      day: Type.String({ format: 'date', description: 'The local day she wants the courier to come' }),
      /** Null in the member 360 view's summary; the return itself has it. */
      address: Nullable(PickupAddressView),
    }),
  ),
  carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  shippedAt: Nullable(Timestamp),
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
  photos: Type.Array(Type.String(), { description: 'The customer’s photos of the goods (https URLs)' }),
  method: StringEnum(['store', 'courier'], {
    description: 'Brought to `location` (a store), or sent by courier to `location`',
  }),
  courier: Nullable(ReturnCourier),
  customer: Nullable(
    Type.Object(
      { name: Nullable(Type.String()), phone: Nullable(Type.String()) },
      { description: 'The member as staff see her: masked (138****5678)' },
    ),
  ),
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
  service: StringEnum(SERVICE_KINDS),
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
  service: StringEnum(SERVICE_KINDS),
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

// ---------------------------------------------------------------------------------------------------------------
// What the after-sales routes take

const Code = codeString;
const Reason = Type.String({ minLength: 1, maxLength: 200 });
const ClientRequestId = Type.String({ minLength: 1, maxLength: 100 });
/** Given or not, the handler sees a condition: `resellable` unless the staff graded it otherwise. */
const ConditionOrResellable = Type.Unsafe<'resellable' | 'damaged'>(
  Type.Optional(StringEnum(['resellable', 'damaged'], { default: 'resellable' })),
);

/** The customer's photos of the goods: at most nine, each an https address (checked again by the service). */
export const ReturnPhotos = Type.Array(
  Type.String({ pattern: '^https://[^\\s/?#@]+[^\\s]*$', maxLength: 2000 }),
  { maxItems: 9 },
);

const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Where the courier collects a return: personal data, kept encrypted. */
export const PickupAddress = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 50 }),
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    phone: Type.String({ pattern: '^\\+?[0-9][0-9 -]{5,29}$' }),
  },
  { additionalProperties: false },
);

/**
 * How the goods come back: to the store of her choice (`location`), or by courier to where the brand receives
 * returns — collected from her address on a day she picks, or dropped at a courier point.
 */
export const ReturnMethodChoice = Type.Union([
  Type.Object({ type: Type.Literal('store') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('courier'), mode: Type.Literal('drop_off') },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('courier'),
      mode: Type.Literal('pickup'),
      pickup: Type.Object({ day: LocalDate, address: PickupAddress }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  ),
]);

export const NewReturn = Type.Object(
  {
    orderId: Code,
    lines: SkuLines,
    channel: StringEnum(CHANNELS),
    location: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description:
          'The store counter, the store she brings it to, or where an online return is sent (any store or warehouse). ' +
          'A courier return without one goes to the returns centre (the first open warehouse).',
      }),
    ),
    reason: Reason,
    condition: ConditionOrResellable,
    clientRequestId: Type.Optional(ClientRequestId),
    photos: Type.Optional(ReturnPhotos),
    method: Type.Optional(ReturnMethodChoice),
  },
  { additionalProperties: false },
);

/** The parcel of a courier return: who carries it and its number. */
export const ReturnShipment = Type.Object(
  {
    carrier: Type.String({ minLength: 1, maxLength: 50 }),
    trackingNumber: Type.String({ pattern: '^[A-Za-z0-9-]{4,40}$' }),
  },
  { additionalProperties: false },
);

export const ReturnReceipt = Type.Object(
  {
    location: Code,
    condition: Type.Optional(Condition),
    lines: Type.Optional(
      Type.Array(Type.Object({ sku: Code, condition: Condition }, { additionalProperties: false }), {
        maxItems: 100,
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReturnQuery = pageQuery(
  {
    status: StringEnum(['requested', 'received', 'refunded', 'cancelled']),
    refundStatus: StringEnum(['not_started', 'not_needed', 'pending', 'failed', 'succeeded']),
    location: Code,
    orderId: Code,
  },
  shortListQuery,
);

// A delivered replacement needs an address (JSON Schema's if/then, which TypeBox has no builder for).
const ExchangeFulfillment = Type.Unsafe<
  { type: 'carry_out' } | { type: 'delivery'; address: Static<typeof NewAddress> }
>({
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: { type: { type: 'string', enum: ['carry_out', 'delivery'] }, address: NewAddress },
  if: { properties: { type: { const: 'delivery' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
  then: { required: ['address'] },
});

export const NewExchange = Type.Object(
  {
    orderId: Code,
    returnLines: SkuLines,
    replacementLines: SkuLines,
    location: Code,
    channel: StringEnum(CHANNELS),
    fulfillment: ExchangeFulfillment,
    condition: ConditionOrResellable,
    reason: Type.Optional(Reason),
    clientRequestId: Type.Optional(ClientRequestId),
  },
  { additionalProperties: false },
);

export const ExchangeQuery = Type.Object({ orderId: Code });

const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const Service = StringEnum(SERVICE_KINDS);
const Capacity = Type.Integer({ minimum: 0, maximum: 100 });

/** A store's opening of one weekday in a weekly template. */
const WeeklyDay = Type.Object(
  {
    weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }),
    opens: ClockTime,
    closes: ClockTime,
    slotMinutes: Type.Integer({ minimum: 10, maximum: 480 }),
    services: Type.Array(
      Type.Object({ service: Service, capacity: Capacity }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: 10,
      },
    ),
  },
  { additionalProperties: false },
);

export const SlotPublication = Type.Object(
  {
    slots: Type.Optional(
      Type.Array(
        Type.Object(
          {
            service: Service,
            startsAt: Type.String({ format: 'date-time' }),
            durationMinutes: Type.Integer({ minimum: 10, maximum: 480 }),
            capacity: Capacity,
          },
          { additionalProperties: false },
        ),
        { maxItems: 2000 },
      ),
    ),
    template: Type.Optional(
      Type.Object(
        {
          days: Type.Array(WeeklyDay, { minItems: 1, maxItems: 7 * 4 }),
          from: Type.Optional(LocalDate),
          forDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 62 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const SlotQuery = Type.Object({
  date: Type.Optional(LocalDate),
  service: Type.Optional(Service),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  available: Type.Optional(Type.Boolean()),
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 }))),
});

export const CalendarQuery = Type.Object({
  date: LocalDate,
  includeCancelled: Type.Optional(Type.Boolean()),
});

export const NewAppointment = Type.Object(
  {
    store: Code,
    service: Service,
    startsAt: Type.String({ format: 'date-time' }),
    memberId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'Required for staff and channel apps; a customer books for themself',
      }),
    ),
    channel: Type.Optional(StringEnum(CHANNELS)),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const AppointmentQuery = Type.Object({
  memberId: Type.Optional(Code),
  upcoming: Type.Optional(Type.Boolean()),
  limit: listQuery.limit,
});
