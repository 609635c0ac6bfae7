import Type, { type Static } from 'typebox';
import { FulfillmentGroup, OrderSourcingPlan } from '../fulfillment/index.js';
import { COUPON_RULE_NAMES, Coupon } from '../loyalty/index.js';
import { IDENTIFIER_TYPES } from '../members/index.js';
import { PAYMENT_STATUSES, Payment } from '../payments/index.js';
import { CHANNELS, codeString, listQuery, Nullable, pageQuery, StringEnum } from '../platform/index.js';
import { ORDER_STATUSES } from './orders.rules.js';
import { TIMELINE_CODES } from './orders.timeline.js';
import type { OrderFulfillmentInput } from './place.rules.js';

// The order hub's API shapes, each JSON Schema (validation, serialization, /openapi.json and the console's
// generated types) and its TypeScript type: written once.

const Fen = Type.Integer({ description: 'fen (分)' });
const Time = Type.String({ format: 'date-time' });

/** A delivery address: where the carrier or the same-day rider goes (also a delivered exchange's). */
export const NewAddress = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 50 }),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    line1: Type.Optional(Type.String({ maxLength: 200 })),
    name: Type.Optional(Type.String({ maxLength: 50 })),
    phone: Type.Optional(Type.String({ maxLength: 30 })),
  },
  { additionalProperties: false },
);

/** Units of SKUs: an order's lines, or some of them (to cancel, to return, to exchange). */
export const SkuLines = Type.Array(
  Type.Object(
    { sku: codeString, quantity: Type.Integer({ minimum: 1, maximum: 999 }) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 100 },
);

// Delivery and same-day need an address, a pickup a store: JSON Schema says it with if/then, which TypeBox has no
// builder for; its type is the union the planner takes.
const FulfillmentChoice = Type.Unsafe<OrderFulfillmentInput>({
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['delivery', 'pickup', 'same_day', 'carry_out'] },
    address: NewAddress,
    store: codeString,
    scheduledDate: {
      type: 'string',
      format: 'date',
      description:
        'delivery and same-day: the day it should arrive (brand calendar; same-day from today, a parcel from tomorrow, up to 14 days ahead); absent: as soon as possible',
    },
  },
  if: { properties: { type: { enum: ['delivery', 'same_day'] } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
  then: { required: ['address'] },
  else: {
    if: { properties: { type: { const: 'pickup' } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
    then: { required: ['store'] },
  },
});

export const NewOrder = Type.Object(
  {
    channel: StringEnum(CHANNELS),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    storeCode: Type.Optional(codeString),
    guide: Type.Optional(Type.String({ maxLength: 64 })),
    memberId: Type.Optional(Type.String({ maxLength: 64 })),
    memberCode: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,32}$',
        description:
          'the member code (会员码) she shows at the till, in place of memberId: it names her, and lets store staff use her coupons',
      }),
    ),
    customer: Type.Optional(
      Type.Object(
        {
          identifiers: Type.Array(
            Type.Object(
              {
                type: StringEnum(IDENTIFIER_TYPES),
                value: Type.String({ minLength: 1, maxLength: 200 }),
                appId: Type.Optional(Type.String({ maxLength: 100 })),
                verified: Type.Optional(Type.Boolean()),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 10 },
          ),
        },
        { additionalProperties: false },
      ),
    ),
    lines: SkuLines,
    fulfillment: FulfillmentChoice,
    couponCodes: Type.Optional(Type.Array(codeString, { maxItems: 10 })),
    pointsToRedeem: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    holdSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 })),
  },
  { additionalProperties: false },
);
export type NewOrder = Static<typeof NewOrder>;

