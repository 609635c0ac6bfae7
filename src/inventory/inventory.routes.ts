import { createHash } from 'node:crypto';
import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  command,
  listOf,
  pageOf,
  STAFF_ROLES,
  scopedStore,
  stableStringify,
} from '../platform/index.js';
import { getSkuStock, nearbyStock } from './availability.service.js';
import {
  AdjustmentBatch,
  AdjustmentsApplied,
  ChannelQuery,
  Count,
  LevelParams,
  LevelQuery,
  Movement,
  MovementQuery,
  NearbyQuery,
  NearbyStore,
  SkuParams,
  SkuStock,
  StockLevel,
} from './inventory.contract.js';
import { adjustStock, countLevel, listLevels, listMovements } from './levels.service.js';

// The routes under /v1/inventory: stock of a SKU and nearby stores, stock lists, the ledger, counts and
// adjustment batches. The context's other resources have their own files (reservations.routes.ts,
// transfers.routes.ts, channels.routes.ts); index.ts registers them in this order, the API document's.

/** Who may read stock and transfers: staff and channels. */
export const READERS = [...STAFF_ROLES, 'channel'] as const;
const STOCK_KEEPERS = ['admin', 'ops', 'store_manager', 'channel'] as const;

export function registerInventoryRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;
  const engine = ctx.database.engine;

  app.get(
    '/v1/inventory/:sku',
    {
      config: { auth: { roles: [...READERS, 'customer'] } },
      schema: {
        tags: ['inventory'],
        summary: 'One SKU across every location (and a channel’s available-to-promise with ?channel=)',
        params: SkuParams,
        querystring: ChannelQuery,
        response: { 200: SkuStock },
      },
    },
    async (request) => getSkuStock(db, request.params.sku, request.query.channel),
  );

  app.get(
    '/v1/inventory',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Stock levels by location (a store’s stock list; stock alerts with availableAtMost)',
        querystring: LevelQuery,
        response: { 200: pageOf(StockLevel) },
      },
    },
    async (request) =>
      listLevels(db, { ...request.query, location: scopedStore(request.principal, request.query.location) }),
  );

  app.get(
    '/v1/inventory/:sku/nearby',
    {
      config: { auth: { roles: [...READERS, 'customer'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Stores with this SKU available, nearest a point first',
        params: SkuParams,
        querystring: NearbyQuery,
        response: { 200: listOf(NearbyStore) },
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

  app.get(
    '/v1/inventory/:sku/:location/movements',
    {
      config: { auth: { roles: READERS, store: (r) => (r.params as { location: string }).location } },
      schema: {
        tags: ['inventory'],
        summary: 'The movement ledger of one level, newest first',
        params: LevelParams,
        querystring: MovementQuery,
        response: { 200: pageOf(Movement) },
      },
    },
    async (request) => listMovements(db, request.params.sku, request.params.location, request.query),
  );

  app.put(
    '/v1/inventory/levels/:sku/:location',
    {
      config: { auth: { roles: STOCK_KEEPERS, store: (r) => (r.params as { location: string }).location } },
      schema: {
        tags: ['inventory'],
        summary: 'Record a count: sets on hand; the ledger records the difference',
        params: LevelParams,
        body: Count,
        response: { 200: StockLevel },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        countLevel(trx, engine, { ...request.params, ...request.body, actor: actorName(actorOf(request)) }),
      ),
  );

  app.post(
    '/v1/inventory/adjustments',
    {
      config: { auth: { roles: STOCK_KEEPERS } },
      schema: {
        tags: ['inventory'],
        summary: 'A batch of stock adjustments (ERP, RFID, POS sync): all or nothing; idempotent by batchId',
        body: AdjustmentBatch,
        response: { 200: AdjustmentsApplied },
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
