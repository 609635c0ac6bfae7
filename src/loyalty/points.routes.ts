import { type Api, type AppContext, idParams } from '../platform/index.js';
import { Points, PointsQuery } from './loyalty.contract.js';
import { memberFor, READERS } from './loyalty.routes.js';
import { pointsOf } from './points.service.js';

export function registerPointsRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/points',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['loyalty'],
        summary:
          'Points: available and pending balances (sums of the ledger), open lots, the ledger newest first',
        params: idParams,
        querystring: PointsQuery,
        response: { 200: Points },
      },
    },
    async (request) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      return pointsOf(db, memberId, request.query);
    },
  );
}
