import type { Kysely, Selectable } from 'kysely';
import {
  commitReservation,
  getReservation,
  getTransfer,
  moveTransfer,
  planReservation,
  type Reservation,
  releaseReservation,
  requestTransfer,
  takeReservedStock,
} from '../inventory/index.js';
import type { OrderRow } from '../orders/index.js';
import {
  type DB,
  type Engine,
  insertRows,
  type NewEvent,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { FulfillmentDeps } from './fulfillment.deps.js';
import { FulfillmentErrors } from './fulfillment.errors.js';
import type { FulfillmentEvent, GroupChangeExtra } from './fulfillment.events.js';
import type {
  FulfillmentLinesTable,
  FulfillmentsTable,
  FulfillmentTransfersTable,
} from './fulfillment.schema.js';
import { type FulfillmentAction, type FulfillmentStatus, transitionFulfillment } from './lifecycle.rules.js';
import type { PlannedGroup } from './sourcing.plan.js';

/*
 * A fulfillment group's rows and the moves every capability makes on them: written from a plan, moved along its
 * lifecycle, its reservations committed or freed, cancelled with its order.
 */

export type FulfillmentRow = Selectable<FulfillmentsTable>;

/** A group's rows as stored (or as just written). */
export interface GroupRows {
  fulfillments: FulfillmentRow[];
  fulfillmentLines: Selectable<FulfillmentLinesTable>[];
  transfers: Selectable<FulfillmentTransfersTable>[];
}

export const ACCEPT_TIMEOUT_JOB = 'fulfillment.accept_timeout';
export const PICKUP_DEADLINE_JOB = 'fulfillment.pickup_deadline';

// The unpaid-order sweeper is what cancels an unpaid order; the reservations it holds live longer, as a safety
// net that frees stock even if something went wrong with the order (a pickup can wait days for its customer).
const RESERVATION_SAFETY_TTL_S = 30 * 24 * 3600;

/** A step of a group, with the group as it now is (and what the step adds). */
export function fulfillmentEvent(
  f: FulfillmentRow,
  step: FulfillmentEvent,
  extra: GroupChangeExtra = {},
): NewEvent {
  return newEvent(step, {
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
  });
}

export async function requireFulfillment(db: Kysely<DB>, id: string): Promise<FulfillmentRow> {
  const row = await db.selectFrom('fulfillments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw FulfillmentErrors.notFound(`No fulfillment ${id}`);
  return row;
}

/**
 * Moves a group with a conditional update; throws FULFILLMENT.INVALID_TRANSITION when the move is not allowed,
 * and the order's ORDER.INVALID_TRANSITION when the group changed meanwhile.
 */
export async function moveFulfillment(
  trx: Trx,
  deps: FulfillmentDeps,
  f: FulfillmentRow,
  action: FulfillmentAction,
  set: Partial<
    Pick<FulfillmentsTable, 'pickup_code' | 'ready_at' | 'pickup_deadline' | 'carrier' | 'tracking_number'>
  > = {},
): Promise<FulfillmentStatus> {
  const next = transitionFulfillment(f.type, f.status, action);
  const moved = await trx
    .updateTable('fulfillments')
    .set({ status: next, updated_at: nowIso(), ...set })
    .where('id', '=', f.id)
    .where('status', '=', f.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    throw changedMeanwhile(deps, f, action);
  }
  f.status = next;
  Object.assign(f, set);
  return next;
}

/** The answer when a group's conditional update found it moved by someone else: read it again. */
export function changedMeanwhile(deps: FulfillmentDeps, f: FulfillmentRow, action: string) {
  return deps.orders.invalidTransition(
    `Fulfillment ${f.id} changed while trying to ${action}; read it again`,
  );
}

/**
 * A store's action on a group of a paid order: the group and its order are read, `act` moves it, then the order
 * follows its groups; the answer is the group as it now is.
 */
export async function actOnGroup(
  trx: Trx,
  deps: FulfillmentDeps,
  id: string,
  action: string,
  actor: string,
  act: (f: FulfillmentRow, order: OrderRow) => Promise<void>,
): Promise<FulfillmentRow> {
  const f = await requireFulfillment(trx, id);
  const order = await deps.orders.requireOrder(trx, f.order_id);
  if (order.status !== 'paid' && order.status !== 'fulfilling') {
    throw deps.orders.invalidTransition(`Order ${order.id} is ${order.status}: its groups cannot ${action}`);
  }
  await act(f, order);
  await deps.orders.followGroups(trx, deps.engine, order, actor);
  return requireFulfillment(trx, id);
}

/** The reservations a group holds: its own stock and the transferred units received for it. */
async function reservationsOf(trx: Trx, f: FulfillmentRow): Promise<string[]> {
  const transferred = await trx
    .selectFrom('fulfillment_transfers')
    .select('reservation_id')
    .where('fulfillment_id', '=', f.id)
    .execute();
  return [f.reservation_id, ...transferred.map((t) => t.reservation_id)].filter(
    (id): id is string => id !== null,
  );
}

export async function endReservations(
  trx: Trx,
  f: FulfillmentRow,
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
export async function cancelOpenTransfers(
  trx: Trx,
  engine: Engine,
  f: FulfillmentRow,
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
 * Writes the planned groups: reserves what each location supplies itself and asks for the transfers a pickup
 * needs (those units are reserved at their source at once). Every group starts `pending`.
 * The groups' own stock is taken after their rows are written; with `reservations`, the caller takes it
 * (`takeReservedStock`) once it has written the rest of its change, as late as it can.
 */
export async function createFulfillments(
  trx: Trx,
  input: {
    orderId: string;
    groups: readonly PlannedGroup[];
    localDay: string;
    rejectedBy: readonly string[];
    /** Where the stock-level events go when the caller appends them with its own. */
    events?: NewEvent[];
    /** Where the groups' reservations go when the caller takes their stock itself. */
    reservations?: Reservation[];
  },
): Promise<GroupRows> {
  const reservations = input.reservations ?? [];
  const written: GroupRows = {
    fulfillments: [],
    fulfillmentLines: [],
    transfers: [],
  };
  const now = nowIso();
  for (const group of input.groups) {
    const id = newId('ful');
    const incoming = new Map<string, number>();
    for (const transfer of group.transfers ?? [])
      incoming.set(transfer.sku, (incoming.get(transfer.sku) ?? 0) + transfer.quantity);
    const own = group.lines
      .map((line) => ({
        sku: line.sku,
        location: group.location,
        quantity: line.quantity - (incoming.get(line.sku) ?? 0),
      }))
      .filter((line) => line.quantity > 0);
    const reservation =
      own.length > 0
        ? planReservation({
            lines: own,
            ttlSeconds: RESERVATION_SAFETY_TTL_S,
            reference: `${input.orderId}/${id}`,
          })
        : null;
    if (reservation) reservations.push(reservation);
    const row: FulfillmentRow = {
      id,
      order_id: input.orderId,
      location: group.location,
      type: group.type,
      status: 'pending',
      reservation_id: reservation?.id ?? null,
      pickup_code: null,
      ready_by: group.readyBy ?? null,
      ready_at: null,
      pickup_deadline: null,
      carrier: null,
      tracking_number: null,
      rejected_by: JSON.stringify(input.rejectedBy),
      local_day: input.localDay,
      created_at: now,
      updated_at: now,
    };
    await insertRows(trx, 'fulfillments', [row]);
    const lines = group.lines.map((line) => ({ fulfillment_id: id, sku: line.sku, quantity: line.quantity }));
    await insertRows(trx, 'fulfillment_lines', lines);
    written.fulfillments.push(row);
    written.fulfillmentLines.push(...lines);
    for (const transfer of group.transfers ?? []) {
      const requested = await requestTransfer(trx, {
        sku: transfer.sku,
        from: transfer.from,
        to: group.location,
        quantity: transfer.quantity,
        reference: `ful:${id}`,
      });
      const link = {
        transfer_id: requested.id,
        fulfillment_id: id,
        from_location: transfer.from,
        sku: transfer.sku,
        quantity: transfer.quantity,
        received: 0,
        reservation_id: null,
      };
      await trx.insertInto('fulfillment_transfers').values(link).execute();
      written.transfers.push(link);
    }
  }
  if (!input.reservations) await takeReservedStock(trx, reservations, input.events);
  return written;
}
