import { type Api, type AppContext, STAFF_ROLES } from '../platform/index.js';
import { FulfillmentOptions, OptionsRequest } from './options.contract.js';
import { fulfillmentOptions } from './options.service.js';
import { ordersDeps } from './orders.deps.js';

/** The checkout asks sourcing what it can offer before she chooses: pickup where, delivery, same-day. */
export function registerOptionsRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/orders/fulfillment-options',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel', 'customer'] } },
      schema: {
        tags: ['orders'],
        summary:
          'What sourcing can offer a basket now: pickup at each store asked about (from its shelf or after a transfer, ready by when), delivery and same-day to a position, or why not',
        description: 'Reads only: nothing is reserved; placing the order plans again.',
        body: OptionsRequest,
        response: { 200: FulfillmentOptions },
      },
    },
    async (request) =>
      fulfillmentOptions(ctx.database.db, ordersDeps(ctx.database, ctx.config), request.body),
  );
}
