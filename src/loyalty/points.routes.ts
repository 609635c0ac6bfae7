import type { FastifyInstance } from 'fastify';
import { type AppContext, idParams, pageQuery } from '../platform/index.js';
import { memberFor, READERS } from './loyalty.routes.js';
import { pointsOf } from './points.service.js';

const lotSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['earn', 'debt'] },
    status: { type: 'string' },
    orderId: { type: ['string', 'null'] },
    lineNo: { type: ['integer', 'null'] },
    sku: { type: ['string', 'null'] },
    points: { type: 'integer' },
    reversedPoints: { type: 'integer' },
    remaining: { type: 'integer', description: 'Spendable now; negative for a debt left by a return' },
    pending: { type: 'integer' },
    expiredPoints: { type: 'integer' },
    earnedAt: { type: 'string' },
    availableAt: { type: 'string' },
    expiresAt: { type: ['string', 'null'] },
  },
} as const;

const ledgerSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    points: { type: 'integer', description: 'Change of the available balance' },
    pendingPoints: { type: 'integer', description: 'Change of the pending balance' },
    lotId: { type: ['string', 'null'] },
    orderId: { type: ['string', 'null'] },
    reference: { type: ['string', 'null'] },
    source: { type: 'string', description: 'What wrote the entry; unique (a retry never writes it twice)' },
    createdAt: { type: 'string' },
  },
} as const;

export function registerPointsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>(
    '/v1/members/:id/points',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['loyalty'],
        summary:
          'Points: available and pending balances (sums of the ledger), open lots, the ledger newest first',
        params: idParams,
        querystring: pageQuery(),
        response: {
          200: {
            type: 'object',
            properties: {
              memberId: { type: 'string' },
              available: { type: 'integer' },
              pending: { type: 'integer' },
              lots: { type: 'array', items: lotSchema },
              ledger: { type: 'array', items: ledgerSchema },
              nextCursor: { type: ['string', 'null'], description: 'Older ledger entries' },
            },
          },
        },
      },
    },
    async (request) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      return pointsOf(db, memberId, request.query);
    },
  );
}
