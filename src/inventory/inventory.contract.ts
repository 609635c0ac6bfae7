import Type, { type Static } from 'typebox';
import { CHANNELS, codeString, Nullable, pageQuery, StringEnum } from '../platform/index.js';
import { ADJUSTMENT_REASONS, MOVEMENT_REASONS } from './inventory.rules.js';
import { RESERVATION_STATUSES, TRANSFER_STATUSES } from './inventory.schema.js';

// The inventory API's shapes, each JSON Schema (validation, serialization, /openapi.json and the console's
// generated types) and its TypeScript type: written once.

const Time = Type.String({ format: 'date-time' });

/** A quantity asked of stock: a reservation's line, a transfer. */
export const Quantity = Type.Integer({ minimum: 1, maximum: 1_000_000 });

/** One SKU at one location: 在库, 占用, 安全库存, 在途, 冻结 and what can be promised (可售). */
export const StockLevel = Type.Object({
  sku: Type.String(),
  location: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  safetyStock: Type.Integer(),
  inTransit: Type.Integer(),
  quarantined: Type.Integer(),
  available: Type.Integer(),
  updatedAt: Time,
});
export type StockLevel = Static<typeof StockLevel>;

export const SkuStock = Type.Object({
  sku: Type.String(),
  available: Type.Integer({
    description: 'Across every location, or the channel’s locations with ?channel=',
  }),
  channel: Nullable(Type.String()),
  levels: Type.Array(StockLevel),
});
export type SkuStock = Static<typeof SkuStock>;

export const SkuParams = Type.Object({ sku: codeString });
export const LevelParams = Type.Object({ sku: codeString, location: codeString });
export const ChannelQuery = Type.Object({ channel: Type.Optional(StringEnum(CHANNELS)) });

/** Stock lists page by 100 (up to 500), not listQuery's 50, and take cursors of any length. */
const stockPaging = {
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 }))),
  cursor: Type.Optional(Type.String()),
};

export const LevelQuery = pageQuery(
  {
    location: codeString,
    sku: codeString,
    availableAtMost: Type.Integer({
      minimum: 0,
      maximum: 1_000_000_000,
      description: 'Only levels whose available is at or below this (stock alerts)',
    }),
  },
  stockPaging,
);
export type LevelQuery = Static<typeof LevelQuery>;

export const MovementQuery = pageQuery({}, stockPaging);

export const NearbyQuery = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }),
  lng: Type.Number({ minimum: -180, maximum: 180 }),
  radiusKm: Type.Unsafe<number>(
    Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 500, default: 20 })),
  ),
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 }))),
});

/** A store with the SKU available, near a point. */
export const NearbyStore = Type.Object({
  location: Type.String(),
  name: Type.String(),
  city: Type.String(),
  lat: Type.Number(),
  lng: Type.Number(),
  pickup: Type.Boolean(),
  distanceKm: Type.Number(),
  available: Type.Integer(),
});
export type NearbyStore = Static<typeof NearbyStore>;

/** One line of the stock ledger (库存流水): what changed on hand, why, and who or what did it. */
export const Movement = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  location: Type.String(),
  delta: Type.Integer({ description: 'Units onto (+) or off (−) the shelf' }),
  onHandAfter: Type.Integer(),
  reason: StringEnum(MOVEMENT_REASONS),
  source: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  note: Nullable(Type.String()),
  actor: Nullable(Type.String()),
  occurredAt: Time,
});
export type Movement = Static<typeof Movement>;

export const Count = Type.Object(
  {
    onHand: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    safetyStock: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    reason: Type.Optional(StringEnum(MOVEMENT_REASONS)),
  },
  { additionalProperties: false },
);

export const Adjustment = Type.Object(
  {
    sku: codeString,
    location: codeString,
    delta: Type.Integer({ minimum: -100_000_000, maximum: 100_000_000, not: { const: 0 } }),
    reason: StringEnum(ADJUSTMENT_REASONS),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type Adjustment = Static<typeof Adjustment>;

export const AdjustmentBatch = Type.Object(
  {
    batchId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    adjustments: Type.Array(Adjustment, { minItems: 1, maxItems: 10_000 }),
  },
  { additionalProperties: false },
);

export const AdjustmentsApplied = Type.Object({ levels: Type.Array(StockLevel), replayed: Type.Boolean() });

const StockLine = Type.Object(
  { sku: codeString, location: codeString, quantity: Quantity },
  { additionalProperties: false },
);

export const NewReservation = Type.Object(
  {
    lines: Type.Array(StockLine, { minItems: 1, maxItems: 200 }),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 })),
    reference: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const Reservation = Type.Object({
  id: Type.String(),
  status: StringEnum(RESERVATION_STATUSES),
  reference: Nullable(Type.String()),
  expiresAt: Time,
  createdAt: Time,
  endedAt: Nullable(Time),
  lines: Type.Array(Type.Object({ sku: Type.String(), location: Type.String(), quantity: Type.Integer() })),
});
export type Reservation = Static<typeof Reservation>;

export const NewTransfer = Type.Object(
  {
    sku: codeString,
    from: codeString,
    to: codeString,
    quantity: Quantity,
    reference: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const Transfer = Type.Object({
  id: Type.String(),
  sku: Type.String(),
  from: Type.String(),
  to: Type.String(),
  quantity: Type.Integer(),
  status: StringEnum(TRANSFER_STATUSES),
  reference: Nullable(Type.String()),
  createdAt: Time,
  shippedAt: Nullable(Time),
  receivedAt: Nullable(Time),
});
export type Transfer = Static<typeof Transfer>;

export const TransferQuery = Type.Object({
  location: Type.Optional(codeString),
  status: Type.Optional(StringEnum(TRANSFER_STATUSES)),
  reference: Type.Optional(Type.String()),
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 }))),
});
export type TransferQuery = Static<typeof TransferQuery>;

/** The newest transfers, in one answer (no cursor: a store's open transfers are few). */
export const TransferList = Type.Object({ items: Type.Array(Transfer), nextCursor: Type.Null() });

export const ChannelStockPolicy = Type.Object({
  channel: Type.String(),
  locationKinds: Type.Array(StringEnum(['warehouse', 'store'])),
  locations: Nullable(
    Type.Array(Type.String(), { description: 'When set, only these locations feed the channel' }),
  ),
  extraSafetyStock: Type.Integer({
    description: 'Units each location additionally keeps back from this channel',
  }),
  maxLineQuantity: Type.Integer({ description: 'Units one line (one SKU) of an order may take' }),
  maxOrderQuantity: Type.Integer({ description: 'Units one order may take in all' }),
});
export type ChannelStockPolicy = Static<typeof ChannelStockPolicy>;

export const ChannelParams = Type.Object({ channel: StringEnum(CHANNELS) });

export const NewChannelStockPolicy = Type.Object(
  {
    locationKinds: Type.Array(StringEnum(['warehouse', 'store']), { minItems: 1, uniqueItems: true }),
    locations: Type.Optional(Nullable(Type.Array(codeString))),
    extraSafetyStock: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    maxLineQuantity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 999, description: "absent: the channel's default" }),
    ),
    maxOrderQuantity: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100_000, description: "absent: the channel's default" }),
    ),
  },
  { additionalProperties: false },
);
