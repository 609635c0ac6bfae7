import { type Api, type AppContext, idParams, readConsistently } from '../platform/index.js';
import { Points, PointsQuery } from './loyalty.contract.js';
import { memberFor, READERS } from './loyalty.routes.js';
import { pointsOf } from './points.service.js';

export function registerPointsRoutes(app: Api, ctx: AppContext): void {
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
      // The balance, the lots and the ledger page from one snapshot: they agree even while points are earned.
      return readConsistently(ctx.database, (trx) => pointsOf(trx, memberId, request.query));
    },
  );
}
