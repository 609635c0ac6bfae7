import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  codeString as code,
  command,
  idParams,
  markAnswered,
  recordAnswer,
} from '../platform/index.js';
import { quantity } from './inventory.routes.js';
import type { StockLine } from './inventory.rules.js';
import { RESERVATION_STATUSES } from './inventory.schema.js';
import {
  commitReservation,
  type ReservationBatcher,
  releaseReservation,
  requireReservation,
} from './reservations.service.js';

// The routes under /v1/reservations: reserve (through the group commit), read, commit and release.

const RESERVERS = ['admin', 'ops', 'store_manager', 'guide', 'channel'] as const;

const lineSchema = {
  type: 'object',
  required: ['sku', 'location', 'quantity'],
  additionalProperties: false,
  properties: { sku: code, location: code, quantity },
} as const;

const reservationSchema = {
  type: 'object',
  required: ['id', 'status', 'reference', 'expiresAt', 'createdAt', 'endedAt', 'lines'],
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
        required: ['sku', 'location', 'quantity'],
        properties: { sku: { type: 'string' }, location: { type: 'string' }, quantity: { type: 'integer' } },
      },
    },
  },
} as const;

export function registerReservationRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  batcher: ReservationBatcher,
): void {
  const db = ctx.database.db;

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
}
