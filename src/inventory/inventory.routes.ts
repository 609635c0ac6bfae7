import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  CHANNELS,
  codeString as code,
  command,
  idParams,
  listOf,
  markAnswered,
  pageOf,
  pageQuery,
  recordAnswer,
  STAFF_ROLES,
  scopedStore,
  stableStringify,
} from '../platform/index.js';
import { getChannelPolicy, getSkuStock, nearbyStock, putChannelPolicy } from './availability.service.js';
import {
  ADJUSTMENT_REASONS,
  type ChannelPolicy,
  MOVEMENT_REASONS,
  type StockLine,
} from './inventory.rules.js';
import { RESERVATION_STATUSES, TRANSFER_STATUSES, type TransferStatus } from './inventory.schema.js';
import { type Adjustment, adjustStock, countLevel, listLevels, listMovements } from './levels.service.js';
import {
  commitReservation,
  type ReservationBatcher,
  releaseReservation,
  requireReservation,
} from './reservations.service.js';
import { getTransfer, listTransfers, moveTransfer, requestTransfer } from './transfers.service.js';

const READERS = [...STAFF_ROLES, 'channel'] as const;
const STOCK_KEEPERS = ['admin', 'ops', 'store_manager', 'channel'] as const;
const RESERVERS = ['admin', 'ops', 'store_manager', 'guide', 'channel'] as const;

const quantity = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;

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

const lineSchema = {
  type: 'object',
  required: ['sku', 'location', 'quantity'],
  additionalProperties: false,
  properties: { sku: code, location: code, quantity },
} as const;

const reservationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: [...RESERVATION_STATUSES] },
    reference: { type: ['string', 'null'] },
    expiresAt: { type: 'string' },
    createdAt: { type: 'string' },
    endedAt: { type: ['string', 'null'] },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, location: { type: 'string' }, quantity: { type: 'integer' } },
      },
    },
  },
} as const;

const transferSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    sku: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    quantity: { type: 'integer' },
    status: { type: 'string', enum: [...TRANSFER_STATUSES] },
    reference: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    shippedAt: { type: ['string', 'null'] },
    receivedAt: { type: ['string', 'null'] },
  },
} as const;

/** Stock lists page by 100 (up to 500), not listQuery's 50, and take cursors of any length. */
const stockPaging = {
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  cursor: { type: 'string' },
} as const;

const skuParams = { type: 'object', properties: { sku: code } } as const;
const levelParams = { type: 'object', properties: { sku: code, location: code } } as const;

