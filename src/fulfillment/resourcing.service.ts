import type { OrderRow, Reason } from '../orders/index.js';
import { appendEvents, cancelJob, type NewEvent, nowIso, type Trx } from '../platform/index.js';
import type { FulfillmentDeps } from './fulfillment.deps.js';
import { FulfillmentCreated, FulfillmentRejected } from './fulfillment.events.js';
import {
  ACCEPT_TIMEOUT_JOB,
  actOnGroup,
  cancelOpenTransfers,
  changedMeanwhile,
  createFulfillments,
  endReservations,
  type FulfillmentRow,
  fulfillmentEvent,
  requireFulfillment,
} from './groups.service.js';
import { transitionFulfillment } from './lifecycle.rules.js';
import { DEFAULT_SOURCING_RULES } from './sourcing.config.js';
import { loadCandidates } from './sourcing.inputs.js';
import { assertPlanned } from './sourcing.plan.js';
import { planFulfillment } from './sourcing.rules.js';
import { type FulfillmentActionInput, startFulfillment } from './store-tasks.service.js';

/*
 * Re-sourcing: a location that says no to a group (or does not accept it in time) hands its lines back to the
 * planner, which looks again without the locations that already said no.
 */

/** The location cannot: the group goes to the next best location. */
export function rejectTask(
  trx: Trx,
  deps: FulfillmentDeps,
  id: string,
  input: FulfillmentActionInput,
  actor: string,
): Promise<FulfillmentRow> {
  return actOnGroup(trx, deps, id, 'reject', actor, async (f, order) => {
    transitionFulfillment(f.type, f.status, 'reject');
    await resourceGroup(
      trx,
      deps,
      f,
      order,
      deps.orders.personReason(input.reason, 'rejected by the store'),
      actor,
    );
  });
}

/** A store did not accept its task in time: the group goes to the next best location. */
export async function acceptTimedOut(trx: Trx, deps: FulfillmentDeps, fulfillmentId: string): Promise<void> {
  const f = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('id', '=', fulfillmentId)
    .executeTakeFirst();
  if (f?.status !== 'pending') return;
  const order = await deps.orders.requireOrder(trx, f.order_id);
  if (order.status !== 'paid' && order.status !== 'fulfilling') return;
  await resourceGroup(trx, deps, f, order, deps.orders.systemReason('NOT_ACCEPTED_IN_TIME'), 'system');
}

/**
 * A store rejected a group or let it time out: free what it held and plan its lines again without the locations
 * that already said no. A pickup or carry-out group cannot move (the customer chose that store): it is cancelled
 * and its lines refunded. When nothing can take the lines, the same.
 */
async function resourceGroup(
  trx: Trx,
  deps: FulfillmentDeps,
  f: FulfillmentRow,
  order: OrderRow,
  reason: Reason,
  actor: string | null,
): Promise<void> {
  await endReservations(trx, f, 'release', actor);
  await cancelOpenTransfers(trx, deps.engine, f, actor);
  const cancelled = await trx
    .updateTable('fulfillments')
    .set({ status: 'cancelled', updated_at: nowIso() })
    .where('id', '=', f.id)
    .where('status', '=', f.status)
    .executeTakeFirst();
  if (Number(cancelled.numUpdatedRows) !== 1) throw changedMeanwhile(deps, f, 'reject');
  f.status = 'cancelled';
  await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
  const rejectedBy = [...(JSON.parse(f.rejected_by) as string[]), f.location];
  await deps.orders.addTimeline(trx, order.id, {
    kind: 'fulfillment',
    code: 'fulfillment.rejected',
    params: { location: f.location, type: f.type, ...reason },
    actor,
    data: { fulfillmentId: f.id },
  });
  const events: NewEvent[] = [fulfillmentEvent(f, FulfillmentRejected, { reason: reason.reason })];

  const lines = (
    await trx.selectFrom('fulfillment_lines').selectAll().where('fulfillment_id', '=', f.id).execute()
  ).map((l) => ({
    sku: l.sku,
    quantity: Number(l.quantity),
  }));
  let resourced = false;
  if (f.type === 'ship' || f.type === 'same_day') {
    const { candidates } = await loadCandidates(trx, deps, {
      channel: order.channel,
      skus: lines.map((l) => l.sku),
      localDay: f.local_day,
      exclude: rejectedBy,
    });
    const fulfillment =
      f.type === 'same_day'
        ? {
            type: 'same_day' as const,
            address: {
              city: order.address_city ?? '',
              lat: Number(order.address_lat),
              lng: Number(order.address_lng),
            },
          }
        : {
            type: 'delivery' as const,
            address: {
              city: order.address_city ?? '',
              lat: Number(order.address_lat),
              lng: Number(order.address_lng),
            },
          };
    const plan = planFulfillment(
      { channel: order.channel, lines, fulfillment, storeCode: order.store_code },
      candidates,
      DEFAULT_SOURCING_RULES[order.channel],
    );
    if (plan.ok) {
      assertPlanned(plan);
      const created = await createFulfillments(trx, {
        orderId: order.id,
        groups: plan.groups,
        localDay: f.local_day,
        rejectedBy,
      });
      const ids = created.fulfillments.map((g) => g.id);
      await deps.orders.addTimeline(trx, order.id, {
        kind: 'fulfillment',
        code: 'fulfillment.resourced',
        params: { locations: plan.groups.map((g) => g.location) },
        actor,
        data: { from: f.location, groups: plan.groups, explanation: plan.explanation },
      });
      for (const id of ids)
        events.push(
          fulfillmentEvent(await requireFulfillment(trx, id), FulfillmentCreated, { resourcedFrom: f.id }),
        );
      resourced = true;
    }
  }
  await appendEvents(trx, events);
  if (resourced) {
    await startFulfillment(trx, deps, order);
    return;
  }
  await deps.orders.refundGroup(trx, order, f.id, deps.orders.systemReason('GROUP_NO_SOURCE', f.location));
  await deps.orders.followGroups(trx, deps.engine, order, actor);
}
