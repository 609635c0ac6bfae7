import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  codeString as code,
  command,
  idParams,
  scopedStore,
} from '../platform/index.js';
import { quantity, READERS } from './inventory.routes.js';
import { TRANSFER_STATUSES, type TransferStatus } from './inventory.schema.js';
import { getTransfer, listTransfers, moveTransfer, requestTransfer } from './transfers.service.js';

// The routes under /v1/transfers: request, list, read, ship, receive and cancel.

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

export function registerTransferRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const engine = ctx.database.engine;

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
}
