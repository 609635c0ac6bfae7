/** Errors other contexts may expect from this one (ORDER.INVALID_TRANSITION, ORDER.NOT_CANCELLABLE). */

export {
  DEFAULT_PICKUP_HOLD_DAYS,
  FULFILLMENT_ACTIONS,
  FULFILLMENT_LIFECYCLES,
  FULFILLMENT_STATUSES,
  type FulfillmentAction,
  type FulfillmentLifecycle,
  type FulfillmentStatus,
  fulfillmentActions,
  generatePickupCode,
  isPickupCode,
  PickupErrors,
  pickupDeadline,
  type RandomInt,
  transitionFulfillment,
} from '../fulfillment/index.js';
export { OrderErrors } from './orders.errors.js';
/**
 * The fulfillment groups' lifecycle and pickup codes, as this hub has always exported them; they are
 * fulfillment's (fulfillment/index.ts).
 */
/** The order hub's events (also importable from orders.events.ts, which depends on the platform alone). */
export {
  OrderCancelled,
  OrderCompleted,
  OrderLinesCancelled,
  OrderPaid,
  OrderPlaced,
} from './orders.events.js';
/**
 * The order hub's pure rules: the order lifecycle (a transition table, its guards, the order status implied by
 * its groups) and pricing in fen with discounts and points apportioned to lines.
 */
export {
  type AppliedDiscount,
  type ApportionPart,
  apportion,
  apportionDiscount,
  canCancelOrder,
  canTransitionOrder,
  type DiscountInput,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderPricing,
  type OrderStatus,
  orderMovesFromFulfillments,
  orderStatusFromFulfillments,
  type PricedLine,
  type PricingLineInput,
  priceOrder,
  transitionOrder,
} from './orders.rules.js';

import Type from 'typebox';
import { PaymentFailed, PaymentSucceeded } from '../payments/index.js';
import { type AppContext, type AppModule, isEvent, memberViewSection, payloadOf } from '../platform/index.js';
import { registerCartRoutes } from './cart.routes.js';
import { listOrders } from './lists.service.js';
import { registerOptionsRoutes } from './options.routes.js';
import { OrderSummary } from './orders.contract.js';
import { type OrdersDeps, ordersDeps } from './orders.deps.js';
import { registerOrderRoutes } from './orders.routes.js';
import { paymentFailed, paymentSucceeded } from './payment-outcomes.service.js';
import { registerTillRoutes } from './till.routes.js';
import {
  expireUnpaidOrder,
  ORDER_EXPIRE_JOB,
  sweepUnpaidOrders,
  UNPAID_SWEEP_JOB,
} from './unpaid.service.js';

/** List orders (the console, a member's 360 view). */
/**
 * Orders of the brand's history, written by an import: completed, marked with the import, no stock, no points,
 * nothing sent; an order number already here is left alone (`order.imported` per new order).
 */
export { type HistoryOrder, writeHistoryOrders } from './history.service.js';
export { listOrders } from './lists.service.js';
/** What fulfillment needs of an order (its row, its timeline, its status following its groups), passed to it. */
export { orderLink } from './order-link.js';
/** The request schemas after-sales accepts the same way: a delivery address, lines of SKUs and quantities. */
export { NewAddress, SkuLines } from './orders.contract.js';
/** The order hub's dependencies for a node's database (after-sales places orders too). */
export { type OrdersDeps, ordersDeps } from './orders.deps.js';
/**
 * An order's row, and a step on an order's timeline (after-sales records returns and refunds there; fulfillment
 * its groups' work).
 */
export { addTimeline, type OrderRow, requireOrderRow, type TimelineEntryInput } from './orders.rows.js';
export type { OrdersTables } from './orders.schema.js';
/** The demo brand's orders across channels; idempotent. */
export { seedOrders } from './orders.seed.js';
export type { Reason, SystemReason } from './orders.timeline.js';
export type { PlaceOrderInput } from './place.rules.js';
/** Place an order inside the caller's transaction (an order with nothing to pay is paid at once). */
export { placeOrder } from './place.service.js';
/** Read an order and its view (after-sales shows the order a return belongs to). */
export { getOrderView, type OrderView, type OrderViewer } from './views.service.js';

function depsOf(ctx: AppContext): OrdersDeps {
  return ordersDeps(ctx.database, ctx.config);
}

/**
 * The order hub: any channel's order, sourced and reserved; payments; cancelling an order or some of its units;
 * the deadline that cancels unpaid orders. Its groups' work (a store's tasks, pickups, re-sourcing) is
 * fulfillment's module, which this hub passes `orderLink`.
 */
export const ordersModule: AppModule = {
  name: 'orders',
  routes: (app, ctx) => {
    registerOrderRoutes(app, ctx);
    registerTillRoutes(app, ctx);
    registerCartRoutes(app, ctx);
    registerOptionsRoutes(app, ctx);
  },
  jobs: (ctx) => {
    const deps = depsOf(ctx);
    return {
      [UNPAID_SWEEP_JOB]: (trx) => sweepUnpaidOrders(trx, deps),
      [ORDER_EXPIRE_JOB]: (trx, job) => expireUnpaidOrder(trx, deps, String(job.payload.orderId)),
    };
  },
  consumers: (ctx) => {
    const deps = depsOf(ctx);
    return [
      {
        name: 'orders.payments',
        topics: ['payment'],
        types: [PaymentSucceeded.type, PaymentFailed.type],
        handle: async (trx, event) => {
          if (isEvent(PaymentSucceeded, event))
            await paymentSucceeded(trx, deps, payloadOf(PaymentSucceeded, event));
          else await paymentFailed(trx, payloadOf(PaymentFailed, event));
        },
      },
    ];
  },
  // A member's orders and cart follow them through merges (and back on unmerge), and the 360 view shows the latest from
  // every channel.
  memberReferences: [
    { table: 'orders', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'cart_lines', memberColumn: 'member_id', keyColumn: 'id' },
  ],
  memberViewSections: {
    recentOrders: memberViewSection(
      Type.Array(OrderSummary),
      async (db, memberId, viewer) =>
        (await listOrders(db, { memberId, limit: 10, ...(viewer.store ? { store: viewer.store } : {}) }))
          .items,
    ),
  },
};
