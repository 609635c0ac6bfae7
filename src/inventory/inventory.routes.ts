import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import {
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  CHANNELS,
  codeString as code,
  command,
  listOf,
  Nullable,
  pageOf,
  pageQuery,
  STAFF_ROLES,
  StringEnum,
  scopedStore,
  stableStringify,
} from '../platform/index.js';
import { getSkuStock, nearbyStock } from './availability.service.js';
import { ADJUSTMENT_REASONS, MOVEMENT_REASONS } from './inventory.rules.js';
import { type Adjustment, adjustStock, countLevel, listLevels, listMovements } from './levels.service.js';

// The routes under /v1/inventory: stock of a SKU and nearby stores, stock lists, the ledger, counts and
// adjustment batches. The context's other resources have their own files (reservations.routes.ts,
// transfers.routes.ts, channels.routes.ts); index.ts registers them in this order, the API document's.

/** Who may read stock and transfers: staff and channels. */
export const READERS = [...STAFF_ROLES, 'channel'] as const;
const STOCK_KEEPERS = ['admin', 'ops', 'store_manager', 'channel'] as const;

/** A quantity asked of stock: a reservation's line, a transfer. */
export const quantity = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;

const levelSchema = {
  type: 'object',
  properties: {
    sku: { type: 'string' },
    location: { type: 'string' },
    onHand: { type: 'integer' },
    reserved: { type: 'integer' },
    safetyStock: { type: 'integer' },
    inTransit: { type: 'integer' },
    quarantined: { type: 'integer' },
    available: { type: 'integer' },
    updatedAt: { type: 'string' },
  },
} as const;

/** Stock lists page by 100 (up to 500), not listQuery's 50, and take cursors of any length. */
/** One line of the stock ledger (库存流水): what changed on hand, why, and who or what did it. */
const Movement = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  location: Type.String(),
  delta: Type.Integer({ description: 'Units onto (+) or off (−) the shelf' }),
  onHandAfter: Type.Integer(),
  reason: StringEnum(MOVEMENT_REASONS),
  source: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  note: Nullable(Type.String()),
  actor: Nullable(Type.String()),
  occurredAt: Type.String({ format: 'date-time' }),
});

const stockPaging = {
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 }))),
  cursor: Type.Optional(Type.String()),
};

const skuParams = { type: 'object', properties: { sku: code } } as const;
const levelParams = { type: 'object', properties: { sku: code, location: code } } as const;