/** A basket to price before it is an order: the order's own fields that decide its price. */
export const QuoteRequest = Type.Object(
  {
    channel: StringEnum(CHANNELS),
    storeCode: Type.Optional(codeString),
    memberId: Type.Optional(Type.String({ maxLength: 64 })),
    memberCode: Type.Optional(
      Type.String({
        pattern: '^[0-9]{1,32}$',
        description:
          'the member code (会员码) she shows at the till, in place of memberId: it names her, and lets store staff use her coupons',
      }),
    ),
    lines: SkuLines,
    couponCodes: Type.Optional(Type.Array(codeString, { maxItems: 10 })),
    pointsToRedeem: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
  },
  { additionalProperties: false },
);
export type QuoteRequest = Static<typeof QuoteRequest>;

/** What a basket costs with the chosen coupons and points, and what else the buyer could use. */
export const OrderQuote = Type.Object({
  lines: Type.Array(
    Type.Object({
      lineNo: Type.Integer(),
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      unitPrice: Fen,
      lineAmount: Fen,
      discountAmount: Fen,
      pointsAmount: Fen,
      paidAmount: Fen,
    }),
  ),
  totalAmount: Fen,
  discountAmount: Fen,
  pointsAmount: Fen,
  payableAmount: Fen,
  couponCodes: Type.Array(Type.String(), { description: 'the chosen coupons, all applied' }),
  coupons: Type.Array(
    Type.Object({
      coupon: Coupon,
      applicable: Type.Boolean(),
      amount: Nullable(Type.Integer({ description: 'fen it takes off this basket on its own' })),
      rule: Nullable(
        StringEnum([...COUPON_RULE_NAMES, 'already_redeemed'], { description: 'the rule that stops it' }),
      ),
    }),
    {
      description:
        "the buyer's valid coupons, best first: usable ones by what they take off, then the others with the rule that stops each",
    },
  ),
  points: Nullable(
    Type.Object(
      {
        available: Type.Integer(),
        perYuan: Type.Integer({ description: 'points worth ¥1' }),
        maxPoints: Type.Integer({ description: 'the most this basket can take after its coupons' }),
        maxAmount: Fen,
        redeemed: Type.Integer({ description: 'the points asked for, as the order would take them' }),
      },
      { description: 'null for a guest' },
    ),
  ),
});
export type OrderQuote = Static<typeof OrderQuote>;

export const OrderQuery = pageQuery(
  {
    channel: StringEnum(CHANNELS),
    store: codeString,
    status: StringEnum(ORDER_STATUSES),
    memberId: Type.String(),
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time' }),
  },
  // Order cursors have no length cap (unlike listQuery's).
  { limit: listQuery.limit, cursor: Type.Optional(Type.String()) },
);
export type OrderQuery = Static<typeof OrderQuery>;

export const NewPayment = Type.Object(
  {
    provider: StringEnum(['simulated', 'cash'], {
      description:
        '`cash`: counted at the counter by the staff of the store that made the sale; succeeds at once',
    }),
    amount: Type.Integer({ minimum: 1, maximum: 2_000_000_000 }),
    simulate: Type.Optional(StringEnum(['approve', 'decline'])),
    tendered: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2_000_000_000,
        description: 'cash only (and required): fen the customer handed over, at least `amount`',
      }),
    ),
  },
  { additionalProperties: false },
);
export type NewPayment = Static<typeof NewPayment>;

export const PaymentStarted = Type.Object({
  id: Type.String(),
  status: StringEnum(PAYMENT_STATUSES),
  orderId: Type.String(),
  amount: Type.Integer(),
  provider: Type.String(),
  tendered: Type.Optional(Type.Integer({ description: 'cash: fen handed over' })),
  change: Type.Optional(Type.Integer({ description: 'cash: fen to give back' })),
});

