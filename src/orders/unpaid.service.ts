import { sql } from 'kysely';
import { nowIso, sweepRound, type Trx } from '../platform/index.js';
import { cancelOrderInTransaction } from './cancel.service.js';
import type { OrdersDeps } from './orders.deps.js';
import { systemReason } from './orders.timeline.js';

/*
 * Unpaid orders past their hold: cancelled, their stock freed.
 */

/** Cancels the orders whose hold has passed unpaid: one recurring job (from the migrations), not one per order. */
export const UNPAID_SWEEP_JOB = 'order.unpaid.sweep';
/** How often an idle unpaid-order sweeper looks; an order due sooner than that brings it forward. */
export const UNPAID_SWEEP_IDLE_MS = 5000;
/** The job an order had of its own before the sweeper; rows written then still run (and do the same). */
export const ORDER_EXPIRE_JOB = 'order.expire_unpaid';

const UNPAID_SWEEP_BATCH = 100;

/** An unpaid order past its hold: cancelled, its stock freed. */
export async function expireUnpaidOrder(trx: Trx, deps: OrdersDeps, orderId: string): Promise<void> {
  const order = await trx.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  if (order?.status !== 'pending_payment' || order.expires_at > nowIso()) return;
  await cancelOrderInTransaction(
    trx,
    order,
    systemReason('NOT_PAID_IN_TIME'),
    'system',
    { refund: false },
    deps.engine,
  );
}

/** The unpaid-order sweeper: cancels the due orders (a batch at a time) and says when to look again. */
export function sweepUnpaidOrders(trx: Trx, deps: OrdersDeps): Promise<{ runAgainAt: string }> {
  // The status as a literal: it is what lets SQLite's planner match the partial index orders_unpaid_due.
  const unpaid = trx.selectFrom('orders').where('status', '=', sql.lit('pending_payment'));
  return sweepRound({
    due: async (now, limit) =>
      (
        await unpaid.select('id').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute()
      ).map((row) => row.id),
    handle: (id) => expireUnpaidOrder(trx, deps, id),
    nextDeadline: async () => {
      const row = await unpaid.select((eb) => eb.fn.min('expires_at').as('next')).executeTakeFirst();
      return row?.next ? String(row.next) : null;
    },
    batch: UNPAID_SWEEP_BATCH,
    idleMs: UNPAID_SWEEP_IDLE_MS,
  });
}
