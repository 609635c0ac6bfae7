import {
  type Api,
  type AppContext,
  AuthErrors,
  actorOf,
  command,
  idParams,
  isStoreScoped,
  type Principal,
  STAFF_ROLES,
} from '../platform/index.js';
import {
  Exchange,
  ExchangeQuery,
  ExchangeWithReturn,
  NewExchange,
  unpagedListOf,
} from './aftersales.contract.js';
import { assertReturnAccess, READERS, returnReaderOf } from './aftersales.http.js';
import { createExchange, type ExchangeRequest, getExchange, listExchanges } from './exchanges.service.js';
import { getReturn } from './return-views.js';
import type { AftersalesDeps } from './returns.service.js';

/** Exchanges at a store: the old units returned there, a replacement order with their value as credit. */
export function registerExchangesRoutes(app: Api, ctx: AppContext, deps: AftersalesDeps): void {
  const db = ctx.database.db;
  const readerOf = (principal: Principal) => returnReaderOf(deps.orders.pii, principal);

  app.post(
    '/v1/exchanges',
    {
      config: {
        auth: { roles: [...STAFF_ROLES, 'channel'], store: (r) => (r.body as ExchangeRequest).location },
      },
      schema: {
        response: { 201: ExchangeWithReturn },
        tags: ['after-sales'],
        summary:
          'Exchange at a store: the old units are returned there, a replacement order takes their value as credit',
        description:
          'A dearer replacement leaves the difference to pay on the replacement order (`POST /v1/orders/{replacementOrderId}/payments`); a cheaper one refunds the difference to the original payment. The replacement’s stock is reserved like any order’s.',
        body: NewExchange,
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.role === 'channel' && principal.channel !== request.body.channel) {
        throw AuthErrors.forbidden(`This API key belongs to channel ${principal.channel}`);
      }
      return command(ctx, request, reply, 201, async (trx) => {
        const { exchangeId } = await createExchange(trx, deps, request.body, actorOf(request));
        const exchange = await getExchange(trx, exchangeId);
        return { ...exchange, return: await getReturn(trx, exchange.returnId, readerOf(principal)) };
      });
    },
  );

  app.get(
    '/v1/exchanges/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: ExchangeWithReturn },
        tags: ['after-sales'],
        summary: 'An exchange: the return, the replacement order, credit, refund and difference to pay',
        params: idParams,
      },
    },
    async (request) => {
      const exchange = await getExchange(db, request.params.id);
      await assertReturnAccess(db, request.principal, exchange.returnId);
      return { ...exchange, return: await getReturn(db, exchange.returnId, readerOf(request.principal)) };
    },
  );

  app.get(
    '/v1/exchanges',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: {
        response: { 200: unpagedListOf(Exchange) },
        tags: ['after-sales'],
        summary: 'The exchanges an order took part in (as the original or as the replacement)',
        querystring: ExchangeQuery,
      },
    },
    async (request) => {
      const items = await listExchanges(db, request.query.orderId);
      const principal = request.principal;
      return {
        items: isStoreScoped(principal) ? items.filter((e) => e.location === principal.storeCode) : items,
        nextCursor: null,
      };
    },
  );
}
