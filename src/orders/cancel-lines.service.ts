import { liveGroupsOf, takeUnitsOut } from '../fulfillment/index.js';
import { reverseForReturn } from '../loyalty/index.js';
import { startRefund } from '../payments/index.js';
import { appendEvents, type Trx } from '../platform/index.js';
import { planLineCancellation } from './cancel.rules.js';
import { syncOrderWithFulfillments } from './order-status.service.js';
import type { OrdersDeps } from './orders.deps.js';
import { OrderErrors } from './orders.errors.js';
import { OrderLinesCancelled } from './orders.events.js';
import { addTimeline, orderEvent, requireOrderRow } from './orders.rows.js';
import type { Reason } from './orders.timeline.js';

/**
 * Cancels some units of a paid order before they leave: their reservations are freed (the group's remaining lines
 * are reserved again at the same location, in the same transaction), groups left empty are cancelled, and the
 * units' money is refunded. Units already shipped or handed over are returns, not cancellations; a group waiting
 * for a transfer is cancelled with the whole order.
 */
export async function cancelOrderLines(
  trx: Trx,
  deps: OrdersDeps,
  orderId: string,
  requested: readonly { sku: string; quantity: number }[],
  reason: Reason,
  actor: string,
): Promise<{ refundAmount: number }> {
  const order = await requireOrderRow(trx, orderId);
  if (order.status !== 'paid' && order.status !== 'fulfilling') {
    throw OrderErrors.invalidTransition(
      `Order ${orderId} is ${order.status}: lines are cancelled on a paid order before they ship (cancel an unpaid order whole)`,
    );
  }
  const orderLines = await trx
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', orderId)
    .execute();
  const live = await liveGroupsOf(trx, orderId);

  const { take, refundAmount, pointsBack, cancelled } = planLineCancellation(
    orderId,
    orderLines.map((l) => ({
      lineNo: Number(l.line_no),
      sku: l.sku,
      quantity: Number(l.quantity),
      paidAmount: Number(l.paid_amount),
      pointsAmount: Number(l.points_amount),
      cancelledQuantity: Number(l.cancelled_quantity),
    })),
    live.map((g) => ({
      id: g.group.id,
      cancellable: g.cancellable,
      lines: g.lines.map((l) => ({ sku: l.sku, quantity: Number(l.quantity) })),
    })),
    requested,
  );
  for (const line of cancelled) {
    await trx
      .updateTable('order_lines')
      .set((eb) => ({ cancelled_quantity: eb('cancelled_quantity', '+', line.quantity) }))
      .where('order_id', '=', orderId)
      .where('line_no', '=', line.lineNo)
      .execute();
  }

  const events = await takeUnitsOut(trx, live, take, orderId, reason.reason, actor);
  const cancelledLines = requested.map((l) => ({ sku: l.sku, quantity: l.quantity }));
  await addTimeline(trx, orderId, {
    kind: 'cancel_lines',
    code: 'order.lines_cancelled',
    params: { lines: cancelledLines, ...reason },
    actor,
    data: { lines: cancelledLines, refundAmount },
  });
  const reference = `lines:${orderId}:${(await trx.selectFrom('order_timeline').select('seq').where('order_id', '=', orderId).where('kind', '=', 'cancel_lines').execute()).length}`;
  if (pointsBack.length > 0) {
    await reverseForReturn(trx, {
      returnId: reference,
      orderId,
      lines: pointsBack,
      wholeOrderReturned: false,
    });
  }
  if (refundAmount > 0) {
    await startRefund(trx, {
      orderId,
      amount: refundAmount,
      reason: `Lines cancelled: ${reason.reason}`,
      reference,
    });
    await addTimeline(trx, orderId, {
      kind: 'refund',
      code: 'refund.started',
      params: { amount: refundAmount },
      actor,
      data: { amount: refundAmount },
    });
  }
  events.push(
    orderEvent(order, OrderLinesCancelled, {
      memberId: order.member_id,
      lines: cancelledLines,
      refundAmount,
      reason: reason.reason,
    }),
  );
  await appendEvents(trx, events);
  await syncOrderWithFulfillments(trx, deps.engine, order, actor);
  return { refundAmount };
}