export function registerInventoryRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  batcher: ReservationBatcher,
): void {
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
          { location: code, sku: code, availableAtMost: { type: 'integer', minimum: 0 } },
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

  app.post<{ Body: { lines: StockLine[]; ttlSeconds?: number; reference?: string } }>(
    '/v1/reservations',
    {
      config: { auth: { roles: RESERVERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Reserve stock: all lines or none, held for ttlSeconds (default 900)',
        body: {
          type: 'object',
          required: ['lines'],
          additionalProperties: false,
          properties: {
            lines: { type: 'array', minItems: 1, maxItems: 200, items: lineSchema },
            ttlSeconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 },
            reference: { type: 'string', maxLength: 200 },
          },
        },
        response: { 201: reservationSchema },
      },
    },
    async (request, reply) => {
      for (const line of request.body.lines) assertStoreAccess(request.principal, line.location);
      reply.code(201);
      // Through the group commit: the idempotent answer is stored in the batch's transaction.
      const reservation = await batcher.reserve(request.body, (trx, granted) =>
        recordAnswer(trx, request, reply, granted),
      );
      markAnswered(request);
      return reservation;
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/reservations/:id',
    {
      config: { auth: { roles: RESERVERS } },
      schema: {
        tags: ['inventory'],
        summary: 'A reservation',
        params: idParams,
        response: { 200: reservationSchema },
      },
    },
    async (request) => {
      const reservation = await requireReservation(db, request.params.id);
      for (const line of reservation.lines) assertStoreAccess(request.principal, line.location);
      return reservation;
    },
  );

  for (const move of ['commit', 'release'] as const) {
    app.post<{ Params: { id: string } }>(
      `/v1/reservations/:id/${move}`,
      {
        config: { auth: { roles: RESERVERS } },
        schema: {
          tags: ['inventory'],
          summary:
            move === 'commit'
              ? 'The goods left: on hand and reserved both drop (ledger: sale)'
              : 'Free the reserved units',
          params: idParams,
          response: { 200: reservationSchema },
        },
      },
      async (request, reply) => {
        const reservation = await requireReservation(db, request.params.id);
        for (const line of reservation.lines) assertStoreAccess(request.principal, line.location);
        return command(ctx, request, reply, 200, (trx) =>
          move === 'commit'
            ? commitReservation(trx, request.params.id, actorName(actorOf(request)))
            : releaseReservation(trx, request.params.id),
        );
      },
    );
  }

  app.post<{ Body: { sku: string; from: string; to: string; quantity: number; reference?: string } }>(
    '/v1/transfers',
    {
      config: { auth: { roles: ['admin', 'ops', 'store_manager'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Request a transfer (调拨): the units are reserved at the source until shipped',
        body: {
          type: 'object',
          required: ['sku', 'from', 'to', 'quantity'],
          additionalProperties: false,
          properties: {
            sku: code,
            from: code,
            to: code,
            quantity,
            reference: { type: 'string', maxLength: 200 },
          },
        },
        response: { 201: transferSchema },
      },
    },
    async (request, reply) => {
      // A store may ask another store for stock, or send its own.
      const { from, to } = request.body;
      if (request.principal.storeCode !== null && request.principal.storeCode !== from)
        assertStoreAccess(request.principal, to);
      return command(ctx, request, reply, 201, (trx) => requestTransfer(trx, request.body));
    },
  );

  app.get<{ Querystring: { location?: string; status?: TransferStatus; reference?: string; limit: number } }>(
    '/v1/transfers',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Transfers, newest first',
        querystring: {
          type: 'object',
          properties: {
            location: code,
            status: { type: 'string', enum: [...TRANSFER_STATUSES] },
            reference: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: transferSchema }, nextCursor: { type: 'null' } },
          },
        },
      },
    },
    async (request) => ({
      items: await listTransfers(db, {
        ...request.query,
        location: scopedStore(request.principal, request.query.location),
      }),
      nextCursor: null,
    }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/transfers/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'A transfer',
        params: idParams,
        response: { 200: transferSchema },
      },
    },
    async (request) => {
      const transfer = await getTransfer(db, request.params.id);
      if (request.principal.storeCode !== null && request.principal.storeCode !== transfer.from)
        assertStoreAccess(request.principal, transfer.to);
      return transfer;
    },
  );

  for (const move of ['ship', 'receive', 'cancel'] as const) {
    app.post<{ Params: { id: string } }>(
      `/v1/transfers/:id/${move}`,
      {
        config: { auth: { roles: ['admin', 'ops', 'store_manager'] } },
        schema: {
          tags: ['inventory'],
          summary: {
            ship: 'The units left the source: in transit',
            receive: 'The units arrived: on hand at the destination',
            cancel: 'Cancel before shipping; the source’s units are free again',
          }[move],
          params: idParams,
          response: { 200: transferSchema },
        },
      },
      async (request, reply) => {
        const transfer = await getTransfer(db, request.params.id);
        // The sending store ships and cancels; the receiving store receives.
        assertStoreAccess(request.principal, move === 'receive' ? transfer.to : transfer.from);
        return command(ctx, request, reply, 200, (trx) =>
          moveTransfer(trx, engine, request.params.id, move, actorName(actorOf(request))),
        );
      },
    );
  }

  const policySchema = {
    type: 'object',
    properties: {
      channel: { type: 'string' },
      locationKinds: { type: 'array', items: { type: 'string' } },
      locations: { type: ['array', 'null'], items: { type: 'string' } },
      extraSafetyStock: { type: 'integer' },
    },
  } as const;

  app.get(
    '/v1/channels/stock-policies',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Which locations feed each channel’s available-to-promise, and its extra safety stock',
        response: { 200: listOf(policySchema) },
      },
    },
    async () => ({ items: await Promise.all(CHANNELS.map((channel) => getChannelPolicy(db, channel))) }),
  );

  app.put<{
    Params: { channel: string };
    Body: Omit<ChannelPolicy, 'channel' | 'locations'> & { locations?: string[] | null };
  }>(
    '/v1/channels/:channel/stock-policy',
    {
      config: { auth: { roles: ['admin', 'ops'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Set a channel’s stock policy',
        params: { type: 'object', properties: { channel: { type: 'string', enum: [...CHANNELS] } } },
        body: {
          type: 'object',
          required: ['locationKinds', 'extraSafetyStock'],
          additionalProperties: false,
          properties: {
            locationKinds: {
              type: 'array',
              minItems: 1,
              uniqueItems: true,
              items: { type: 'string', enum: ['warehouse', 'store'] },
            },
            locations: { type: ['array', 'null'], items: code },
            extraSafetyStock: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          },
        },
        response: { 200: policySchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        putChannelPolicy(trx, {
          channel: request.params.channel,
          ...request.body,
          locations: request.body.locations ?? null,
        }),
      ),
  );
}
