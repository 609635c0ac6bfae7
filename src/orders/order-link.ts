import type { OrderLink } from '../fulfillment/index.js';
import { cancelOrderInTransaction, refundGroup } from './cancel.service.js';
import { syncOrderWithFulfillments } from './order-status.service.js';
import { OrderErrors } from './orders.errors.js';
import { addTimeline, requireOrderRow } from './orders.rows.js';
import { personReason, systemReason } from './orders.timeline.js';

/**
 * What the order hub gives fulfillment: a group's work reads its order, writes on the order's timeline, and the
 * order follows its groups (completed, or cancelled and refunded).
 */
export const orderLink: OrderLink = {
  requireOrder: requireOrderRow,
  unpaidOf: async (db, orderIds) =>
    new Set(
      orderIds.length === 0
        ? []
        : (
            await db
              .selectFrom('orders')
              .select('id')
              .where('id', 'in', orderIds)
              .where('status', '=', 'pending_payment')
              .execute()
          ).map((row) => row.id),
    ),
  addTimeline,
  followGroups: syncOrderWithFulfillments,
  cancelOrder: (trx, engine, order, reason, actor) =>
    cancelOrderInTransaction(trx, order, reason, actor, { refund: true }, engine),
  refundGroup,
  systemReason,
  personReason,
  invalidTransition: OrderErrors.invalidTransition,
};
