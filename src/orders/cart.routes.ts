import { memberInScope } from '../members/index.js';
import { type Api, type AppContext, command, idParams } from '../platform/index.js';
import { Cart, CartLineChange, CartLineParams } from './cart.contract.js';
import { cartOf, removeCartLine, setCartLine } from './cart.service.js';

/** Her own cart from her phone or the shop's app; HQ reads it when she calls for help. */
const CART_ROLES = ['customer', 'channel', 'admin', 'ops'] as const;
const CART_WRITERS = ['customer', 'channel'] as const;

/**
 * Her cart (购物车), kept on the server: the same on her phone and in the app, after a reload or the next login.
 * Checkout is an ordinary order of its lines; the order takes them off the cart.
 */
export function registerCartRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/cart',
    {
      config: { auth: { roles: CART_ROLES } },
      schema: {
        tags: ['orders'],
        summary:
          'Her cart: each SKU with its quantity and the catalogue’s name, price and whether it is on sale',
        params: idParams,
        response: { 200: Cart },
      },
    },
    async (request) => cartOf(db, await memberInScope(db, request.principal, request.params.id)),
  );

  app.put(
    '/v1/members/:id/cart/:sku',
    {
      config: { auth: { roles: CART_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Put a SKU in her cart with this quantity, or change the quantity of its line',
        description:
          'A SKU off sale is refused (409 ORDER.SKU_NOT_SELLABLE), an unknown one is 404 CATALOG.SKU_NOT_FOUND; a cart holds at most 50 lines (409 CART.FULL). Answers the whole cart.',
        params: CartLineParams,
        body: CartLineChange,
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const memberId = await memberInScope(db, request.principal, request.params.id);
      return command(ctx, request, reply, 200, (trx) =>
        setCartLine(trx, memberId, request.params.sku, request.body, ctx.database.engine),
      );
    },
  );

  app.delete(
    '/v1/members/:id/cart/:sku',
    {
      config: { auth: { roles: CART_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Take a SKU off her cart (answers the cart left); one not in it changes nothing',
        params: CartLineParams,
        response: { 200: Cart },
      },
    },
    async (request, reply) => {
      const memberId = await memberInScope(db, request.principal, request.params.id);
      return command(ctx, request, reply, 200, (trx) => removeCartLine(trx, memberId, request.params.sku));
    },
  );
}
