import Type, { type Static } from 'typebox';
import { codeString, Nullable, StringEnum } from '../platform/index.js';
import { FULFILLMENT_STATUSES } from './lifecycle.rules.js';
import { FULFILLMENT_GROUP_TYPES } from './sourcing.config.js';

// Fulfillment's API shapes, each JSON Schema (validation, serialization, /openapi.json and the console's generated
// types) and its TypeScript type: a group (alone, in a task list, in its order), the sourcing plan an order shows,
// and what a store sends to move a task.

const GroupType = StringEnum(FULFILLMENT_GROUP_TYPES);
const Time = Type.String({ format: 'date-time' });
const SkuQuantity = Type.Object({ sku: Type.String(), quantity: Type.Integer() });

/** Where each line of an order comes from, and why (`fulfillmentPlan` of an order). */
export const OrderSourcingPlan = Type.Object(
  {
    groups: Type.Array(
      Type.Object({
        location: Type.String(),
        type: GroupType,
        lines: Type.Array(SkuQuantity),
        transfers: Type.Optional(
          Type.Array(Type.Object({ from: Type.String(), sku: Type.String(), quantity: Type.Integer() }), {
            description: 'pickup: units other locations send to the pickup store first',
          }),
        ),
        readyBy: Type.Optional(
          Type.String({
            format: 'date-time',
            description: 'pickup: when the goods should be ready at the counter',
          }),
        ),
        distanceKm: Type.Optional(Type.Number()),
      }),
    ),
    explanation: Type.Array(
      Type.Object({
        location: Type.String(),
        decision: StringEnum(['chosen', 'excluded', 'not_needed']),
        // Readonly: the planner's explanations are shared, never changed.
        reasons: Type.Unsafe<readonly string[]>({
          type: 'array',
          items: { type: 'string' },
          description: 'stable codes: HOLDS_ALL_LINES, INSUFFICIENT_STOCK …',
        }),
        message: Type.String({ description: 'one English sentence' }),
        distanceKm: Type.Optional(Type.Number()),
      }),
    ),
  },
  { description: 'Where each line comes from, and why every location was chosen, excluded or not needed' },
);

/** A group as the API shows it (alone, in a location's task list, or in its order). */
export const FulfillmentGroup = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  location: Type.String(),
  type: GroupType,
  status: StringEnum(FULFILLMENT_STATUSES),
  awaitingPayment: Type.Boolean({
    description: 'its order still waits for payment: nothing to do at the location yet',
  }),
  pickupCode: Type.Optional(
    Nullable(Type.String({ description: 'shown to the customer, HQ and channels; store staff verify it' })),
  ),
  readyBy: Nullable(Time),
  readyAt: Nullable(Time),
  pickupDeadline: Nullable(Time),
  carrier: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  lines: Type.Array(SkuQuantity),
  transfers: Type.Array(
    Type.Object({
      transferId: Type.String(),
      from: Type.String(),
      sku: Type.String(),
      quantity: Type.Integer(),
      received: Type.Boolean(),
    }),
  ),
  createdAt: Time,
  updatedAt: Time,
});
export type FulfillmentView = Static<typeof FulfillmentGroup>;

export const TaskQuery = Type.Object({
  location: Type.Optional(codeString),
  status: Type.Optional(Type.String()),
  type: Type.Optional(GroupType),
  awaitingPayment: Type.Optional(
    Type.Boolean({
      description:
        'true: only the groups whose order waits for payment; false: only those a store can work on',
    }),
  ),
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 }))),
});

/** What a store may say when it moves a task: the parcel's carrier and number, or why it cannot. */
export const TaskActionBody = Type.Unsafe<{
  carrier?: string;
  trackingNumber?: string;
  reason?: string;
} | null>({
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    carrier: { type: 'string', maxLength: 50 },
    trackingNumber: { type: 'string', maxLength: 100 },
    reason: { type: 'string', maxLength: 200 },
  },
});

export const PickupVerification = Type.Object(
  { store: codeString, code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);
