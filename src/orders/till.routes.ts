import { type Api, type AppContext, assertStoreAccess, localDay, STAFF_ROLES } from '../platform/index.js';
import { TillDay, TillDayParams, TillDayQuery } from './till.contract.js';
import { tillDay } from './till.service.js';

export function registerTillRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/stores/:code/till',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['orders'],
        summary:
          'A store’s till for one day: sales, voided sales, sales still to pay, by payment and by guide',
        params: TillDayParams,
        querystring: TillDayQuery,
        response: { 200: TillDay },
      },
    },
    async (request) => {
      assertStoreAccess(request.principal, request.params.code);
      const day = request.query.day ?? localDay(new Date(), ctx.config.timeZone);
      return tillDay(ctx.database.db, request.params.code, day);
    },
  );
}
