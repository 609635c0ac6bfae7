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
import { transferMoverOf, transferStartsAs } from './inventory.rules.js';
import { getTransfer, listTransfers, moveTransfer, requestTransfer } from './transfers.service.js';

// The routes under /v1/transfers: request, list, read, accept, decline, ship, receive and cancel.

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
        description:
          'HQ, or a store sending its own stock, reserve the units at once (status requested). A store asking ' +
          'another store for its stock makes a request (awaiting_source) that reserves nothing until the source ' +
          'store, or HQ, accepts it.',
        body: NewTransfer,
        response: { 201: Transfer },
      },
    },
    async (request, reply) => {
      // A store may ask another store for stock, or send its own.
      const { from, to } = request.body;
      const { storeCode } = request.principal;
      if (storeCode !== null && storeCode !== from) assertStoreAccess(request.principal, to);
      return command(ctx, request, reply, 201, (trx) =>
        requestTransfer(trx, request.body, transferStartsAs(storeCode, from)),
      );
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

  for (const move of ['accept', 'decline', 'ship', 'receive', 'cancel'] as const) {
    app.post(
      `/v1/transfers/:id/${move}`,
      {
        config: { auth: { roles: ['admin', 'ops', 'store_manager'] } },
        schema: {
          tags: ['inventory'],
          summary: {
            accept: 'The source store accepts a transfer asked of it: its units are reserved',
            decline: 'The source store declines a transfer asked of it',
            ship: 'The units left the source: in transit',
            receive: 'The units arrived: on hand at the destination',
            cancel:
              'Cancel before shipping (the store that asked may withdraw); the source’s units are free again',
          }[move],
          params: idParams,
          response: { 200: Transfer },
        },
      },
      async (request, reply) => {
        const transfer = await getTransfer(db, request.params.id);
        const mover = transferMoverOf(transfer, move);
        const { storeCode } = request.principal;
        if (mover !== 'either' || (storeCode !== transfer.from && storeCode !== transfer.to))
          assertStoreAccess(request.principal, mover === 'to' ? transfer.to : transfer.from);
        return command(ctx, request, reply, 200, (trx) =>
          moveTransfer(trx, engine, request.params.id, move, actorName(actorOf(request))),
        );
      },
    );
  }
}
