import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  command,
  idParams,
  markAnswered,
  recordAnswer,
} from '../platform/index.js';
import { NewReservation, Reservation } from './inventory.contract.js';
import {
  commitReservation,
  type ReservationBatcher,
  releaseReservation,
  requireReservation,
} from './reservations.service.js';

// The routes under /v1/reservations: reserve (through the group commit), read, commit and release.

const RESERVERS = ['admin', 'ops', 'store_manager', 'guide', 'channel'] as const;

export function registerReservationRoutes(app: Api, ctx: AppContext, batcher: ReservationBatcher): void {
  const db = ctx.database.db;

  app.post(
    '/v1/reservations',
    {
      config: { auth: { roles: RESERVERS } },
      schema: {
        tags: ['inventory'],
        summary: 'Reserve stock: all lines or none, held for ttlSeconds (default 900)',
        body: NewReservation,
        response: { 201: Reservation },
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

  app.get(
    '/v1/reservations/:id',
    {
      config: { auth: { roles: RESERVERS } },
      schema: {
        tags: ['inventory'],
        summary: 'A reservation',
        params: idParams,
        response: { 200: Reservation },
      },
    },
    async (request) => {
      const reservation = await requireReservation(db, request.params.id);
      for (const line of reservation.lines) assertStoreAccess(request.principal, line.location);
      return reservation;
    },
  );

  for (const move of ['commit', 'release'] as const) {
    app.post(
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
          response: { 200: Reservation },
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
}
