import Type, { type Static } from 'typebox';
import { CHANNELS, codeString, Nullable, StringEnum } from '../platform/index.js';
import { SkuLines } from './orders.contract.js';

// What sourcing can do with a basket before it is an order, written once: validation, /openapi.json, the checkout.

const WAYS = ['pickup', 'delivery', 'same_day'] as const;
const REASONS = [
  'INSUFFICIENT_STOCK',
  'SPLIT_LIMIT',
  'OUTSIDE_SAME_DAY_RADIUS',
  'NO_SAME_DAY_CAPABILITY',
  'PICKUP_STORE_UNAVAILABLE',
  'SELLING_STORE_UNAVAILABLE',
] as const;

/** The most pickup stores one request asks about: each is a sourcing pass of its own. */
export const MAX_OPTION_STORES = 10;

export const OptionsRequest = Type.Object(
  {
    channel: StringEnum(CHANNELS),
    storeCode: Type.Optional(codeString),
    lines: SkuLines,
    position: Type.Optional(
      Type.Object(
        {
          city: Type.String({ minLength: 1, maxLength: 50 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lng: Type.Number({ minimum: -180, maximum: 180 }),
        },
        {
          additionalProperties: false,
          description: 'Where it would be delivered: delivery and same-day are asked about',
        },
      ),
    ),
    stores: Type.Optional(
      Type.Array(codeString, {
        maxItems: MAX_OPTION_STORES,
        description:
          'Pickup stores to ask about; without: the five pickup stores nearest the position, or storeCode',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OptionsRequest = Static<typeof OptionsRequest>;

export const FulfillmentOption = Type.Object({
  type: StringEnum(WAYS),
  store: Nullable(Type.String({ description: 'The pickup store (pickup only)' })),
  available: Type.Boolean(),
  reason: Nullable(StringEnum(REASONS, { description: 'Why not, as sourcing says it (when not available)' })),
  bookable: Nullable(
    Type.Object(
      { from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) },
      { description: 'Delivery and same-day: the days she may book it to arrive (scheduledDate)' },
    ),
  ),
  groups: Type.Array(
    Type.Object({
      location: Type.String(),
      type: Type.String(),
      readyBy: Nullable(
        Type.String({ format: 'date-time', description: 'Pickup: when the goods should be at the counter' }),
      ),
      transfers: Type.Integer({ description: 'Pickup: locations sending units to the store first' }),
      distanceKm: Nullable(
        Type.Number({ description: 'Delivery and same-day: from the location to the address' }),
      ),
    }),
    { description: 'The parcels or pickups sourcing would plan now (stock can change before she orders)' },
  ),
});
export type FulfillmentOption = Static<typeof FulfillmentOption>;

export const FulfillmentOptions = Type.Object({ items: Type.Array(FulfillmentOption) });
export type FulfillmentOptions = Static<typeof FulfillmentOptions>;
