import { cancelOpenGroups, groupLinesOf, groupsOfOrder, liveGroupIdsOf } from '../fulfillment/index.js';
import { restoreOrderBenefits } from '../loyalty/index.js';
import { listRefunds, startRefund } from '../payments/index.js';
import { appendEvents, type Engine, nowIso, type Trx } from '../platform/index.js';
import { groupRefundAmount } from './cancel.rules.js';
import type { OrdersDeps } from './orders.deps.js';
import { OrderErrors } from './orders.errors.js';
import { OrderCancelled } from './orders.events.js';
import { addTimeline, moveOrder, type OrderRow, orderEvent, requireOrderRow } from './orders.rows.js';
import type { Reason } from './orders.timeline.js';

/*
 * Cancelling a whole order, and refunding a group cancelled on its own.
 */

/**
 * Cancels an order inside the caller's transaction: frees every reservation and open transfer, cancels the groups
 * that have not finished, refunds what was paid, and emits `order.cancelled`.
 */
export async function cancelOrderInTransaction(
  trx: Trx,
  order: OrderRow,
  reason: Reason,
  actor: string | null,
  options: { refund: boolean },
  engine: Engine,
): Promise<void> {
  const groups = await groupsOfOrder(trx, order.id);
  const statuses = groups.map((g) => g.status);
  const now = nowIso();
  const moved = await moveOrder(
    trx,
    order,
    'cancelled',
    { code: 'order.cancelled', params: reason, actor },
    statuses,
    {
      cancelled_at: now,
      cancel_reason: reason.reason,
    },
  );
  if (!moved) throw OrderErrors.invalidTransition(`Order ${order.id} changed meanwhile; read it again`);
  const events = await cancelOpenGroups(trx, engine, groups, actor, now);
  const paid = Number(order.paid_amount);
  if (options.refund && paid > 0) {
    // Groups cancelled earlier may have been refunded already; refund the rest.
    // (a failed refund is still owed: the provider retries it).
    const already = (await listRefunds(trx, order.id)).reduce((sum, r) => sum + r.amount, 0);
    const amount = paid - already;
    if (amount > 0) {
      await startRefund(trx, {
        orderId: order.id,
        amount,
        reason: `Order cancelled: ${reason.reason}`,
        reference: `cancel:${order.id}`,
      });
      await addTimeline(trx, order.id, {
        kind: 'refund',
        code: 'refund.started',
        params: { amount },
        actor,
        data: { amount },
      });
    }
  }
  // Coupons come back while still valid, points paid with come back (loyalty also reacts to the event; it is
  // idempotent by order).
  await restoreOrderBenefits(trx, { orderId: order.id });
  events.push(
    orderEvent(order, OrderCancelled, {
      memberId: order.member_id,
      reason: reason.reason,
      paidAmount: paid,
    }),
  );
  await appendEvents(trx, events);
}

export async function cancelOrder(
  trx: Trx,
  deps: OrdersDeps,
  id: string,
  reason: Reason,
  actor: string,
): Promise<void> {
  const order = await requireOrderRow(trx, id);
  await cancelOrderInTransaction(trx, order, reason, actor, { refund: true }, deps.engine);
}

/** Refunds what a cancelled group's lines were paid (money only; the order keeps its other groups). */
export async function refundGroup(trx: Trx, order: OrderRow, groupId: string, reason: Reason): Promise<void> {
  if (Number(order.paid_amount) === 0) return;
  const lines = await groupLinesOf(trx, groupId);
  const orderLines = await trx
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', order.id)
    .execute();
  const amount = groupRefundAmount(
    lines.map((l) => ({ sku: l.sku, quantity: Number(l.quantity) })),
    orderLines.map((l) => ({
      sku: l.sku,
      quantity: Number(l.quantity),
      paidAmount: Number(l.paid_amount),
      pointsAmount: Number(l.points_amount),
    })),
  );
  // A whole order cancelled this way is refunded in full by cancelOrderInTransaction instead.
  const live = await liveGroupIdsOf(trx, order.id);
  if (live.length === 0 || amount === 0) return;
  await startRefund(trx, { orderId: order.id, amount, reason: reason.reason, reference: `group:${groupId}` });
  await addTimeline(trx, order.id, {
    kind: 'refund',
    code: 'refund.started',
    params: { amount, ...reason },
    actor: 'system',
    data: { fulfillmentId: groupId, amount },
  });
}
