import type { Kysely, Selectable } from 'kysely';
import type { FulfillmentStatus, GroupRows, PlannedFulfillment, PlannedGroup } from '../fulfillment/index.js';
import {
  type DB,
  type EventContract,
  type EventPayload,
  insertRows,
  type NewEvent,
  newEvent,
  nowIso,
  type Trx,
} from '../platform/index.js';
import { OrderErrors } from './orders.errors.js';
import type { OrderCompleted } from './orders.events.js';
import { type OrderStatus, transitionOrder } from './orders.rules.js';
import type { OrderLinesTable, OrdersTable, OrderTimelineTable } from './orders.schema.js';
import { type TimelineSay, timelineSentence } from './orders.timeline.js';

/*
 * The order hub's rows and the small writes every capability shares: an order's row read or moved along its
 * state machine, a timeline step, an event on the order's stream.
 */

export type OrderRow = Selectable<OrdersTable>;

export type TimelineRow = Omit<Selectable<OrderTimelineTable>, 'seq'>;

export interface Address {
  city: string;
  lat: number;
  lng: number;
  line1?: string | undefined;
  name?: string | undefined;
  phone?: string | undefined;
}

/** The sourcing plan an order keeps, with its explanation. */
export interface OrderPlan {
  groups: PlannedGroup[];
  explanation: PlannedFulfillment['explanation'];
}

/** Everything an order's view is made of, as stored (or as just written, for a new order). */
export interface OrderRows extends GroupRows {
  order: OrderRow;
  lines: Selectable<OrderLinesTable>[];
  timeline: TimelineRow[];
  /** The recipient in clear, when these rows were just written (no need to decrypt `address_private`). */
  address?: Address | null;
  /** The plan as planned, when these rows were just written (no need to read `plan` back). */
  plan?: OrderPlan;
}

export async function requireOrderRow(db: Kysely<DB>, id: string): Promise<OrderRow> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw OrderErrors.notFound(`No order ${id}`);
  return row;
}

/** A timeline entry to write: what happened as a code and its params (orders.timeline.ts), and who did it. */
export type TimelineEntryInput = TimelineSay & {
  kind: string;
  from?: OrderStatus | null;
  to?: OrderStatus | null;
  actor?: string | null;
  data?: object;
};

export async function addTimeline(
  trx: Trx,
  orderId: string,
  entry: TimelineEntryInput,
): Promise<TimelineRow> {
  const row = {
    order_id: orderId,
    at: nowIso(),
    kind: entry.kind,
    from_status: entry.from ?? null,
    to_status: entry.to ?? null,
    message: timelineSentence(entry),
    actor: entry.actor ?? null,
    data: entry.data === undefined ? null : JSON.stringify(entry.data),
    code: entry.code,
    params: JSON.stringify(entry.params),
  };
  await insertRows(trx, 'order_timeline', [row]);
  return row;
}

export function orderEvent<C extends EventContract>(
  order: Pick<OrdersTable, 'id' | 'store_code'>,
  contract: C,
  payload: Omit<EventPayload<C>, 'orderId'>,
): NewEvent {
  return newEvent(contract, {
    stream: `order:${order.id}`,
    location: order.store_code,
    payload: { orderId: order.id, ...payload } as EventPayload<C>,
  });
}

/**
 * Moves the order along its state machine with a conditional update (`where status = current`), so that two
 * concurrent moves cannot both apply; writes the timeline entry. Returns false when the status had changed.
 */
export async function moveOrder(
  trx: Trx,
  order: OrderRow,
  to: OrderStatus,
  entry: TimelineSay & { actor: string | null; data?: object },
  fulfillmentStatuses?: readonly FulfillmentStatus[],
  extra: Partial<Pick<OrdersTable, 'paid_amount' | 'completed_at' | 'cancelled_at' | 'cancel_reason'>> = {},
): Promise<boolean> {
  transitionOrder(order.status, to, fulfillmentStatuses);
  const now = nowIso();
  const moved = await trx
    .updateTable('orders')
    .set({ status: to, updated_at: now, ...extra })
    .where('id', '=', order.id)
    .where('status', '=', order.status)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
  await addTimeline(trx, order.id, { ...entry, kind: 'status', from: order.status, to });
  order.status = to;
  Object.assign(order, extra);
  return true;
}

/** The `order.completed` payload loyalty and analytics consume. */
export async function completedPayload(
  trx: Trx,
  order: OrderRow,
  completedAt: string,
): Promise<Omit<EventPayload<typeof OrderCompleted>, 'orderId'>> {
  const lines = await trx
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', order.id)
    .orderBy('line_no')
    .execute();
  return {
    channel: order.channel,
    storeCode: order.store_code,
    memberId: order.member_id,
    completedAt,
    paidAmount: Number(order.paid_amount),
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      sku: l.sku,
      category: l.category,
      quantity: Number(l.quantity),
      unitPrice: Number(l.unit_price),
      discountAmount: Number(l.discount_amount),
      pointsAmount: Number(l.points_amount),
      paidAmount: Number(l.paid_amount),
    })),
  };
}
