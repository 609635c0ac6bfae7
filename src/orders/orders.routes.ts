import { seesPickupCodes } from '../fulfillment/index.js';
import { maskCouponCode } from '../loyalty/index.js';
import { memberCodeKey, memberOfCode, retryOnRace } from '../members/index.js';
import { type Counter, listPayments, PaymentErrors, startPayment } from '../payments/index.js';
import {
  type Api,
  type AppContext,
  AuthErrors,
  actorName,
  actorOf,
  assertMemberAccess,
  assertStoreAccess,
  command,
  idParams,
  isStoreScoped,
  type Principal,
  pageOf,
  RequestErrors,
  reasonBody,
  STAFF_ROLES,
  scopedStore,
} from '../platform/index.js';
import { cancelOrder } from './cancel.service.js';
import { cancelOrderLines } from './cancel-lines.service.js';
import { listOrders } from './lists.service.js';
import {
  LinesToCancel,
  NewOrder,
  type NewPayment,
  NewPayment as NewPaymentSchema,
  Order,
  OrderQuery,
  OrderQuote,
  OrderSummary,
  OrderWithPayments,
  PaymentStarted,
  QuoteRequest,
} from './orders.contract.js';
import { ordersDeps } from './orders.deps.js';
import { OrderErrors } from './orders.errors.js';
import { requireOrderRow } from './orders.rows.js';
import { personReason } from './orders.timeline.js';
import { sharesTransaction } from './place.rules.js';
import { placeOrder } from './place.service.js';
import { quoteOrder } from './quote.service.js';
import { getOrderView, type OrderViewer, orderTouchesStore, toOrderView } from './views.service.js';

const ORDER_WRITERS = ['admin', 'ops', 'store_manager', 'guide', 'channel', 'customer'] as const;

function viewerOf(principal: Principal): OrderViewer {
  return { seesPickupCodes: seesPickupCodes(principal), seesPersonalData: principal.role !== 'guide' };
}

/**
 * Who may order what: a customer as herself through the shop or the mini-program, a channel's key in its own
 * channel, store staff for their own store.
 */
function assertMayOrder(
  principal: Principal,
  body: {
    channel: string;
    storeCode?: string | undefined;
    memberId?: string | undefined;
    customer?: unknown;
  },
): void {
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
}

/**
 * The counter a cash payment is taken at: only the staff of the store that made the sale, who stand at its
 * counter — not a channel's key, HQ, the customer or another store's staff (who may see an order their store
 * fulfils). `tendered` comes with cash and only with cash.
 */
function cashCounter(
  principal: Principal,
  saleStore: string | null,
  body: NewPayment,
  staff: string,
): (Counter & { tendered: number }) | undefined {
  if (body.provider !== 'cash') {
    if (body.tendered !== undefined) {
      throw RequestErrors.invalid('tendered is for cash only', {
        errors: [{ path: 'tendered', message: 'only with provider cash' }],
      });
    }
    return undefined;
  }
  if (!isStoreScoped(principal) || saleStore === null || principal.storeCode !== saleStore) {
    throw PaymentErrors.cashNotAtCounter(
      saleStore === null
        ? 'This order was not sold at a store: there is no counter to take cash at'
        : `Cash for this sale is taken at store ${saleStore}'s counter by its staff`,
    );
  }
  if (body.tendered === undefined) {
    throw RequestErrors.invalid('Cash needs the amount handed over', {
      errors: [{ path: 'tendered', message: 'required with provider cash' }],
    });
  }
  return { store: saleStore, staff, tendered: body.tendered };
}

