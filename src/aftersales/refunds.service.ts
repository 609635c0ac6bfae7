import { requireLocation } from '../locations/index.js';
import { addTimeline } from '../orders/index.js';
import { listRefunds, RefundFailed, RefundSucceeded, startRefund } from '../payments/index.js';
import {
  type Actor,
  actorName,
  appendEvent,
  isEvent,
  newEvent,
  nowIso,
  type PublishedEvent,
  payloadOf,
  type Trx,
} from '../platform/index.js';
import { ReturnRefunded } from './aftersales.events.js';
import { type ReturnRow, requireReturnRow } from './aftersales.rows.js';
import { refundStateOf } from './aftersales.rules.js';

/**
 * Sends the return's refund amount back to the original payment (idempotent by the return id). Nothing to send
 * back — all paid with points, or an exchange's replacement took it all — and the return is settled at once.
 *
 * Received at a store, the refund is asked for at that store's counter by whoever received it: money paid in cash
 * is handed back there and then (the customer stands at the counter, or brought the parcel herself). Received at a
 * warehouse — a courier's parcel — nobody can hand cash to her: a cash refund waits for her at a store
 * (`awaiting: cash_at_store`) and is handed over there later; the other providers refund as usual either way.
 */
export async function startReturnRefund(trx: Trx, id: string, actor: Actor): Promise<void> {
  const ret = await requireReturnRow(trx, id);
  const amount = Number(ret.refund_amount);
  const at = nowIso();
  if (amount === 0) {
    await trx
      .updateTable('returns')
      .set({ refund_status: 'not_needed', status: 'refunded', refunded_at: at, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'received')
      .execute();
    await announceRefunded(trx, ret, false);
    return;
  }
  const receivedAt = ret.received_location ?? ret.location;
  const atCounter = (await requireLocation(trx, receivedAt)).kind === 'store';
  const refunds = await startRefund(trx, {
    orderId: ret.order_id,
    amount,
    reason: ret.reason,
    reference: id,
    ...(atCounter ? { counter: { store: receivedAt, staff: actorName(actor) } } : {}),
  });
  await trx
    .updateTable('returns')
    .set({ refund_status: 'pending', updated_at: at })
    .where('id', '=', id)
    .execute();
  await addTimeline(trx, ret.order_id, {
    kind: 'refund',
    code: 'return.refund_sent',
    params: { returnId: id, amount },
    actor: actorName(actor),
    data: { returnId: id, refundIds: refunds.map((r) => r.id), amount },
  });
}

/** `confirmed`: the provider confirmed the refund; otherwise there was nothing to refund to a payment. */
async function announceRefunded(trx: Trx, ret: ReturnRow, confirmed: boolean): Promise<void> {
  await addTimeline(trx, ret.order_id, {
    kind: 'refund',
    code: 'return.settled',
    params: { returnId: ret.id, amount: Number(ret.refund_amount), confirmed },
    actor: 'system',
    data: {
      returnId: ret.id,
      refundAmount: Number(ret.refund_amount),
      pointsAmount: Number(ret.points_value),
    },
  });
  await appendEvent(
    trx,
    newEvent(ReturnRefunded, {
      stream: `return:${ret.id}`,
      location: ret.received_location,
      payload: {
        returnId: ret.id,
        orderId: ret.order_id,
        memberId: ret.member_id,
        refundAmount: Number(ret.refund_amount),
        pointsAmount: Number(ret.points_value),
      },
    }),
  );
}

/**
 * The provider's word on a return's refund (`refund.failed` per refused attempt, `refund.succeeded`): the return
 * shows the refund's state, its attempts and last error; it is refunded only once every part is confirmed.
 */
export async function applyRefundEvent(trx: Trx, event: PublishedEvent): Promise<void> {
  const p = payloadOf(isEvent(RefundSucceeded, event) ? RefundSucceeded : RefundFailed, event);
  if (p.reference.startsWith('exc_')) {
    await addTimeline(trx, p.orderId, {
      kind: 'refund',
      ...(event.type === 'refund.succeeded'
        ? {
            code: 'exchange.credit_refunded' as const,
            params: { amount: p.amount, reference: p.reference.split(':')[0]! },
          }
        : {
            code: 'exchange.credit_refund_declined' as const,
            params: { amount: p.amount, attempts: p.attempts, error: p.lastError ?? null },
          }),
      actor: 'payments',
      data: p,
    });
    return;
  }
  const ret = await trx.selectFrom('returns').selectAll().where('id', '=', p.reference).executeTakeFirst();
  if (!ret || ret.refund_status === 'succeeded' || ret.refund_status === 'not_needed') return;
  if (event.type === 'refund.failed') {
    await addTimeline(trx, ret.order_id, {
      kind: 'refund',
      code: 'return.refund_declined',
      params: { returnId: ret.id, amount: p.amount, attempts: p.attempts, error: p.lastError ?? null },
      actor: 'payments',
      data: p,
    });
  }
  const parts = (await listRefunds(trx, ret.order_id)).filter((r) => r.reference === ret.id);
  const state = refundStateOf(parts);
  const at = nowIso();
  if (state.status === 'succeeded') {
    const settled = await trx
      .updateTable('returns')
      .set({
        refund_status: 'succeeded',
        status: 'refunded',
        refund_attempts: state.attempts,
        refund_last_error: null,
        refunded_at: at,
        updated_at: at,
      })
      .where('id', '=', ret.id)
      .where('refund_status', '!=', 'succeeded')
      .executeTakeFirst();
    if (Number(settled.numUpdatedRows) === 1) await announceRefunded(trx, ret, true);
    return;
  }
  await trx
    .updateTable('returns')
    .set({
      refund_status: state.status,
      refund_attempts: state.attempts,
      refund_last_error: state.lastError,
      updated_at: at,
    })
    .where('id', '=', ret.id)
    .execute();
}