export function registerInventoryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const engine = ctx.database.engine;

  app.get<{ Params: { sku: string }; Querystring: { channel?: string } }>(
    '/v1/inventory/:sku',
    {
      config: { auth: { roles: [...READERS, 'customer'] } },
      schema: {
        tags: ['inventory'],
        summary: 'One SKU across every location (and a channel’s available-to-promise with ?channel=)',
        params: skuParams,
        querystring: { type: 'object', properties: { channel: { type: 'string', enum: [...CHANNELS] } } },
        response: {
          200: {
            type: 'object',
            properties: {
              sku: { type: 'string' },
              available: { type: 'integer' },
              channel: { type: ['string', 'null'] },
              levels: { type: 'array', items: levelSchema },
            },
          },
        },
      },
    },
    async (request) => getSkuStock(db, request.params.sku, request.query.channel),
  );

  app.get<{
    Querystring: {
      location?: string;
      sku?: string;
      availableAtMost?: number;
      limit: number;
      cursor?: string;
    };
  }>(
    '/v1/inventory',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Stock levels by location (a store’s stock list; stock alerts with availableAtMost)',
        querystring: pageQuery(
          {
            location: code,
            sku: code,
            availableAtMost: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
          },
          stockPaging,
        ),
        response: { 200: pageOf(levelSchema) },
      },
    },
    async (request) =>
      listLevels(db, { ...request.query, location: scopedStore(request.principal, request.query.location) }),
  );

  app.get<{
    Params: { sku: string };
    Querystring: { lat: number; lng: number; radiusKm: number; limit: number };
  }>(
    '/v1/inventory/:sku/nearby',
    {
      config: { auth: { roles: [...READERS, 'customer'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Stores with this SKU available, nearest a point first',
        params: skuParams,
        querystring: {
          type: 'object',
          required: ['lat', 'lng'],
          properties: {
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lng: { type: 'number', minimum: -180, maximum: 180 },
            radiusKm: { type: 'number', exclusiveMinimum: 0, maximum: 500, default: 20 },
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        },
        response: {
          200: listOf({
            type: 'object',
            properties: {
              location: { type: 'string' },
              name: { type: 'string' },
              city: { type: 'string' },
              lat: { type: 'number' },
              lng: { type: 'number' },
              pickup: { type: 'boolean' },
              distanceKm: { type: 'number' },
              available: { type: 'integer' },
            },
          }),
        },
      },
    },
    async (request) => ({
      items: await nearbyStock(
        db,
        request.params.sku,
        { lat: request.query.lat, lng: request.query.lng },
        request.query.radiusKm,
        request.query.limit,
      ),
    }),
  );

  app.get<{ Params: { sku: string; location: string }; Querystring: { limit: number; cursor?: string } }>(
    '/v1/inventory/:sku/:location/movements',
    {
      config: { auth: { roles: READERS, store: (r) => (r.params as { location: string }).location } },
      schema: {
        tags: ['inventory'],
        summary: 'The movement ledger of one level, newest first',
        params: levelParams,
        querystring: pageQuery({}, stockPaging),
        response: { 200: pageOf(Movement) },
      },
    },
    async (request) => listMovements(db, request.params.sku, request.params.location, request.query),
  );

  app.put<{
    Params: { sku: string; location: string };
    Body: { onHand: number; safetyStock?: number; reason?: (typeof MOVEMENT_REASONS)[number] };
  }>(
    '/v1/inventory/levels/:sku/:location',
    {
      config: { auth: { roles: STOCK_KEEPERS, store: (r) => (r.params as { location: string }).location } },
      schema: {
        tags: ['inventory'],
        summary: 'Record a count: sets on hand; the ledger records the difference',
        params: levelParams,
        body: {
          type: 'object',
          required: ['onHand'],
          additionalProperties: false,
          properties: {
            onHand: { type: 'integer', minimum: 0, maximum: 100_000_000 },
            safetyStock: { type: 'integer', minimum: 0, maximum: 100_000_000 },
            reason: { type: 'string', enum: [...MOVEMENT_REASONS] },
          },
        },
        response: { 200: levelSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        countLevel(trx, engine, { ...request.params, ...request.body, actor: actorName(actorOf(request)) }),
      ),
  );

  app.post<{ Body: { adjustments: Adjustment[]; batchId?: string } }>(
    '/v1/inventory/adjustments',
    {
      config: { auth: { roles: STOCK_KEEPERS } },
      schema: {
        tags: ['inventory'],
        summary: 'A batch of stock adjustments (ERP, RFID, POS sync): all or nothing; idempotent by batchId',
        body: {
          type: 'object',
          required: ['adjustments'],
          additionalProperties: false,
          properties: {
            batchId: { type: 'string', minLength: 1, maxLength: 200 },
            adjustments: {
              type: 'array',
              minItems: 1,
              maxItems: 10_000,
              items: {
                type: 'object',
                required: ['sku', 'location', 'delta', 'reason'],
                additionalProperties: false,
                properties: {
                  sku: code,
                  location: code,
                  delta: { type: 'integer', minimum: -100_000_000, maximum: 100_000_000, not: { const: 0 } },
                  reason: { type: 'string', enum: [...ADJUSTMENT_REASONS] },
                  note: { type: 'string', maxLength: 500 },
                },
              },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { levels: { type: 'array', items: levelSchema }, replayed: { type: 'boolean' } },
          },
        },
      },
    },
    async (request, reply) => {
      for (const adjustment of request.body.adjustments)
        assertStoreAccess(request.principal, adjustment.location);
      const requestHash = createHash('sha256')
        .update(stableStringify(request.body.adjustments))
        .digest('hex');
      return command(ctx, request, reply, 200, (trx) =>
        adjustStock(trx, { ...request.body, requestHash, actor: actorName(actorOf(request)) }),
      );
    },
  );
}
