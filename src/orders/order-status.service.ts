import { groupStatusesOf } from '../fulfillment/index.js';
import { appendEvents, type Engine, nowIso, type Trx } from '../platform/index.js';
import { cancelOrderInTransaction } from './cancel.service.js';
import { OrderCompleted } from './orders.events.js';
import { completedPayload, moveOrder, type OrderRow, orderEvent } from './orders.rows.js';
import { orderMovesFromFulfillments } from './orders.rules.js';
import { systemReason } from './orders.timeline.js';

/**
 * Keeps the order's status in line with its groups (paid → fulfilling → completed, or cancelled when every group
 * is), writing each move on the timeline and emitting `order.completed` for loyalty and analytics.
 */
export async function syncOrderWithFulfillments(
  trx: Trx,
  engine: Engine,
  order: OrderRow,
  actor: string | null,
): Promise<void> {
  const statuses = await groupStatusesOf(trx, order.id);
  for (const to of orderMovesFromFulfillments(order.status, statuses)) {
    const now = nowIso();
    if (to === 'completed') {
      if (
        await moveOrder(trx, order, 'completed', { code: 'order.completed', params: {}, actor }, statuses, {
          completed_at: now,
        })
      ) {
        await appendEvents(trx, [orderEvent(order, OrderCompleted, await completedPayload(trx, order, now))]);
      }
    } else if (to === 'cancelled') {
      await cancelOrderInTransaction(trx, order, systemReason('NO_SOURCE'), actor, { refund: true }, engine);
    } else {
      await moveOrder(trx, order, to, { code: 'order.fulfilling', params: {}, actor }, statuses);
    }
  }
}
