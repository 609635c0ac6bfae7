import type { Kysely, Selectable } from 'kysely';
import { reserveStock } from '../inventory/index.js';
import { cancelJob, type DB, type Engine, type NewEvent, nowIso, type Trx } from '../platform/index.js';
import { FulfillmentCancelled } from './fulfillment.events.js';
import type { FulfillmentLinesTable } from './fulfillment.schema.js';
import {
  ACCEPT_TIMEOUT_JOB,
  cancelOpenTransfers,
  endReservations,
  type FulfillmentRow,
  fulfillmentEvent,
  PICKUP_DEADLINE_JOB,
} from './groups.service.js';
import type { FulfillmentStatus } from './lifecycle.rules.js';

/*
 * What the order hub does to an order's groups: reads their statuses, cancels the open ones with the order, and
 * takes cancelled units out of them.
 */

/** The statuses of an order's groups (the order's own status follows them). */
export async function groupStatusesOf(trx: Trx, orderId: string): Promise<FulfillmentStatus[]> {
  return (
    await trx.selectFrom('fulfillments').select('status').where('order_id', '=', orderId).execute()
  ).map((r) => r.status);
}

/** Every group of an order, whatever its status. */
export function groupsOfOrder(trx: Trx, orderId: string): Promise<FulfillmentRow[]> {
  return trx.selectFrom('fulfillments').selectAll().where('order_id', '=', orderId).execute();
}

/**
 * Cancels the groups of a cancelled order that have not finished: their reservations and open transfers are
 * freed and their jobs dropped. Answers their `fulfillment.cancelled` events, for the caller to append with its own.
 */
export async function cancelOpenGroups(
  trx: Trx,
  engine: Engine,
  groups: FulfillmentRow[],
  actor: string | null,
  at: string,
): Promise<NewEvent[]> {
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
      .set({ status: 'cancelled', updated_at: at })
      .where('id', '=', f.id)
      .execute();
    await cancelJob(trx, `${ACCEPT_TIMEOUT_JOB}:${f.id}`);
    await cancelJob(trx, `${PICKUP_DEADLINE_JOB}:${f.id}`);
    f.status = 'cancelled';
    events.push(fulfillmentEvent(f, FulfillmentCancelled));
  }
  return events;
}

/** A group that is not cancelled, with its lines, and whether units can still be taken out of it. */
export interface LiveGroup {
  group: FulfillmentRow;
  lines: Selectable<FulfillmentLinesTable>[];
  /** Nothing has left it and it waits for no transfer (a group that does is cancelled with the whole order). */
  cancellable: boolean;
}

const OPEN_STATUSES: ReadonlySet<FulfillmentStatus> = new Set(['pending', 'accepted', 'ready_for_pickup']);

/** An order's groups that are not cancelled, with their lines. */
export async function liveGroupsOf(trx: Trx, orderId: string): Promise<LiveGroup[]> {
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
  return groups.map((group) => ({
    group,
    lines: groupLines.filter((l) => l.fulfillment_id === group.id),
    cancellable: OPEN_STATUSES.has(group.status) && !transfers.some((t) => t.fulfillment_id === group.id),
  }));
}

/** Units to take out of groups: group id → SKU → units. */
export type UnitsToTake = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * Takes cancelled units out of their groups: their reservations are freed (the group's remaining lines are
 * reserved again at the same location, in the same transaction), and groups left empty are cancelled. Answers
 * the `fulfillment.cancelled` events, for the caller to append with its own.
 */
export async function takeUnitsOut(
  trx: Trx,
  live: readonly LiveGroup[],
  take: UnitsToTake,
  orderId: string,
  reason: string,
  actor: string,
): Promise<NewEvent[]> {
  const events: NewEvent[] = [];
  for (const [groupId, cut] of take) {
    const { group: g, lines } = live.find((x) => x.group.id === groupId)!;
    const remaining = lines.map((x) => ({
      sku: x.sku,
      quantity: Number(x.quantity) - (cut.get(x.sku) ?? 0),
    }));
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
      events.push(fulfillmentEvent(g, FulfillmentCancelled, { reason }));
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
  return events;
}

/** The lines of one group. */
export function groupLinesOf(trx: Trx, groupId: string): Promise<Selectable<FulfillmentLinesTable>[]> {
  return trx.selectFrom('fulfillment_lines').selectAll().where('fulfillment_id', '=', groupId).execute();
}

/** The ids of an order's groups that are not cancelled. */
export function liveGroupIdsOf(trx: Trx, orderId: string): Promise<{ id: string }[]> {
  return trx
    .selectFrom('fulfillments')
    .select('id')
    .where('order_id', '=', orderId)
    .where('status', '!=', 'cancelled')
    .execute();
}

/** Whether one of an order's groups is at this location. */
export async function hasGroupAt(db: Kysely<DB>, orderId: string, location: string): Promise<boolean> {
  const row = await db
    .selectFrom('fulfillments')
    .select('id')
    .where('order_id', '=', orderId)
    .where('location', '=', location)
    .executeTakeFirst();
  return row !== undefined;
}
