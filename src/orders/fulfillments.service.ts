import { type Kysely, type Selectable, sql } from 'kysely';
import { assertPlanned, DEFAULT_SOURCING_RULES, planFulfillment } from '../fulfillment/index.js';
import {
  commitReservation,
  getReservation,
  getTransfer,
  moveTransfer,
  releaseReservation,
  reserveStock,
} from '../inventory/index.js';
import { restoreOrderBenefits, reverseForReturn } from '../loyalty/index.js';
import { listRefunds, startRefund } from '../payments/index.js';
import {
  appendEvents,
  type Channel,
  cancelJob,
  type DB,
  type Engine,
  isoAfter,
  type NewEvent,
  nowIso,
  scheduleJob,
  sweepRound,
  type Trx,
} from '../platform/index.js';
import { loadCandidates } from './orders.candidates.js';
import { FulfillmentTaskErrors, OrderErrors, PickupErrors } from './orders.errors.js';
import {
  type FulfillmentAction,
  type FulfillmentStatus,
  generatePickupCode,
  orderMovesFromFulfillments,
  pickupDeadline,
  transitionFulfillment,
} from './orders.rules.js';
import type { FulfillmentsTable, OrdersTable } from './orders.schema.js';
import {
  type Actor,
  addTimeline,
  completedPayload,
  createFulfillments,
  createOrder,
  moveOrder,
  type OrdersDeps,
  orderEvent,
  type PlacedOrder,
  type PlaceOrderInput,
  requireOrderRow,
  UNPAID_SWEEP_IDLE_MS,
} from './orders.service.js';
import { personReason, type Reason, systemReason } from './orders.timeline.js';

export const ACCEPT_TIMEOUT_JOB = 'fulfillment.accept_timeout';
export const PICKUP_DEADLINE_JOB = 'fulfillment.pickup_deadline';
/** A store has this long to accept a ship-from-store, same-day or pickup task before it goes to the next best location. */
export const ACCEPT_WITHIN_MS = 2 * 3600 * 1000;

type Order = Selectable<OrdersTable>;
type Fulfillment = Selectable<FulfillmentsTable>;

function fulfillmentEvent(f: Fulfillment, type: string, extra: object = {}): NewEvent {
  return {
    type: `fulfillment.${type}`,
    stream: `fulfillment:${f.id}`,
    location: f.location,
    payload: {
      fulfillmentId: f.id,
      orderId: f.order_id,
      location: f.location,
      type: f.type,
      status: f.status,
      ...extra,
    },
  };
}

