import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { seesPickupCodes } from '../fulfillment/index.js';
import { retryOnRace } from '../members/index.js';
import { listPayments, PAYMENT_STATUSES, startPayment } from '../payments/index.js';
import {
  type AppContext,
  AuthErrors,
  actorName,
  actorOf,
  assertMemberAccess,
  assertStoreAccess,
  CHANNELS,
  type Channel,
  codeString as code,
  command,
  idParams,
  isStoreScoped,
  listQuery,
  type Principal,
  pageOf,
  pageQuery,
  reasonBody,
  STAFF_ROLES,
  StringEnum,
  scopedStore,
} from '../platform/index.js';
import { cancelOrder } from './cancel.service.js';
import { cancelOrderLines } from './cancel-lines.service.js';
import { listOrders } from './lists.service.js';
import { ordersDeps } from './orders.deps.js';
import { OrderErrors } from './orders.errors.js';
import { orderSchema, orderSummarySchema } from './orders.openapi.js';
import { requireOrderRow } from './orders.rows.js';
import type { OrderStatus } from './orders.rules.js';
import { personReason } from './orders.timeline.js';
import type { PlaceOrderInput } from './place.rules.js';
import { placeOrder } from './place.service.js';
import { getOrderView, type OrderViewer, orderTouchesStore, toOrderView } from './views.service.js';

const ORDER_WRITERS = ['admin', 'ops', 'store_manager', 'guide', 'channel', 'customer'] as const;

/** A delivery address: where the carrier or the same-day rider goes (also a delivered exchange's). */
export const addressSchema = {
  type: 'object',
  required: ['city', 'lat', 'lng'],
  additionalProperties: false,
  properties: {
    city: { type: 'string', minLength: 1, maxLength: 50 },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lng: { type: 'number', minimum: -180, maximum: 180 },
    line1: { type: 'string', maxLength: 200 },
    name: { type: 'string', maxLength: 50 },
    phone: { type: 'string', maxLength: 30 },
  },
} as const;

/** Units of SKUs: an order's lines, or some of them (to cancel, to return, to exchange). */
export const skuLinesSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 100,
  items: {
    type: 'object',
    required: ['sku', 'quantity'],
    additionalProperties: false,
    properties: { sku: code, quantity: { type: 'integer', minimum: 1, maximum: 999 } },
  },
} as const;