export function registerOrderRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;
  const deps = ordersDeps(ctx.database, ctx.config);
  const codeKey = memberCodeKey(ctx.config.secret);

  /**
   * A member code (会员码) scanned at the till in place of memberId: it names her. Returns whether she was named so
   * (her showing it lets the till use her coupons).
   */
  const takeMemberCode = async (body: { memberId?: string | undefined; memberCode?: string | undefined }) => {
    if (body.memberCode === undefined) return false;
    const memberId = await memberOfCode(ctx.database.db, codeKey, body.memberCode);
    if (body.memberId !== undefined && body.memberId !== memberId) {
      throw RequestErrors.invalid('memberId and memberCode name different members', {
        errors: [{ path: 'memberCode', message: 'names another member than memberId' }],
      });
    }
    body.memberId = memberId;
    delete body.memberCode;
    return true;
  };

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

  app.post(
    '/v1/orders',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Place an order from any channel: priced, sourced, stock reserved (all or nothing)',
        description:
          'Idempotent by `externalId` per channel (the same number with the same content returns the first order; with other content 409 ORDER.EXTERNAL_ID_CONFLICT) and by Idempotency-Key. Nothing can fulfil it → 409 FULFILLMENT.NO_SOURCE with the explanation.',
        body: NewOrder,
        response: { 201: Order },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      await takeMemberCode(body);
      assertMayOrder(principal, body);
      // A new member made from `customer.identifiers` may race another request on PostgreSQL: run it again.
      return retryOnRace(() =>
        command(
          ctx,
          request,
          reply,
          201,
          async (trx) => {
            const placed = await placeOrder(trx, deps, body, actorOf(request));
            return placed.rows
              ? toOrderView(placed.rows, deps, viewerOf(principal))
              : getOrderView(trx, deps, placed.orderId, viewerOf(principal));
          },
          { shared: sharesTransaction(body) },
        ),
      );
    },
  );

  app.post(
    '/v1/orders/quote',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary:
          'Price a basket before it is an order: the chosen coupons and points, and the buyer’s other coupons',
        description:
          'Reads only (nothing is reserved or spent). The chosen coupons and points are refused with the problem the order would get (COUPON.NOT_APPLICABLE with its `rule`, LOYALTY.INSUFFICIENT_POINTS, ORDER.POINTS_EXCEED_PAYABLE). `coupons` lists every valid coupon the buyer holds, best first, with what each takes off alone or the rule that stops it; store staff see them masked, unless she shows her member code (`memberCode` in place of `memberId`).',
        body: QuoteRequest,
        response: { 200: OrderQuote },
      },
    },
    async (request) => {
      const principal = request.principal;
      const body = request.body;
      const shownByHer = await takeMemberCode(body);
      assertMayOrder(principal, body);
      const quote = await quoteOrder(db, body);
      // Store staff see her coupons' codes only while she shows her member code at their till.
      if (!isStoreScoped(principal) || shownByHer) return quote;
      return {
        ...quote,
        coupons: quote.coupons.map((o) => ({
          ...o,
          coupon: { ...o.coupon, code: maskCouponCode(o.coupon.code) },
        })),
      };
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel', 'customer'] } },
      schema: {
        tags: ['orders'],
        summary: 'An order: lines, amounts, plan and explanation, fulfillments, timeline',
        params: idParams,
        response: { 200: OrderWithPayments },
      },
    },
    async (request) => {
      await assertOrderAccess(request.principal, request.params.id);
      const view = await getOrderView(db, deps, request.params.id, viewerOf(request.principal));
      return { ...view, payments: await listPayments(db, request.params.id) };
    },
  );

  app.get(
    '/v1/orders',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel', 'customer'] } },
      schema: {
        tags: ['orders'],
        summary:
          'Orders newest first, by channel, store (sold, held or fulfilled there), status, member and date',
        querystring: OrderQuery,
        response: { 200: pageOf(OrderSummary) },
      },
    },
    async (request) => {
      const principal = request.principal;
      const filter = { ...request.query, store: scopedStore(principal, request.query.store) };
      if (principal.role === 'customer') filter.memberId = principal.memberId;
      return listOrders(db, filter);
    },
  );

  app.post(
    '/v1/orders/:id/payments',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        response: {
          201: PaymentStarted,
        },
        tags: ['orders'],
        summary:
          'Pay an order: answers `pending`; the order becomes paid when the provider’s signed notification arrives',
        params: idParams,
        description:
          'With `provider: "cash"` the staff of the store that made the sale take cash at its counter: `tendered` (at least `amount`) is what she handed over; the payment succeeds at once with the change to give back (`change`) and the order becomes paid as with any provider. Anyone else → 403 PAYMENT.CASH_NOT_AT_COUNTER; too little → 400 PAYMENT.CASH_TENDERED_SHORT.',
        body: NewPaymentSchema,
      },
    },
    async (request, reply) => {
      const row = await assertOrderAccess(request.principal, request.params.id);
      const counter = cashCounter(
        request.principal,
        row.store_code,
        request.body,
        actorName(actorOf(request)),
      );
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
          counter,
        });
        return {
          id: payment.id,
          status: payment.status,
          orderId: order.id,
          amount: payment.amount,
          provider: payment.provider,
          ...(payment.cash ? { tendered: payment.cash.tendered, change: payment.cash.change } : {}),
        };
      });
    },
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Cancel before anything has shipped or been handed over: stock freed, payment refunded',
        params: idParams,
        body: reasonBody,
        response: { 200: Order },
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

  app.post(
    '/v1/orders/:id/lines/cancel',
    {
      config: { auth: { roles: ORDER_WRITERS } },
      schema: {
        tags: ['orders'],
        summary: 'Cancel some units of a paid order before they ship: stock freed, their money refunded',
        params: idParams,
        body: LinesToCancel,
        response: { 200: Order },
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