export const LinesToCancel = Type.Object(
  { lines: SkuLines, reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

const OrderLine = Type.Object({
  lineNo: Type.Integer(),
  sku: Type.String(),
  name: Type.String(),
  category: Type.String(),
  quantity: Type.Integer(),
  unitPrice: Fen,
  lineAmount: Fen,
  discountAmount: Fen,
  pointsAmount: Fen,
  paidAmount: Fen,
  cancelledQuantity: Type.Integer({ description: 'units cancelled before fulfillment (refunded)' }),
});

const TimelineEntry = Type.Object({
  at: Time,
  kind: Type.String({ description: 'status, payment, fulfillment, refund, return, exchange …' }),
  from: Nullable(Type.String({ description: 'status moves: the status before' })),
  to: Nullable(Type.String({ description: 'status moves: the status after' })),
  code: Nullable(
    StringEnum(TIMELINE_CODES, { description: 'what happened; null on entries older than codes' }),
  ),
  params: Type.Unsafe<Record<string, unknown> | null>({
    type: ['object', 'null'],
    additionalProperties: true,
    description:
      "the code's parameters: location codes, SKUs, amounts in fen, a person's own words; a system reason as `reasonCode`",
  }),
  message: Type.String({ description: 'the same in English' }),
  actor: Nullable(Type.String()),
  data: Type.Unknown(),
});

/** What an order and a row of the order list both say first. */
const orderHeader = {
  id: Type.String(),
  channel: StringEnum(CHANNELS),
  externalId: Nullable(Type.String()),
  storeCode: Nullable(Type.String()),
  memberId: Nullable(Type.String()),
  status: StringEnum(ORDER_STATUSES),
};

const orderBody = {
  ...orderHeader,
  guide: Nullable(Type.String()),
  lines: Type.Array(OrderLine),
  totalAmount: Fen,
  discountAmount: Fen,
  pointsAmount: Fen,
  payableAmount: Fen,
  paidAmount: Fen,
  couponCodes: Type.Array(Type.String()),
  fulfillment: Type.Object({
    type: StringEnum(['delivery', 'pickup', 'same_day', 'carry_out']),
    store: Nullable(Type.String()),
    scheduledDate: Nullable(
      Type.String({
        format: 'date',
        description: 'the day she booked it to arrive; null: as soon as possible',
      }),
    ),
    address: Nullable(
      Type.Object(
        {
          city: Type.String(),
          lat: Type.Number(),
          lng: Type.Number(),
          line1: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
          phone: Type.Optional(Type.String()),
          masked: Type.Optional(Type.Boolean()),
        },
        { description: 'the recipient; the phone masked for store guides (`masked: true`)' },
      ),
    ),
  }),
  fulfillmentPlan: OrderSourcingPlan,
  fulfillments: Type.Array(FulfillmentGroup),
  timeline: Type.Array(TimelineEntry),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'unpaid by then, the order cancels itself and frees its stock',
  }),
  createdAt: Time,
  updatedAt: Time,
  completedAt: Nullable(Time),
  cancelledAt: Nullable(Time),
  cancelReason: Nullable(Type.String()),
};

/** An order as placing it, cancelling it or cancelling some of its lines answers it. */
export const Order = Type.Object(orderBody);
export type OrderView = Static<typeof Order>;

/** An order as `GET /v1/orders/{id}` answers it: with its payments. */
export const OrderWithPayments = Type.Object({
  ...orderBody,
  payments: Type.Array(Payment, {
    description: 'the payments of the order (as `GET /v1/payments/{id}` shows one)',
  }),
});

/** The lines a row of the order list names. */
export const SUMMARY_LINES = 3;

/** A row of `GET /v1/orders`. */
export const OrderSummary = Type.Object({
  ...orderHeader,
  fulfillmentType: Type.String(),
  fulfillmentStore: Nullable(Type.String()),
  totalAmount: Fen,
  payableAmount: Fen,
  paidAmount: Fen,
  refundedAmount: Type.Integer({
    description:
      'fen refunded or being refunded (cancelled lines, returns, an order cancelled after payment)',
  }),
  lines: Type.Array(Type.Object({ sku: Type.String(), name: Type.String(), quantity: Type.Integer() }), {
    description: `the first ${SUMMARY_LINES} lines, for a list to say what was bought`,
  }),
  lineCount: Type.Integer(),
  createdAt: Time,
});
export type OrderSummary = Static<typeof OrderSummary>;
