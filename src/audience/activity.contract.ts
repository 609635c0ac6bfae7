import Type, { type Static } from 'typebox';
import { Nullable } from '../platform/index.js';

// The activity API's shapes, written once: validation, /openapi.json and the console's types. What an event may
// say is checked per event (activity.rules.ts) so that one bad event is refused alone; the schema only refuses a
// body that is not a batch of events at all.

/** Events per request: a channel app sends what it buffered; more is a 400, not a silent cut. */
export const MAX_EVENTS_PER_REQUEST = 500;

export const TrackedEvent = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64, description: 'product_viewed, cart_added, searched …' }),
    memberId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    anonymousId: Type.Optional(
      Type.String({ minLength: 6, maxLength: 128, description: "the app's device id before she is known" }),
    ),
    channel: Type.String({ minLength: 1, maxLength: 32 }),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    occurredAt: Type.Optional(
      Type.String({ format: 'date-time', maxLength: 40, description: 'when it happened; now when absent' }),
    ),
    properties: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        description: 'the app’s own details (search terms, page …), at most 2,048 bytes as JSON',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TrackedEvent = Static<typeof TrackedEvent>;

export const TrackBody = Type.Object(
  { events: Type.Array(TrackedEvent, { minItems: 1, maxItems: MAX_EVENTS_PER_REQUEST }) },
  { additionalProperties: false },
);
export type TrackBody = Static<typeof TrackBody>;

export const TrackAnswer = Type.Object({
  accepted: Type.Integer({ description: 'events recorded' }),
  rejected: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'the event’s place in the request, from 0' }),
      code: Type.String({ description: 'ACTIVITY.* — why it was not recorded' }),
    }),
  ),
});
export type TrackAnswer = Static<typeof TrackAnswer>;

export const ActivityItem = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  channel: Type.String(),
  sku: Nullable(Type.String()),
  category: Nullable(Type.String()),
  store: Nullable(Type.String()),
  ref: Nullable(Type.String({ description: 'the order, return, trial or coupon it belongs to' })),
  amount: Nullable(Type.Integer({ description: 'fen' })),
  anonymousId: Nullable(Type.String()),
  occurredAt: Type.String({ format: 'date-time' }),
  properties: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export type ActivityItem = Static<typeof ActivityItem>;

export const ActivitySettings = Type.Object(
  {
    retentionDays: Type.Integer({
      minimum: 7,
      maximum: 3650,
      description: 'tracked app events older than this are purged; facts (orders, returns …) are kept',
    }),
  },
  { additionalProperties: false },
);
export type ActivitySettings = Static<typeof ActivitySettings>;

export const ActivityRecomputeAnswer = Type.Object({
  facts: Type.Integer({ description: 'facts read' }),
  rows: Type.Integer({ description: 'activity rows of facts after the rebuild' }),
  durationMs: Type.Integer(),
});