async function requireFulfillment(db: Kysely<DB>, id: string): Promise<Fulfillment> {
  const row = await db.selectFrom('fulfillments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw FulfillmentTaskErrors.notFound(`No fulfillment ${id}`);
  return row;
}

export async function getFulfillment(db: Kysely<DB>, id: string): Promise<Fulfillment> {
  return requireFulfillment(db, id);
}

/** Moves a group with a conditional update; throws FULFILLMENT.INVALID_TRANSITION when the move is not allowed. */
async function moveFulfillment(
  trx: Trx,
  f: Fulfillment,
  action: FulfillmentAction,
  set: Partial<
    Pick<FulfillmentsTable, 'pickup_code' | 'ready_at' | 'pickup_deadline' | 'carrier' | 'tracking_number'>
  > = {},
): Promise<FulfillmentStatus> {
  const next = transitionFulfillment(f.type as never, f.status as FulfillmentStatus, action);
  const moved = await trx
    .updateTable('fulfillments')
    .set({ status: next, updated_at: nowIso(), ...set })
    .where('id', '=', f.id)
    .where('status', '=', f.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    throw transitionFulfillmentConflict(f, action);
  }
  f.status = next;
  Object.assign(f, set);
  return next;
}

function transitionFulfillmentConflict(f: Fulfillment, action: string) {
  return OrderErrors.invalidTransition(
    `Fulfillment ${f.id} changed while trying to ${action}; read it again`,
  );
}

/** The reservations a group holds: its own stock and the transferred units received for it. */
async function reservationsOf(trx: Trx, f: Fulfillment): Promise<string[]> {
  const transferred = await trx
    .selectFrom('fulfillment_transfers')
    .select('reservation_id')
    .where('fulfillment_id', '=', f.id)
    .execute();
  return [f.reservation_id, ...transferred.map((t) => t.reservation_id)].filter(
    (id): id is string => id !== null,
  );
}

async function endReservations(
  trx: Trx,
  f: Fulfillment,
  how: 'commit' | 'release',
  actor: string | null,
): Promise<void> {
  for (const id of await reservationsOf(trx, f)) {
    const reservation = await getReservation(trx, id);
    if (reservation?.status !== 'active') continue;
    if (how === 'commit') await commitReservation(trx, id, actor, 'sale');
    else await releaseReservation(trx, id);
  }
}

/** Transfers for a group that have not left their source are cancelled (their units are free again there). */
async function cancelOpenTransfers(
  trx: Trx,
  engine: Engine,
  f: Fulfillment,
  actor: string | null,
): Promise<void> {
  const transfers = await trx
    .selectFrom('fulfillment_transfers')
    .select('transfer_id')
    .where('fulfillment_id', '=', f.id)
    .execute();
  for (const { transfer_id } of transfers) {
    const transfer = await getTransfer(trx, transfer_id);
    if (transfer.status === 'requested') await moveTransfer(trx, engine, transfer_id, 'cancel', actor);
  }
}

/**
 * Keeps the order's status in line with its groups (paid → fulfilling → completed, or cancelled when every group
 * is), writing each move on the timeline and emitting `order.completed` for loyalty and analytics.
 */
export async function syncOrderWithFulfillments(
  trx: Trx,
  engine: Engine,
  order: Order,
  actor: string | null,
): Promise<void> {
  const statuses = (
    await trx.selectFrom('fulfillments').select('status').where('order_id', '=', order.id).execute()
  ).map((r) => r.status as FulfillmentStatus);
  for (const to of orderMovesFromFulfillments(order.status as never, statuses)) {
    const now = nowIso();
    if (to === 'completed') {
      if (
        await moveOrder(trx, order, 'completed', { code: 'order.completed', params: {}, actor }, statuses, {
          completed_at: now,
        })
      ) {
        await appendEvents(trx, [
          orderEvent(order, 'order.completed', await completedPayload(trx, order, now)),
        ]);
      }
    } else if (to === 'cancelled') {
      await cancelOrderInTransaction(trx, order, systemReason('NO_SOURCE'), actor, { refund: true }, engine);
    } else {
      await moveOrder(trx, order, to, { code: 'order.fulfilling', params: {}, actor }, statuses);
    }
  }
}

/**
 * After payment: warehouses take their parcels at once (their work is automatic); stores get a task to accept
 * within ACCEPT_WITHIN_MS; a pickup that waits for transfers says so; a carry-out sale is handed over at the till.
 */
export async function startFulfillment(trx: Trx, deps: OrdersDeps, order: Order): Promise<void> {
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
      await moveFulfillment(trx, f, 'hand_over');
      events.push(fulfillmentEvent(f, 'picked_up'));
      continue;
    }
    if ((f.type === 'ship' || f.type === 'same_day') && warehouses.has(f.location)) {
      await moveFulfillment(trx, f, 'accept');
      events.push(fulfillmentEvent(f, 'accepted', { auto: true }));
      continue;
    }
    const transfers = await trx
      .selectFrom('fulfillment_transfers')
      .select('received')
      .where('fulfillment_id', '=', f.id)
      .execute();
    if (f.type === 'pickup' && transfers.some((t) => Number(t.received) === 0)) {
      await moveFulfillment(trx, f, 'await_transfer');
      events.push(fulfillmentEvent(f, 'awaiting_transfer'));
      continue;
    }
    await scheduleJob(trx, {
      kind: ACCEPT_TIMEOUT_JOB,
      runAt: isoAfter(ACCEPT_WITHIN_MS),
      key: `${ACCEPT_TIMEOUT_JOB}:${f.id}`,
      payload: { fulfillmentId: f.id },
    });
    events.push(fulfillmentEvent(f, 'created'));
  }
  await appendEvents(trx, events);
  await syncOrderWithFulfillments(trx, deps.engine, order, 'system');
}

