import { startFulfillment } from '../fulfillment/index.js';
import { startRefund } from '../payments/index.js';
import { appendEvents, type Trx } from '../platform/index.js';
import type { OrdersDeps } from './orders.deps.js';
import { OrderPaid } from './orders.events.js';
import { addTimeline, moveOrder, orderEvent } from './orders.rows.js';

/*
 * What a provider's word about a payment does to its order.
 */

/** The provider confirmed a payment: the order is paid and fulfilment starts; a late payment is refunded. */
export async function paymentSucceeded(
  trx: Trx,
  deps: OrdersDeps,
  payment: { paymentId: string; orderId: string; amount: number; provider: string },
): Promise<void> {
  const order = await trx
    .selectFrom('orders')
    .selectAll()
    .where('id', '=', payment.orderId)
    .executeTakeFirst();
  if (!order) return;
  if (order.status !== 'pending_payment') {
    await addTimeline(trx, order.id, {
      kind: 'payment',
      code: 'payment.late',
      params: { paymentId: payment.paymentId, status: order.status },
      actor: payment.provider,
      data: payment,
    });
    await startRefund(trx, {
      orderId: order.id,
      paymentId: payment.paymentId,
      amount: payment.amount,
      reason: 'Payment for an order no longer payable',
      reference: `late:${payment.paymentId}`,
    });
    return;
  }
  const paid = Number(order.paid_amount) + payment.amount;
  await moveOrder(
    trx,
    order,
    'paid',
    {
      code: 'order.paid',
      params: { amount: payment.amount, provider: payment.provider },
      actor: payment.provider,
      data: payment,
    },
    undefined,
    {
      paid_amount: paid,
    },
  );
  await appendEvents(trx, [
    orderEvent(order, OrderPaid, {
      memberId: order.member_id,
      amount: payment.amount,
      paymentId: payment.paymentId,
    }),
  ]);
  await startFulfillment(trx, deps, order);
}

/** The provider declined a payment: the order says so and can still be paid. */
export async function paymentFailed(
  trx: Trx,
  payment: { paymentId: string; orderId: string; amount: number; provider: string; failureReason?: string },
): Promise<void> {
  const order = await trx
    .selectFrom('orders')
    .select('id')
    .where('id', '=', payment.orderId)
    .executeTakeFirst();
  if (!order) return;
  await addTimeline(trx, order.id, {
    kind: 'payment',
    code: 'payment.declined',
    params: { paymentId: payment.paymentId, failureReason: payment.failureReason ?? null },
    actor: payment.provider,
    data: payment,
  });
}