const placeOrderBody = {
  type: 'object',
  required: ['channel', 'lines', 'fulfillment'],
  additionalProperties: false,
  properties: {
    channel: { type: 'string', enum: [...CHANNELS] },
    externalId: { type: 'string', minLength: 1, maxLength: 100 },
    storeCode: code,
    guide: { type: 'string', maxLength: 64 },
    memberId: { type: 'string', maxLength: 64 },
    customer: {
      type: 'object',
      required: ['identifiers'],
      additionalProperties: false,
      properties: {
        identifiers: {
          type: 'array',
          minItems: 1,
          maxItems: 10,
          items: {
            type: 'object',
            required: ['type', 'value'],
            additionalProperties: false,
            properties: {
              type: {
                type: 'string',
                enum: ['phone', 'unionid', 'openid', 'email', 'card', 'marketplace', 'device'],
              },
              value: { type: 'string', minLength: 1, maxLength: 200 },
              appId: { type: 'string', maxLength: 100 },
              verified: { type: 'boolean' },
            },
          },
        },
      },
    },
    lines: skuLinesSchema,
    fulfillment: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string', enum: ['delivery', 'pickup', 'same_day', 'carry_out'] },
        address: addressSchema,
        store: code,
      },
      // Delivery and same-day need an address, a pickup a store (JSON Schema's if/then).
      if: { properties: { type: { enum: ['delivery', 'same_day'] } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
      then: { required: ['address'] },
      else: {
        if: { properties: { type: { const: 'pickup' } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema keyword
        then: { required: ['store'] },
      },
    },
    couponCodes: { type: 'array', maxItems: 10, items: code },
    pointsToRedeem: { type: 'integer', minimum: 0, maximum: 100_000_000 },
    holdSeconds: { type: 'integer', minimum: 1, maximum: 7 * 24 * 3600 },
  },
} as const;

function viewerOf(principal: Principal): OrderViewer {
  return { seesPickupCodes: seesPickupCodes(principal), seesPersonalData: principal.role !== 'guide' };
}

export function registerOrderRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const deps = ordersDeps(ctx.database, ctx.config);

  /** Who may see an order: HQ and channels all; a store the orders it sold, holds or fulfils; a customer their own. */
  async function assertOrderAccess(principal: Principal, orderId: string) {
    const order = await requireOrderRow(db, orderId);
    if (principal.role === 'customer') {
      if (order.member_id !== principal.memberId)
        throw AuthErrors.forbidden('A customer may only see their own orders');
    } else if (isStoreScoped(principal) && !(await orderTouchesStore(db, order, principal.storeCode))) {
      throw AuthErrors.storeForbidden(`Order ${orderId} does not concern store ${principal.storeCode}`);
    }
    return order;
  }

  app.post<{ Body: PlaceOrderInput }>(
    '/v1/orders',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Place an order from any channel: priced, sourced, stock reserved (all or nothing)',
        description:
          'Idempotent by `externalId` per channel (the same number with the same content returns the first order; with other content 409 ORDER.EXTERNAL_ID_CONFLICT) and by Idempotency-Key. Nothing can fulfil it → 409 FULFILLMENT.NO_SOURCE with the explanation.',
        body: placeOrderBody,
        response: { 201: orderSchema },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      if (principal.role === 'customer') {
        if (body.memberId !== undefined) assertMemberAccess(principal, body.memberId);
        if (body.customer !== undefined)
          throw AuthErrors.forbidden('A customer orders as themself: leave out customer');
        body.memberId = principal.memberId;
        if (body.channel !== 'online' && body.channel !== 'mini_program') {
          throw AuthErrors.forbidden('A customer orders through the online shop or the mini-program');
        }
      }
      if (principal.role === 'channel' && principal.channel !== body.channel) {
        throw AuthErrors.forbidden(`This API key belongs to channel ${principal.channel}`);
      }
      if (isStoreScoped(principal)) {
        assertStoreAccess(principal, body.storeCode ?? null);
      }
      // A new member made from `customer.identifiers` may race another request on PostgreSQL: run it again.
      return retryOnRace(() =>
        command(ctx, request, reply, 201, async (trx) => {
          const placed = await placeOrder(trx, deps, body, actorOf(request));
          return placed.rows
            ? toOrderView(placed.rows, deps, viewerOf(principal))
            : getOrderView(trx, deps, placed.orderId, viewerOf(principal));
        }),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/orders/:id',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel', 'customer'] } },
      schema: {
        tags: ['orders'],
        summary: 'An order: lines, amounts, plan and explanation, fulfillments, timeline',
        params: idParams,
        response: { 200: orderSchema },
      },
    },
    async (request) => {
      await assertOrderAccess(request.principal, request.params.id);
      const view = await getOrderView(db, deps, request.params.id, viewerOf(request.principal));
      return { ...view, payments: await listPayments(db, request.params.id) };
    },
  );

  app.get<{
    Querystring: {
      channel?: Channel;
      store?: string;
      status?: OrderStatus;
      memberId?: string;
      from?: string;
      to?: string;
      limit: number;
      cursor?: string;
    };
  }>(
    '/v1/orders',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel', 'customer'] } },
      schema: {
        tags: ['orders'],
        summary:
          'Orders newest first, by channel, store (sold, held or fulfilled there), status, member and date',
        querystring: pageQuery(
          {
            channel: { type: 'string', enum: [...CHANNELS] },
            store: code,
            status: {
              type: 'string',
              enum: ['pending_payment', 'paid', 'fulfilling', 'completed', 'cancelled'],
            },
            memberId: { type: 'string' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
          },
          // Order cursors have no length cap (unlike listQuery's).
          { limit: listQuery.limit, cursor: Type.Optional(Type.String()) },
        ),
        response: { 200: pageOf(orderSummarySchema) },
      },
    },
    async (request) => {
      const principal = request.principal;
      const filter = { ...request.query, store: scopedStore(principal, request.query.store) };
      if (principal.role === 'customer') filter.memberId = principal.memberId;
      return listOrders(db, filter);
    },
  );

  app.post<{
    Params: { id: string };
    Body: { provider: string; amount: number; simulate?: 'approve' | 'decline' };
  }>(
    '/v1/orders/:id/payments',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        response: {
          201: Type.Object({
            id: Type.String(),
            status: StringEnum(PAYMENT_STATUSES),
            orderId: Type.String(),
            amount: Type.Integer(),
            provider: Type.String(),
          }),
        },
        tags: ['orders'],
        summary:
          'Pay an order: answers `pending`; the order becomes paid when the provider’s signed notification arrives',
        params: idParams,
        body: {
          type: 'object',
          required: ['provider', 'amount'],
          additionalProperties: false,
          properties: {
            provider: { type: 'string', enum: ['simulated'] },
            amount: { type: 'integer', minimum: 1, maximum: 2_000_000_000 },
            simulate: { type: 'string', enum: ['approve', 'decline'] },
          },
        },
      },
    },
    async (request, reply) => {
      await assertOrderAccess(request.principal, request.params.id);
      return command(ctx, request, reply, 201, async (trx) => {
        const order = await requireOrderRow(trx, request.params.id);
        if (order.status !== 'pending_payment')
          throw OrderErrors.notPayable(`Order ${order.id} is ${order.status}`);
        const due = Number(order.payable_amount) - Number(order.paid_amount);
        if (request.body.amount !== due) {
          throw OrderErrors.paymentAmountMismatch(
            `Order ${order.id} asks for ${due} fen, not ${request.body.amount}`,
            {
              errors: [{ path: 'amount', message: `must be ${due}` }],
            },
          );
        }
        const payment = await startPayment(trx, {
          orderId: order.id,
          amount: request.body.amount,
          provider: request.body.provider,
          simulate: request.body.simulate,
        });
        return {
          id: payment.id,
          status: payment.status,
          orderId: order.id,
          amount: payment.amount,
          provider: payment.provider,
        };
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/v1/orders/:id/cancel',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Cancel before anything has shipped or been handed over: stock freed, payment refunded',
        params: idParams,
        body: reasonBody,
        response: { 200: orderSchema },
      },
    },
    async (request, reply) => {
      await assertOrderAccess(request.principal, request.params.id);
      // The order as it now is, made inside the command: a replay of the same Idempotency-Key answers it again.
      return command(ctx, request, reply, 200, async (trx) => {
        await cancelOrder(
          trx,
          deps,
          request.params.id,
          personReason(request.body?.reason, `cancelled by ${request.principal.role}`),
          actorName(actorOf(request)),
        );
        return getOrderView(trx, deps, request.params.id, viewerOf(request.principal));
      });
    },
  );

  app.post<{ Params: { id: string }; Body: { lines: { sku: string; quantity: number }[]; reason?: string } }>(
    '/v1/orders/:id/lines/cancel',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Cancel some units of a paid order before they ship: stock freed, their money refunded',
        params: idParams,
        body: {
          type: 'object',
          required: ['lines'],
          additionalProperties: false,
          properties: { lines: skuLinesSchema, reason: { type: 'string', maxLength: 200 } },
        },
        response: { 200: orderSchema },
      },
    },
    async (request, reply) => {
      await assertOrderAccess(request.principal, request.params.id);
      return command(ctx, request, reply, 200, async (trx) => {
        await cancelOrderLines(
          trx,
          deps,
          request.params.id,
          request.body.lines,
          personReason(request.body.reason, `cancelled by ${request.principal.role}`),
          actorName(actorOf(request)),
        );
        return getOrderView(trx, deps, request.params.id, viewerOf(request.principal));
      });
    },
  );
}
