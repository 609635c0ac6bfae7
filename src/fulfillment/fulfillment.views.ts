import type { Kysely, Selectable } from 'kysely';
import type { DB, Principal } from '../platform/index.js';
import type { FulfillmentView } from './fulfillment.contract.js';
import type { OrderLink } from './fulfillment.deps.js';
import type { FulfillmentLinesTable, FulfillmentTransfersTable } from './fulfillment.schema.js';
import type { FulfillmentRow } from './groups.service.js';
import type { FulfillmentStatus } from './lifecycle.rules.js';
import type { FulfillmentGroupType } from './sourcing.config.js';

export interface FulfillmentViewer {
  /** Shows pickup codes (the customer, HQ); store staff verify a code, they must not read it. */
  seesPickupCodes: boolean;
}

/** Who reads pickup codes: the customer, HQ and the channel apps that show it to the customer. */
export function seesPickupCodes(principal: Principal): boolean {
  return (
    principal.role === 'admin' ||
    principal.role === 'ops' ||
    principal.role === 'customer' ||
    principal.role === 'channel'
  );
}

function toFulfillmentView(
  row: FulfillmentRow,
  lines: { sku: string; quantity: number }[],
  transfers: FulfillmentView['transfers'],
  viewer: FulfillmentViewer,
  awaitingPayment: boolean,
): FulfillmentView {
  return {
    id: row.id,
    orderId: row.order_id,
    location: row.location,
    type: row.type,
    status: row.status,
    awaitingPayment,
    ...(viewer.seesPickupCodes ? { pickupCode: row.pickup_code } : {}),
    readyBy: row.ready_by,
    readyAt: row.ready_at,
    pickupDeadline: row.pickup_deadline,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    lines,
    transfers,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The groups' views, from their rows and the rows of their lines and transfers; `unpaid` holds the orders still
 * waiting for payment (their groups are nobody's work yet).
 */
export function toFulfillmentViews(
  rows: FulfillmentRow[],
  lines: Selectable<FulfillmentLinesTable>[],
  transfers: Selectable<FulfillmentTransfersTable>[],
  viewer: FulfillmentViewer,
  unpaid: ReadonlySet<string> = new Set(),
): FulfillmentView[] {
  return rows.map((row) =>
    toFulfillmentView(
      row,
      lines
        .filter((l) => l.fulfillment_id === row.id)
        .map((l) => ({ sku: l.sku, quantity: Number(l.quantity) }))
        .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0)),
      transfers
        .filter((t) => t.fulfillment_id === row.id)
        .map((t) => ({
          transferId: t.transfer_id,
          from: t.from_location,
          sku: t.sku,
          quantity: Number(t.quantity),
          received: Number(t.received) === 1,
        })),
      viewer,
      unpaid.has(row.order_id),
    ),
  );
}

/** The groups' views, reading their lines and transfers. */
export async function fulfillmentViews(
  db: Kysely<DB>,
  rows: FulfillmentRow[],
  viewer: FulfillmentViewer,
  unpaid: ReadonlySet<string> = new Set(),
): Promise<FulfillmentView[]> {
  if (rows.length === 0) return [];
  const [lines, transfers] = await readGroupParts(
    db,
    rows.map((r) => r.id),
  );
  return toFulfillmentViews(rows, lines, transfers, viewer, unpaid);
}

/** An order's groups in the order they were made (for its view). */
export function readGroupsOfOrder(db: Kysely<DB>, orderId: string): Promise<FulfillmentRow[]> {
  return db
    .selectFrom('fulfillments')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The lines and transfers of some groups. */
export function readGroupParts(
  db: Kysely<DB>,
  ids: string[],
): Promise<[Selectable<FulfillmentLinesTable>[], Selectable<FulfillmentTransfersTable>[]]> {
  return Promise.all([
    db
      .selectFrom('fulfillment_lines')
      .selectAll()
      .where('fulfillment_id', 'in', ids)
      .orderBy('sku')
      .execute(),
    db.selectFrom('fulfillment_transfers').selectAll().where('fulfillment_id', 'in', ids).execute(),
  ]);
}

/**
 * A location's tasks, newest first (pickups waiting, ship-from-store tasks to accept …), each saying whether its
 * order still waits for payment; `awaitingPayment` keeps only those that do (true) or do not (false), among the
 * newest `limit`.
 */
export async function listTasks(
  db: Kysely<DB>,
  orders: Pick<OrderLink, 'unpaidOf'>,
  filter: {
    location: string | undefined;
    status?: string | undefined;
    type?: FulfillmentGroupType | undefined;
    awaitingPayment?: boolean | undefined;
    limit: number;
  },
  viewer: FulfillmentViewer,
): Promise<FulfillmentView[]> {
  let query = db.selectFrom('fulfillments').selectAll().orderBy('created_at', 'desc').limit(filter.limit);
  if (filter.location !== undefined) query = query.where('location', '=', filter.location);
  // Any text is a status here (the query does not list them): one that is not matches no task.
  if (filter.status) query = query.where('status', '=', filter.status as FulfillmentStatus);
  if (filter.type) query = query.where('type', '=', filter.type);
  const found = await query.execute();
  const unpaid = await orders.unpaidOf(db, [...new Set(found.map((r) => r.order_id))]);
  const rows =
    filter.awaitingPayment === undefined
      ? found
      : found.filter((r) => unpaid.has(r.order_id) === filter.awaitingPayment);
  return fulfillmentViews(db, rows, viewer, unpaid);
}