export interface FulfillmentActionInput {
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
  reason?: string | undefined;
}

/**
 * A store's or warehouse's work on a group: accept, reject (re-sourced to the next best location), ready (a
 * pickup code is issued), ship (the reservation is committed: on hand drops, ledger `sale`), deliver.
 */
export async function actOnFulfillment(
  trx: Trx,
  deps: OrdersDeps,
  id: string,
  action: 'accept' | 'reject' | 'ready' | 'ship' | 'deliver',
  input: FulfillmentActionInput,
  actor: string,
): Promise<Fulfillment> {
  const f = await requireFulfillment(trx, id);
  const order = await requireOrderRow(trx, f.order_id);
  if (order.status !== 'paid' && order.status !== 'fulfilling') {
    throw OrderErrors.invalidTransition(`Order ${order.id} is ${order.status}: its groups cannot ${action}`);
  }
  switch (action) {
    case 'accept':
      await moveFulfillment(trx, f, 'accept');
      await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
      await addTimeline(trx, order.id, {
        kind: 'fulfillment',
        code: 'fulfillment.accepted',
        params: { location: f.location, type: f.type },
        actor,
        data: { fulfillmentId: f.id },
      });
      await appendEvents(trx, [fulfillmentEvent(f, 'accepted')]);
      break;
    case 'reject':
      transitionFulfillment(f.type as never, f.status as FulfillmentStatus, 'reject');
      await resourceGroup(trx, deps, f, order, personReason(input.reason, 'rejected by the store'), actor);
      break;
    case 'ready': {
      // Preparing a pickup is accepting it.
      if (f.status === 'pending') await moveFulfillment(trx, f, 'accept');
      await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
      const now = new Date();
      const code = generatePickupCode();
      await moveFulfillment(trx, f, 'ready', {
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
      await addTimeline(trx, order.id, {
        kind: 'fulfillment',
        code: 'fulfillment.ready_for_pickup',
        params: { location: f.location, deadline: f.pickup_deadline! },
        actor,
        data: { fulfillmentId: f.id },
      });
      // The channel app tells the customer their code; store staff never read it, they verify it.
      await appendEvents(trx, [
        fulfillmentEvent(f, 'ready_for_pickup', {
          pickupCode: code,
          pickupDeadline: f.pickup_deadline,
          memberId: order.member_id,
        }),
      ]);
      break;
    }
    case 'ship':
      // Packing and handing a parcel to the carrier is accepting it.
      if (f.status === 'pending') await moveFulfillment(trx, f, 'accept');
      await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
      await moveFulfillment(trx, f, 'ship', {
        carrier: input.carrier ?? null,
        tracking_number: input.trackingNumber ?? null,
      });
      await endReservations(trx, f, 'commit', actor);
      await addTimeline(trx, order.id, {
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
        fulfillmentEvent(f, 'shipped', {
          carrier: input.carrier ?? null,
          trackingNumber: input.trackingNumber ?? null,
        }),
      ]);
      break;
    case 'deliver':
      await moveFulfillment(trx, f, 'deliver');
      await addTimeline(trx, order.id, {
        kind: 'fulfillment',
        code: 'fulfillment.delivered',
        params: { location: f.location },
        actor,
        data: { fulfillmentId: f.id },
      });
      await appendEvents(trx, [fulfillmentEvent(f, 'delivered')]);
      break;
  }
  await syncOrderWithFulfillments(trx, deps.engine, order, actor);
  return requireFulfillment(trx, id);
}

/** 核销 at the counter: the code the customer shows, at the store that holds the order. */
export async function verifyPickup(
  trx: Trx,
  engine: Engine,
  store: string,
  code: string,
  actor: string,
): Promise<Fulfillment> {
  const f = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('location', '=', store)
    .where('pickup_code', '=', code)
    .where('status', '=', 'ready_for_pickup')
    .executeTakeFirst();
  if (!f) throw PickupErrors.codeInvalid(`No order is waiting at ${store} with this code`);
  const order = await requireOrderRow(trx, f.order_id);
  await moveFulfillment(trx, f, 'pickup');
  await endReservations(trx, f, 'commit', actor);
  await cancelJob(trx, `${PICKUP_DEADLINE_JOB}:${f.id}`);
  await addTimeline(trx, order.id, {
    kind: 'fulfillment',
    code: 'fulfillment.picked_up',
    params: { location: store },
    actor,
    data: { fulfillmentId: f.id },
  });
  await appendEvents(trx, [fulfillmentEvent(f, 'picked_up')]);
  await syncOrderWithFulfillments(trx, engine, order, actor);
  return f;
}

/**
 * A store rejected a group or let it time out: free what it held and plan its lines again without the locations
 * that already said no. A pickup or carry-out group cannot move (the customer chose that store): it is cancelled
 * and its lines refunded. When nothing can take the lines, the same.
 */
async function resourceGroup(
  trx: Trx,
  deps: OrdersDeps,
  f: Fulfillment,
  order: Order,
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
  if (Number(cancelled.numUpdatedRows) !== 1) throw transitionFulfillmentConflict(f, 'reject');
  f.status = 'cancelled';
  await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
  const rejectedBy = [...(JSON.parse(f.rejected_by) as string[]), f.location];
  await addTimeline(trx, order.id, {
    kind: 'fulfillment',
    code: 'fulfillment.rejected',
    params: { location: f.location, type: f.type, ...reason },
    actor,
    data: { fulfillmentId: f.id },
  });
  const events: NewEvent[] = [fulfillmentEvent(f, 'rejected', { reason: reason.reason })];

  const lines = (
    await trx.selectFrom('fulfillment_lines').selectAll().where('fulfillment_id', '=', f.id).execute()
  ).map((l) => ({
    sku: l.sku,
    quantity: Number(l.quantity),
  }));
  let resourced = false;
  if (f.type === 'ship' || f.type === 'same_day') {
    const candidates = await loadCandidates(trx, deps.network, {
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
      { channel: order.channel as Channel, lines, fulfillment, storeCode: order.store_code },
      candidates,
      DEFAULT_SOURCING_RULES[order.channel as Channel],
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
      await addTimeline(trx, order.id, {
        kind: 'fulfillment',
        code: 'fulfillment.resourced',
        params: { locations: plan.groups.map((g) => g.location) },
        actor,
        data: { from: f.location, groups: plan.groups, explanation: plan.explanation },
      });
      for (const id of ids)
        events.push(fulfillmentEvent(await requireFulfillment(trx, id), 'created', { resourcedFrom: f.id }));
      resourced = true;
    }
  }
  await appendEvents(trx, events);
  if (resourced) {
    await startFulfillment(trx, deps, order);
    return;
  }
  await refundGroup(trx, order, f, systemReason('GROUP_NO_SOURCE', f.location));
  await syncOrderWithFulfillments(trx, deps.engine, order, actor);
}

/** Refunds what a cancelled group's lines were paid (money only; the order keeps its other groups). */
async function refundGroup(trx: Trx, order: Order, f: Fulfillment, reason: Reason): Promise<void> {
  if (Number(order.paid_amount) === 0) return;
  const lines = await trx
    .selectFrom('fulfillment_lines')
    .selectAll()
    .where('fulfillment_id', '=', f.id)
    .execute();
  const orderLines = await trx
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', order.id)
    .execute();
  let amount = 0;
  for (const line of lines) {
    const ol = orderLines.find((l) => l.sku === line.sku);
    if (!ol) continue;
    // The money part of what the line paid, for the units in this group.
    const money = Number(ol.paid_amount) - Number(ol.points_amount);
    amount += Math.floor((money * Number(line.quantity)) / Number(ol.quantity));
  }
  // A whole order cancelled this way is refunded in full by cancelOrderInTransaction instead.
  const live = await trx
    .selectFrom('fulfillments')
    .select('id')
    .where('order_id', '=', order.id)
    .where('status', '!=', 'cancelled')
    .execute();
  if (live.length === 0 || amount === 0) return;
  await startRefund(trx, { orderId: order.id, amount, reason: reason.reason, reference: `group:${f.id}` });
  await addTimeline(trx, order.id, {
    kind: 'refund',
    code: 'refund.started',
    params: { amount, ...reason },
    actor: 'system',
    data: { fulfillmentId: f.id, amount },
  });
}

/**
 * Cancels an order inside the caller's transaction: frees every reservation and open transfer, cancels the groups
 * that have not finished, refunds what was paid, and emits `order.cancelled`.
 */
export async function cancelOrderInTransaction(
  trx: Trx,
  order: Order,
  reason: Reason,
  actor: string | null,
  options: { refund: boolean },
  engine: Engine,
): Promise<void> {
  const groups = await trx.selectFrom('fulfillments').selectAll().where('order_id', '=', order.id).execute();
  const statuses = groups.map((g) => g.status as FulfillmentStatus);
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
  const events: NewEvent[] = [];
  for (const f of groups) {
    if (
      f.status === 'cancelled' ||
      f.status === 'picked_up' ||
      f.status === 'delivered' ||
      f.status === 'shipped'
    )
      continue;
    await endReservations(trx, f, 'release', actor);
    await cancelOpenTransfers(trx, engine, f, actor);
    await trx
      .updateTable('fulfillments')
      .set({ status: 'cancelled', updated_at: now })
      .where('id', '=', f.id)
      .execute();
    await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
    await cancelJob(trx, `${PICKUP_DEADLINE_JOB}:${f.id}`);
    f.status = 'cancelled';
    events.push(fulfillmentEvent(f, 'cancelled'));
  }
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
    orderEvent(order, 'order.cancelled', {
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

/**
 * Places an order (see createOrder). An order that coupons, points or an exchange's credit pay in full is paid
 * at once and its fulfilment starts: there is nothing for a provider to confirm.
 */
export async function placeOrder(
  trx: Trx,
  deps: OrdersDeps,
  input: PlaceOrderInput,
  actor: Actor,
): Promise<PlacedOrder> {
  const placed = await createOrder(trx, deps, input, actor);
  if (placed.replayed || Number(placed.rows?.order.payable_amount) !== 0) return placed;
  const order = await requireOrderRow(trx, placed.orderId);
  await moveOrder(trx, order, 'paid', {
    code: 'order.paid_by_benefits',
    params: {},
    actor: `${actor.role}:${actor.subject}`,
  });
  await appendEvents(trx, [
    orderEvent(order, 'order.paid', { memberId: order.member_id, amount: 0, paymentId: null }),
  ]);
  await startFulfillment(trx, deps, order);
  // Its status moved on: the view is read again.
  return { orderId: placed.orderId, replayed: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Jobs and reactions

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

const UNPAID_SWEEP_BATCH = 100;

/** A store did not accept its task in time: the group goes to the next best location. */
export async function acceptTimedOut(trx: Trx, deps: OrdersDeps, fulfillmentId: string): Promise<void> {
  const f = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('id', '=', fulfillmentId)
    .executeTakeFirst();
  if (f?.status !== 'pending') return;
  const order = await requireOrderRow(trx, f.order_id);
  if (order.status !== 'paid' && order.status !== 'fulfilling') return;
  await resourceGroup(trx, deps, f, order, systemReason('NOT_ACCEPTED_IN_TIME'), 'system');
}

/** A pickup not collected by its deadline: the group is cancelled, refunded and its stock freed. */
export async function pickupDeadlinePassed(trx: Trx, deps: OrdersDeps, fulfillmentId: string): Promise<void> {
  const f = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('id', '=', fulfillmentId)
    .executeTakeFirst();
  if (f?.status !== 'ready_for_pickup') return;
  const order = await requireOrderRow(trx, f.order_id);
  const groups = await trx
    .selectFrom('fulfillments')
    .select('status')
    .where('order_id', '=', order.id)
    .execute();
  if (groups.length === 1) {
    await cancelOrderInTransaction(
      trx,
      order,
      systemReason('NOT_COLLECTED'),
      'system',
      { refund: true },
      deps.engine,
    );
    return;
  }
  await endReservations(trx, f, 'release', 'system');
  await moveFulfillment(trx, f, 'cancel');
  await addTimeline(trx, order.id, {
    kind: 'fulfillment',
    code: 'fulfillment.not_collected',
    params: { location: f.location, deadline: f.pickup_deadline! },
    actor: 'system',
  });
  await appendEvents(trx, [fulfillmentEvent(f, 'cancelled', { reason: 'pickup deadline' })]);
  await refundGroup(trx, order, f, systemReason('NOT_COLLECTED'));
  await syncOrderWithFulfillments(trx, deps.engine, order, 'system');
}

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
    orderEvent(order, 'order.paid', {
      memberId: order.member_id,
      amount: payment.amount,
      paymentId: payment.paymentId,
    }),
  ]);
  await startFulfillment(trx, deps, order);
}

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

/** A transfer for a pickup arrived: reserve the units at the pickup store for this order; when all are in, the store can prepare it. */
export async function transferReceived(
  trx: Trx,
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
  await addTimeline(trx, f.order_id, {
    kind: 'fulfillment',
    code: 'fulfillment.transfer_arrived',
    params: { location: transfer.to, sku: transfer.sku, quantity: transfer.quantity },
    actor: 'system',
  });
  if (waiting.length === 0 && f.status === 'awaiting_transfer') {
    await moveFulfillment(trx, f, 'transfer_arrived');
    await scheduleJob(trx, {
      kind: ACCEPT_TIMEOUT_JOB,
      runAt: isoAfter(ACCEPT_WITHIN_MS),
      key: `${ACCEPT_TIMEOUT_JOB}:${f.id}`,
      payload: { fulfillmentId: f.id },
    });
    await appendEvents(trx, [fulfillmentEvent(f, 'transfer_arrived')]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Cancelling single lines

/** What cancelling `quantity` more units of a line refunds in money: exact fen, the last unit takes the remainder. */
export function lineMoneyShare(
  line: { quantity: number; paidAmount: number; pointsAmount: number; cancelledQuantity: number },
  quantity: number,
): number {
  const money = line.paidAmount - line.pointsAmount;
  const before = Math.floor((money * line.cancelledQuantity) / line.quantity);
  const after = Math.floor((money * (line.cancelledQuantity + quantity)) / line.quantity);
  return after - before;
}

const OPEN_STATUSES = new Set(['pending', 'accepted', 'ready_for_pickup']);

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
  const groups = await trx
    .selectFrom('fulfillments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('status', '!=', 'cancelled')
    .execute();
  const groupLines = groups.length
    ? await trx
        .selectFrom('fulfillment_lines')
        .selectAll()
        .where(
          'fulfillment_id',
          'in',
          groups.map((g) => g.id),
        )
        .execute()
    : [];
  const transfers = groups.length
    ? await trx
        .selectFrom('fulfillment_transfers')
        .selectAll()
        .where(
          'fulfillment_id',
          'in',
          groups.map((g) => g.id),
        )
        .execute()
    : [];

  const take = new Map<string, Map<string, number>>(); // group → sku → units cancelled there
  let refundAmount = 0;
  const pointsBack: { lineNo: number; quantity: number; pointsAmount: number }[] = [];
  for (const want of requested) {
    const line = orderLines.find((l) => l.sku === want.sku);
    if (!line) {
      throw OrderErrors.lineNotFound(`Order ${orderId} has no line for ${want.sku}`, {
        errors: [{ path: 'lines', message: `no line ${want.sku}` }],
      });
    }
    const open = Number(line.quantity) - Number(line.cancelled_quantity);
    if (want.quantity > open) {
      throw OrderErrors.cancelQuantityExceeded(`Only ${open} of ${want.sku} can still be cancelled`, {
        extra: { sku: want.sku, open },
      });
    }
    let left = want.quantity;
    for (const g of groups) {
      if (left === 0) break;
      if (!OPEN_STATUSES.has(g.status)) continue;
      if (transfers.some((tr) => tr.fulfillment_id === g.id)) continue;
      const gl = groupLines.find((x) => x.fulfillment_id === g.id && x.sku === want.sku);
      const already = take.get(g.id)?.get(want.sku) ?? 0;
      const here = Math.min(left, Number(gl?.quantity ?? 0) - already);
      if (here <= 0) continue;
      if (!take.has(g.id)) take.set(g.id, new Map());
      take.get(g.id)!.set(want.sku, already + here);
      left -= here;
    }
    if (left > 0) {
      throw OrderErrors.notCancellable(
        `${left} of ${want.sku} have left a location, been handed over or wait for a transfer: return them, or cancel the whole order`,
      );
    }
    refundAmount += lineMoneyShare(
      {
        quantity: Number(line.quantity),
        paidAmount: Number(line.paid_amount),
        pointsAmount: Number(line.points_amount),
        cancelledQuantity: Number(line.cancelled_quantity),
      },
      want.quantity,
    );
    const pointsPart =
      Math.floor(
        (Number(line.points_amount) * (Number(line.cancelled_quantity) + want.quantity)) /
          Number(line.quantity),
      ) - Math.floor((Number(line.points_amount) * Number(line.cancelled_quantity)) / Number(line.quantity));
    if (pointsPart > 0)
      pointsBack.push({ lineNo: Number(line.line_no), quantity: want.quantity, pointsAmount: pointsPart });
    await trx
      .updateTable('order_lines')
      .set((eb) => ({ cancelled_quantity: eb('cancelled_quantity', '+', want.quantity) }))
      .where('order_id', '=', orderId)
      .where('line_no', '=', line.line_no)
      .execute();
  }

  const events: NewEvent[] = [];
  for (const [groupId, cut] of take) {
    const g = groups.find((x) => x.id === groupId)!;
    const remaining = groupLines
      .filter((x) => x.fulfillment_id === groupId)
      .map((x) => ({ sku: x.sku, quantity: Number(x.quantity) - (cut.get(x.sku) ?? 0) }));
    await endReservations(trx, g, 'release', actor);
    for (const line of remaining) {
      if (line.quantity > 0) {
        await trx
          .updateTable('fulfillment_lines')
          .set({ quantity: line.quantity })
          .where('fulfillment_id', '=', groupId)
          .where('sku', '=', line.sku)
          .execute();
      } else {
        await trx
          .deleteFrom('fulfillment_lines')
          .where('fulfillment_id', '=', groupId)
          .where('sku', '=', line.sku)
          .execute();
      }
    }
    const kept = remaining.filter((l) => l.quantity > 0);
    if (kept.length === 0) {
      await trx
        .updateTable('fulfillments')
        .set({ status: 'cancelled', reservation_id: null, updated_at: nowIso() })
        .where('id', '=', groupId)
        .execute();
      await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${groupId}`);
      await cancelJob(trx, `${PICKUP_DEADLINE_JOB}:${groupId}`);
      g.status = 'cancelled';
      events.push(fulfillmentEvent(g, 'cancelled', { reason: reason.reason }));
    } else {
      // The units just freed are the ones reserved again: this cannot come up short.
      const reservation = await reserveStock(trx, {
        lines: kept.map((l) => ({ sku: l.sku, location: g.location, quantity: l.quantity })),
        ttlSeconds: 30 * 24 * 3600,
        reference: `${orderId}/${groupId}`,
      });
      await trx
        .updateTable('fulfillments')
        .set({ reservation_id: reservation.id, updated_at: nowIso() })
        .where('id', '=', groupId)
        .execute();
    }
  }
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
    orderEvent(order, 'order.lines_cancelled', {
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
