import type { OrderRow } from '../orders/index.js';
import {
  appendEvents,
  cancelJob,
  isoAfter,
  type NewEvent,
  scheduleJob,
  type Trx,
} from '../platform/index.js';
import type { FulfillmentDeps } from './fulfillment.deps.js';
import {
  FulfillmentAccepted,
  FulfillmentAwaitingTransfer,
  FulfillmentCreated,
  FulfillmentDelivered,
  FulfillmentPickedUp,
  FulfillmentShipped,
} from './fulfillment.events.js';
import {
  ACCEPT_TIMEOUT_JOB,
  actOnGroup,
  endReservations,
  type FulfillmentRow,
  fulfillmentEvent,
  moveFulfillment,
} from './groups.service.js';

/*
 * A store's and a warehouse's daily work on a paid order's groups: the tasks start, a location accepts one, ships
 * a parcel and records its delivery. (Rejecting is re-sourcing, preparing a pickup is pickups'.)
 */

/** A store has this long to accept a ship-from-store, same-day or pickup task before it goes to the next best location. */
export const ACCEPT_WITHIN_MS = 2 * 3600 * 1000;

/** What a store says with its action on a task. */
export interface FulfillmentActionInput {
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
  reason?: string | undefined;
}

/**
 * After payment: warehouses take their parcels at once (their work is automatic); stores get a task to accept
 * within ACCEPT_WITHIN_MS; a pickup that waits for transfers says so; a carry-out sale is handed over at the till.
 */
export async function startFulfillment(trx: Trx, deps: FulfillmentDeps, order: OrderRow): Promise<void> {
  const groups = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('order_id', '=', order.id)
    .where('status', '=', 'pending')
    .execute();
  const warehouses = new Set(
    (await deps.network(trx)).filter((l) => l.kind === 'warehouse').map((l) => l.code),
  );
  const events: NewEvent[] = [];
  for (const f of groups) {
    if (f.type === 'carry_out') {
      await endReservations(trx, f, 'commit', 'system');
      await moveFulfillment(trx, deps, f, 'hand_over');
      events.push(fulfillmentEvent(f, FulfillmentPickedUp));
      continue;
    }
    if ((f.type === 'ship' || f.type === 'same_day') && warehouses.has(f.location)) {
      await moveFulfillment(trx, deps, f, 'accept');
      events.push(fulfillmentEvent(f, FulfillmentAccepted, { auto: true }));
      continue;
    }
    const transfers = await trx
      .selectFrom('fulfillment_transfers')
      .select('received')
      .where('fulfillment_id', '=', f.id)
      .execute();
    if (f.type === 'pickup' && transfers.some((t) => Number(t.received) === 0)) {
      await moveFulfillment(trx, deps, f, 'await_transfer');
      events.push(fulfillmentEvent(f, FulfillmentAwaitingTransfer));
      continue;
    }
    await scheduleAcceptTimeout(trx, f);
    events.push(fulfillmentEvent(f, FulfillmentCreated));
  }
  await appendEvents(trx, events);
  await deps.orders.followGroups(trx, deps.engine, order, 'system');
}

/** The store's task waits for it to accept; not accepted in time, the group goes to the next best location. */
export function scheduleAcceptTimeout(trx: Trx, f: FulfillmentRow): Promise<void> {
  return scheduleJob(trx, {
    kind: ACCEPT_TIMEOUT_JOB,
    runAt: isoAfter(ACCEPT_WITHIN_MS),
    key: `${ACCEPT_TIMEOUT_JOB}:${f.id}`,
    payload: { fulfillmentId: f.id },
  });
}

/** The location takes the task. */
export function acceptTask(
  trx: Trx,
  deps: FulfillmentDeps,
  id: string,
  _input: FulfillmentActionInput,
  actor: string,
): Promise<FulfillmentRow> {
  return actOnGroup(trx, deps, id, 'accept', actor, async (f, order) => {
    await moveFulfillment(trx, deps, f, 'accept');
    await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
    await deps.orders.addTimeline(trx, order.id, {
      kind: 'fulfillment',
      code: 'fulfillment.accepted',
      params: { location: f.location, type: f.type },
      actor,
      data: { fulfillmentId: f.id },
    });
    await appendEvents(trx, [fulfillmentEvent(f, FulfillmentAccepted)]);
  });
}

/** Handed to the carrier: the reservation is committed (on hand drops, ledger `sale`). */
export function shipParcel(
  trx: Trx,
  deps: FulfillmentDeps,
  id: string,
  input: FulfillmentActionInput,
  actor: string,
): Promise<FulfillmentRow> {
  return actOnGroup(trx, deps, id, 'ship', actor, async (f, order) => {
    // Packing and handing a parcel to the carrier is accepting it.
    if (f.status === 'pending') await moveFulfillment(trx, deps, f, 'accept');
    await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
    await moveFulfillment(trx, deps, f, 'ship', {
      carrier: input.carrier ?? null,
      tracking_number: input.trackingNumber ?? null,
    });
    await endReservations(trx, f, 'commit', actor);
    await deps.orders.addTimeline(trx, order.id, {
      kind: 'fulfillment',
      code: 'fulfillment.shipped',
      params: {
        location: f.location,
        carrier: input.carrier ?? null,
        trackingNumber: input.trackingNumber ?? null,
      },
      actor,
      data: { fulfillmentId: f.id },
    });
    await appendEvents(trx, [
      fulfillmentEvent(f, FulfillmentShipped, {
        carrier: input.carrier ?? null,
        trackingNumber: input.trackingNumber ?? null,
      }),
    ]);
  });
}

/** The carrier delivered. */
export function deliverParcel(
  trx: Trx,
  deps: FulfillmentDeps,
  id: string,
  _input: FulfillmentActionInput,
  actor: string,
): Promise<FulfillmentRow> {
  return actOnGroup(trx, deps, id, 'deliver', actor, async (f, order) => {
    await moveFulfillment(trx, deps, f, 'deliver');
    await deps.orders.addTimeline(trx, order.id, {
      kind: 'fulfillment',
      code: 'fulfillment.delivered',
      params: { location: f.location },
      actor,
      data: { fulfillmentId: f.id },
    });
    await appendEvents(trx, [fulfillmentEvent(f, FulfillmentDelivered)]);
  });
}
