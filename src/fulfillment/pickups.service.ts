import { reserveStock } from '../inventory/index.js';
import { appendEvents, cancelJob, scheduleJob, type Trx } from '../platform/index.js';
import type { FulfillmentDeps } from './fulfillment.deps.js';
import { PickupErrors } from './fulfillment.errors.js';
import {
  FulfillmentCancelled,
  FulfillmentPickedUp,
  FulfillmentReadyForPickup,
  FulfillmentTransferArrived,
} from './fulfillment.events.js';
import {
  ACCEPT_TIMEOUT_JOB,
  actOnGroup,
  endReservations,
  type FulfillmentRow,
  fulfillmentEvent,
  moveFulfillment,
  PICKUP_DEADLINE_JOB,
  requireFulfillment,
} from './groups.service.js';
import { groupStatusesOf } from './order-groups.service.js';
import { generatePickupCode, pickupDeadline } from './pickups.rules.js';
import { type FulfillmentActionInput, scheduleAcceptTimeout } from './store-tasks.service.js';

/*
 * Pickup in store (BOPIS): the units a store lacks arrive by transfer, the store makes the order ready and a
 * pickup code goes to the customer, the code is verified at the counter (核销), and a pickup not collected by its
 * deadline is cancelled.
 */

/** A pickup is ready: a 6-digit pickup code is issued to the customer, and the deadline to collect it starts. */
export function readyForPickup(
  trx: Trx,
  deps: FulfillmentDeps,
  id: string,
  _input: FulfillmentActionInput,
  actor: string,
): Promise<FulfillmentRow> {
  return actOnGroup(trx, deps, id, 'ready', actor, async (f, order) => {
    // Preparing a pickup is accepting it.
    if (f.status === 'pending') await moveFulfillment(trx, deps, f, 'accept');
    await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
    const now = new Date();
    const code = generatePickupCode();
    await moveFulfillment(trx, deps, f, 'ready', {
      pickup_code: code,
      ready_at: now.toISOString(),
      pickup_deadline: pickupDeadline(now),
    });
    await scheduleJob(trx, {
      kind: PICKUP_DEADLINE_JOB,
      runAt: f.pickup_deadline!,
      key: `${PICKUP_DEADLINE_JOB}:${f.id}`,
      payload: { fulfillmentId: f.id },
    });
    await deps.orders.addTimeline(trx, order.id, {
      kind: 'fulfillment',
      code: 'fulfillment.ready_for_pickup',
      params: { location: f.location, deadline: f.pickup_deadline! },
      actor,
      data: { fulfillmentId: f.id },
    });
    // The channel app tells the customer their code; store staff never read it, they verify it.
    await appendEvents(trx, [
      fulfillmentEvent(f, FulfillmentReadyForPickup, {
        pickupCode: code,
        pickupDeadline: f.pickup_deadline,
        memberId: order.member_id,
      }),
    ]);
  });
}

/** 核销 at the counter: the code the customer shows, at the store that holds the order. */
export async function verifyPickup(
  trx: Trx,
  deps: FulfillmentDeps,
  store: string,
  code: string,
  actor: string,
): Promise<FulfillmentRow> {
  const f = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('location', '=', store)
    .where('pickup_code', '=', code)
    .where('status', '=', 'ready_for_pickup')
    .executeTakeFirst();
  if (!f) throw PickupErrors.codeInvalid(`No order is waiting at ${store} with this code`);
  const order = await deps.orders.requireOrder(trx, f.order_id);
  await moveFulfillment(trx, deps, f, 'pickup');
  await endReservations(trx, f, 'commit', actor);
  await cancelJob(trx, `${PICKUP_DEADLINE_JOB}:${f.id}`);
  await deps.orders.addTimeline(trx, order.id, {
    kind: 'fulfillment',
    code: 'fulfillment.picked_up',
    params: { location: store },
    actor,
    data: { fulfillmentId: f.id },
  });
  await appendEvents(trx, [fulfillmentEvent(f, FulfillmentPickedUp)]);
  await deps.orders.followGroups(trx, deps.engine, order, actor);
  return f;
}

/** A pickup not collected by its deadline: the group is cancelled, refunded and its stock freed. */
export async function pickupDeadlinePassed(
  trx: Trx,
  deps: FulfillmentDeps,
  fulfillmentId: string,
): Promise<void> {
  const f = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('id', '=', fulfillmentId)
    .executeTakeFirst();
  if (f?.status !== 'ready_for_pickup') return;
  const order = await deps.orders.requireOrder(trx, f.order_id);
  const groups = await groupStatusesOf(trx, order.id);
  if (groups.length === 1) {
    await deps.orders.cancelOrder(
      trx,
      deps.engine,
      order,
      deps.orders.systemReason('NOT_COLLECTED'),
      'system',
    );
    return;
  }
  await endReservations(trx, f, 'release', 'system');
  await moveFulfillment(trx, deps, f, 'cancel');
  await deps.orders.addTimeline(trx, order.id, {
    kind: 'fulfillment',
    code: 'fulfillment.not_collected',
    params: { location: f.location, deadline: f.pickup_deadline! },
    actor: 'system',
  });
  await appendEvents(trx, [fulfillmentEvent(f, FulfillmentCancelled, { reason: 'pickup deadline' })]);
  await deps.orders.refundGroup(trx, order, f.id, deps.orders.systemReason('NOT_COLLECTED'));
  await deps.orders.followGroups(trx, deps.engine, order, 'system');
}

/** A transfer for a pickup arrived: reserve the units at the pickup store for this order; when all are in, the store can prepare it. */
export async function transferReceived(
  trx: Trx,
  deps: FulfillmentDeps,
  transfer: { id: string; reference: string | null; sku: string; to: string; quantity: number },
): Promise<void> {
  if (!transfer.reference?.startsWith('ful:')) return;
  const link = await trx
    .selectFrom('fulfillment_transfers')
    .selectAll()
    .where('transfer_id', '=', transfer.id)
    .executeTakeFirst();
  if (!link || Number(link.received) === 1) return;
  const f = await requireFulfillment(trx, link.fulfillment_id);
  if (f.status === 'cancelled') {
    await trx
      .updateTable('fulfillment_transfers')
      .set({ received: 1 })
      .where('transfer_id', '=', transfer.id)
      .execute();
    return;
  }
  const reservation = await reserveStock(trx, {
    lines: [{ sku: transfer.sku, location: transfer.to, quantity: transfer.quantity }],
    ttlSeconds: 30 * 24 * 3600,
    reference: `${f.order_id}/${f.id}`,
  });
  await trx
    .updateTable('fulfillment_transfers')
    .set({ received: 1, reservation_id: reservation.id })
    .where('transfer_id', '=', transfer.id)
    .execute();
  const waiting = await trx
    .selectFrom('fulfillment_transfers')
    .select('transfer_id')
    .where('fulfillment_id', '=', f.id)
    .where('received', '=', 0)
    .execute();
  await deps.orders.addTimeline(trx, f.order_id, {
    kind: 'fulfillment',
    code: 'fulfillment.transfer_arrived',
    params: { location: transfer.to, sku: transfer.sku, quantity: transfer.quantity },
    actor: 'system',
  });
  if (waiting.length === 0 && f.status === 'awaiting_transfer') {
    await moveFulfillment(trx, deps, f, 'transfer_arrived');
    await scheduleAcceptTimeout(trx, f);
    await appendEvents(trx, [fulfillmentEvent(f, FulfillmentTransferArrived)]);
  }
}
