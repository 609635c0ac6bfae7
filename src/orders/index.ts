/** Errors other contexts may expect from this one (ORDER.INVALID_TRANSITION, ORDER.NOT_CANCELLABLE). */
export { OrderErrors } from './orders.errors.js';
/**
 * The order hub's pure rules: the order and fulfillment lifecycles (transition tables, guards, the order status
 * implied by its groups), pricing in fen with discounts and points apportioned to lines, and pickup codes with
 * their deadline.
 */
export {
  type AppliedDiscount,
  type ApportionPart,
  apportion,
  apportionDiscount,
  canCancelOrder,
  canTransitionOrder,
  DEFAULT_PICKUP_HOLD_DAYS,
  type DiscountInput,
  FULFILLMENT_ACTIONS,
  FULFILLMENT_LIFECYCLES,
  FULFILLMENT_STATUSES,
  type FulfillmentAction,
  type FulfillmentLifecycle,
  type FulfillmentStatus,
  fulfillmentActions,
  generatePickupCode,
  isPickupCode,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  type OrderPricing,
  type OrderStatus,
  orderMovesFromFulfillments,
  orderStatusFromFulfillments,
  type PricedLine,
  type PricingLineInput,
  pickupDeadline,
  priceOrder,
  type RandomInt,
  transitionFulfillment,
  transitionOrder,
} from './orders.rules.js';

import { registerMemberReference, registerMemberViewSection } from '../members/index.js';
import type { AppContext, AppModule } from '../platform/index.js';
import {
  ACCEPT_TIMEOUT_JOB,
  acceptTimedOut,
  expireUnpaidOrder,
  PICKUP_DEADLINE_JOB,
  paymentFailed,
  paymentSucceeded,
  pickupDeadlinePassed,
  sweepUnpaidOrders,
  transferReceived,
} from './fulfillments.service.js';
import { addDailyLoad } from './orders.candidates.js';
import { registerOrderRoutes } from './orders.routes.js';
import {
  listOrders,
  ORDER_EXPIRE_JOB,
  type OrdersDeps,
  ordersDeps,
  UNPAID_SWEEP_JOB,
} from './orders.service.js';

/** Place an order inside the caller's transaction (an order with nothing to pay is paid at once). */
export { placeOrder } from './fulfillments.service.js';
export { PickupErrors } from './orders.errors.js';
/** The request schemas after-sales accepts the same way: a delivery address, lines of SKUs and quantities. */
export { addressSchema, skuLinesSchema } from './orders.routes.js';
export type { OrdersTables } from './orders.schema.js';
/** The demo brand's orders across channels; idempotent. */
export { seedOrders } from './orders.seed.js';
/**
 * Place an order inside a transaction (after-sales places an exchange's replacement with a `credit`), read it,
 * list orders, and write a step on an order's timeline (after-sales records returns and refunds there).
 */
export {
  addTimeline,
  getOrderView,
  listOrders,
  type OrdersDeps,
  type OrderView,
  type OrderViewer,
  /** The order hub's dependencies for a node's database (after-sales places orders too). */
  ordersDeps,
  type PlaceOrderInput,
  requireOrderRow,
} from './orders.service.js';

// A member's orders follow them through merges (and back on unmerge), and the 360 view shows the latest from
// every channel.
registerMemberReference({ table: 'orders', memberColumn: 'member_id', keyColumn: 'id' });
registerMemberViewSection(
  'recentOrders',
  async (db, memberId) => (await listOrders(db, { memberId, limit: 10 })).items,
);

function depsOf(ctx: AppContext): OrdersDeps {
  return ordersDeps(ctx.database, ctx.config);
}

/**
 * The order hub: any channel's order, sourced and reserved; payments; fulfillment groups and a store's daily work
 * (accept, reject and re-source, ready with a pickup code, ship, deliver, verify at the counter); the deadlines
 * that cancel unpaid orders, re-source unaccepted tasks and cancel uncollected pickups.
 */
export const ordersModule: AppModule = {
  name: 'orders',
  routes: registerOrderRoutes,
  jobs: (ctx) => {
    const deps = depsOf(ctx);
    return {
      [UNPAID_SWEEP_JOB]: (trx) => sweepUnpaidOrders(trx, deps),
      [ORDER_EXPIRE_JOB]: (trx, job) => expireUnpaidOrder(trx, deps, String(job.payload.orderId)),
      [ACCEPT_TIMEOUT_JOB]: (trx, job) => acceptTimedOut(trx, deps, String(job.payload.fulfillmentId)),
      [PICKUP_DEADLINE_JOB]: (trx, job) => pickupDeadlinePassed(trx, deps, String(job.payload.fulfillmentId)),
    };
  },
  consumers: (ctx) => {
    const deps = depsOf(ctx);
    return [
      {
        name: 'orders.payments',
        topics: ['payment'],
        types: ['payment.succeeded', 'payment.failed'],
        handle: async (trx, event) => {
          const payment = event.payload as {
            paymentId: string;
            orderId: string;
            amount: number;
            provider: string;
            failureReason?: string;
          };
          if (event.type === 'payment.succeeded') await paymentSucceeded(trx, deps, payment);
          else await paymentFailed(trx, payment);
        },
      },
      {
        // Daily capacity: groups taken per location and day, given back when a location rejects one.
        name: 'orders.capacity',
        topics: ['order', 'fulfillment'],
        types: ['order.placed', 'fulfillment.created', 'fulfillment.rejected'],
        handle: async (trx, event) => {
          const payload = event.payload as {
            localDay?: string;
            groups?: { location: string }[];
            location?: string;
            resourcedFrom?: string;
            fulfillmentId?: string;
          };
          if (event.type === 'order.placed') {
            for (const group of payload.groups ?? [])
              await addDailyLoad(trx, payload.localDay ?? event.occurredAt.slice(0, 10), group.location, 1);
          } else if (payload.location && (event.type === 'fulfillment.rejected' || payload.resourcedFrom)) {
            const day = await trx
              .selectFrom('fulfillments')
              .select('local_day')
              .where('id', '=', String(payload.fulfillmentId))
              .executeTakeFirst();
            if (day)
              await addDailyLoad(
                trx,
                day.local_day,
                payload.location,
                event.type === 'fulfillment.rejected' ? -1 : 1,
              );
          }
        },
      },
      {
        name: 'orders.transfers',
        topics: ['inventory'],
        types: ['inventory.transfer_received'],
        handle: (trx, event) =>
          transferReceived(
            trx,
            event.payload as {
              id: string;
              reference: string | null;
              sku: string;
              to: string;
              quantity: number;
            },
          ),
      },
    ];
  },
};
