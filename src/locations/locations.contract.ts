import Type, { type Static } from 'typebox';
import { changesBody, Nullable, pageQuery, StringEnum, shortListQuery } from '../platform/index.js';
import { CAPABILITY_FILTERS, LOCATION_KINDS } from './locations.rules.js';

// The locations API's shapes, each JSON Schema (validation, serialization, /openapi.json and the console's
// generated types) and its TypeScript type (routes and services): written once.

const CODE_PATTERN = '^[A-Z0-9][A-Z0-9_-]{1,31}$';

export const Capabilities = Type.Object(
  {
    pickup: Type.Optional(Type.Boolean({ description: '门店自提: can hold pickups' })),
    shipFromStore: Type.Optional(Type.Boolean({ description: '门店发货: packs and ships online orders' })),
    sameDayRadiusKm: Type.Optional(
      Nullable(
        Type.Number({
          exclusiveMinimum: 0,
          maximum: 100,
          description: '同城极速达 radius; null: no same-day delivery from here',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type Capabilities = Static<typeof Capabilities>;

const DailyCapacity = Nullable(
  Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    description: 'Orders it can fulfil per day; null = unlimited',
  }),
);
const PriorityTier = Type.Integer({
  minimum: 1,
  maximum: 9,
  description: 'Sourcing preference: 1 first, then 2, 3 …',
});
const Name = Type.String({ minLength: 1, maxLength: 100 });
const City = Type.String({ minLength: 1, maxLength: 50 });
const Address = Nullable(Type.String({ maxLength: 300 }));

/** A warehouse or store as the API and other contexts see it. */
export const Location = Type.Object({
  code: Type.String(),
  name: Type.String(),
  kind: StringEnum(LOCATION_KINDS),
  city: Type.String(),
  address: Nullable(Type.String()),
  lat: Type.Number(),
  lng: Type.Number(),
  capabilities: Type.Object({
    pickup: Type.Boolean(),
    shipFromStore: Type.Boolean(),
    sameDayRadiusKm: Nullable(Type.Number()),
  }),
  dailyCapacity: Nullable(Type.Integer({ description: 'Orders it can fulfil per day; null = unlimited' })),
  priorityTier: Type.Integer({ description: 'Sourcing preference: 1 first, then 2, 3 …' }),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Location = Static<typeof Location>;

export const NewLocation = Type.Object(
  {
    code: Type.String({ pattern: CODE_PATTERN }),
    name: Name,
    kind: StringEnum(LOCATION_KINDS),
    city: City,
    address: Type.Optional(Address),
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    capabilities: Type.Optional(Capabilities),
    dailyCapacity: Type.Optional(DailyCapacity),
    priorityTier: Type.Optional(PriorityTier),
  },
  { additionalProperties: false },
);
export type NewLocation = Static<typeof NewLocation>;

/** The code, kind and position do not change; only the fields sent are changed. */
export const LocationChanges = changesBody({
  name: Name,
  address: Address,
  capabilities: Capabilities,
  dailyCapacity: DailyCapacity,
  priorityTier: PriorityTier,
  active: Type.Boolean(),
});
export type LocationChanges = Static<typeof LocationChanges>;

export const LocationQuery = pageQuery(
  {
    kind: StringEnum(LOCATION_KINDS),
    city: City,
    capability: StringEnum(CAPABILITY_FILTERS),
    q: Type.String({ maxLength: 100, description: 'Part of the code, name or city' }),
    active: Type.Boolean(),
  },
  shortListQuery,
);
export type LocationQuery = Static<typeof LocationQuery>;
