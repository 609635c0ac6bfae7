import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  command,
  idParams,
  scopedStore,
} from '../platform/index.js';
import { NewTransfer, Transfer, TransferList, TransferQuery } from './inventory.contract.js';
import { READERS } from './inventory.routes.js';
import { getTransfer, listTransfers, moveTransfer, requestTransfer } from './transfers.service.js';

// The routes under /v1/transfers: request, list, read, ship, receive and cancel.

export function registerTransferRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;
  const engine = ctx.database.engine;

  app.post(
    '/v1/transfers',
    {
      config: { auth: { roles: ['admin', 'ops', 'store_manager'] } },
      schema: {
        tags: ['inventory'],
        summary: 'Request a transfer (调拨): the units are reserved at the source until shipped',
        body: NewTransfer,
        response: { 201: Transfer },
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

  app.get(
    '/v1/transfers',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Transfers, newest first',
        querystring: TransferQuery,
        response: { 200: TransferList },
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

  app.get(
    '/v1/transfers/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['inventory'],
        summary: 'A transfer',
        params: idParams,
        response: { 200: Transfer },
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
    app.post(
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
          response: { 200: Transfer },
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
