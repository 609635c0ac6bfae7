import type { Kysely, Selectable } from 'kysely';
import { receiveReturn as receiveStock } from '../inventory/index.js';
import { requireLocation } from '../locations/index.js';
import { type ReturnReversal, reverseForReturn } from '../loyalty/index.js';
import { addTimeline, getOrderView, type OrdersDeps, requireOrderRow } from '../orders/index.js';
import { listRefunds, startRefund } from '../payments/index.js';
import { appendEvent, type DB, newId, nowIso, type PublishedEvent, type Trx } from '../platform/index.js';
import { ReturnErrors } from './aftersales.errors.js';
import {
  type LineReturnState,
  refundForUnits,
  refundStateOf,
  returnStartsReceived,
  returnWindowClosesAt,
  returnWindowOpensAt,
  wholeOrderReturned,
  withinReturnWindow,
} from './aftersales.rules.js';
import type {
  ItemCondition,
  ReturnLinesTable,
  ReturnLineTotalsTable,
  ReturnRefundStatus,
  ReturnStatus,
  ReturnsTable,
} from './aftersales.schema.js';

export interface AftersalesDeps {
  orders: OrdersDeps;
  /** How long after delivery an item may be returned (ms). */
  returnWindowMs: number;
}

export interface Actor {
  role: string;
  subject: string;
  requestId?: string | undefined;
}

export function actorName(actor: Actor): string {
  return `${actor.role}:${actor.subject}`;
}

export interface ReturnRequest {
  orderId: string;
  lines: { sku: string; quantity: number }[];
  channel: string;
  location: string;
  reason: string;
  condition: ItemCondition;
  clientRequestId?: string | undefined;
}

export interface ReceiveInput {
  location: string;
  /** The condition of every line, unless a line says otherwise. */
  condition?: ItemCondition | undefined;
  lines?: { sku: string; condition: ItemCondition }[] | undefined;
}

export interface ReturnLineView {
  lineNo: number;
  sku: string;
  quantity: number;
  condition: ItemCondition | null;
  /** Money the units cost (fen). */
  refundAmount: number;
  /** What the units cost in points, as fen; given back as points. */
  pointsAmount: number;
}

export interface ReturnView {
  id: string;
  orderId: string;
  memberId: string | null;
  exchangeId: string | null;
  status: ReturnStatus;
  channel: string;
  location: string;
  receivedLocation: string | null;
  reason: string;
  condition: ItemCondition;
  clientRequestId: string | null;
  lines: ReturnLineView[];
  /** What the returned units cost in money. */
  moneyValue: number;
  /** Of which spent on an exchange's replacement. */
  creditAmount: number;
  /** Going back to the original payment. */
  refundAmount: number;
  /** Value of the points given back, in fen. */
  pointsAmount: number;
  refundStatus: ReturnRefundStatus;
  refundAttempts: number;
  refundLastError: string | null;
  loyalty: ReturnReversal | null;
  requestedBy: string;
  receivedBy: string | null;
  createdAt: string;
  updatedAt: string;
  receivedAt: string | null;
  refundedAt: string | null;
}

type ReturnRow = Selectable<ReturnsTable>;

function toReturnView(row: ReturnRow, lines: Selectable<ReturnLinesTable>[]): ReturnView {
  return {
    id: row.id,
    orderId: row.order_id,
    memberId: row.member_id,
    exchangeId: row.exchange_id,
    status: row.status,
    channel: row.channel,
    location: row.location,
    receivedLocation: row.received_location,
    reason: row.reason,
    condition: row.condition,
    clientRequestId: row.client_request_id,
    lines: lines
      .sort((a, b) => Number(a.line_no) - Number(b.line_no))
      .map((l) => ({
        lineNo: Number(l.line_no),
        sku: l.sku,
        quantity: Number(l.quantity),
        condition: l.condition,
        refundAmount: Number(l.money_amount),
        pointsAmount: Number(l.points_amount),
      })),
    moneyValue: Number(row.money_value),
    creditAmount: Number(row.credit_amount),
    refundAmount: Number(row.refund_amount),
    pointsAmount: Number(row.points_value),
    refundStatus: row.refund_status,
    refundAttempts: Number(row.refund_attempts),
    refundLastError: row.refund_last_error,
    loyalty: row.loyalty === null ? null : (JSON.parse(row.loyalty) as ReturnReversal),
    requestedBy: row.requested_by,
    receivedBy: row.received_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    receivedAt: row.received_at,
    refundedAt: row.refunded_at,
  };
}

export async function requireReturnRow(db: Kysely<DB>, id: string): Promise<ReturnRow> {
  const row = await db.selectFrom('returns').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw ReturnErrors.notFound(`No return ${id}`);
  return row;
}

export async function getReturn(db: Kysely<DB>, id: string): Promise<ReturnView> {
  const row = await requireReturnRow(db, id);
  const lines = await db.selectFrom('return_lines').selectAll().where('return_id', '=', id).execute();
  return toReturnView(row, lines);
}

export interface ReturnFilter {
  status?: ReturnStatus | undefined;
  refundStatus?: ReturnRefundStatus | undefined;
  /** Asked for or received there. */
  location?: string | undefined;
  orderId?: string | undefined;
  memberId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Returns newest first (ids sort by creation time). */
export async function listReturns(
  db: Kysely<DB>,
  filter: ReturnFilter,
): Promise<{ items: ReturnView[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('returns')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.refundStatus) query = query.where('refund_status', '=', filter.refundStatus);
  if (filter.orderId) query = query.where('order_id', '=', filter.orderId);
  if (filter.memberId) query = query.where('member_id', '=', filter.memberId);
  if (filter.location) {
    const location = filter.location;
    query = query.where((eb) =>
      eb.or([eb('location', '=', location), eb('received_location', '=', location)]),
    );
  }
  if (filter.cursor) query = query.where('id', '<', Buffer.from(filter.cursor, 'base64url').toString('utf8'));
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  const lines =
    page.length === 0
      ? []
      : await db
          .selectFrom('return_lines')
          .selectAll()
          .where(
            'return_id',
            'in',
            page.map((r) => r.id),
          )
          .execute();
  const last = page.at(-1);
  return {
    items: page.map((row) =>
      toReturnView(
        row,
        lines.filter((l) => l.return_id === row.id),
      ),
    ),
    nextCursor: rows.length > filter.limit && last ? Buffer.from(last.id).toString('base64url') : null,
  };
}

const RETURNABLE_ORDER_STATUSES = new Set(['paid', 'fulfilling', 'completed']);

/**
 * Opens a return of delivered or collected units of an order, whatever channel sold it: checks that each unit
 * was bought and reached the customer, that it was not returned already (all earlier returns that were not
 * cancelled count) and that its return window is open; claims the units and prices them — exactly what each
 * unit paid, money and points apart — with conditional updates on the line's totals. Online it is `requested`
 * (the goods come later to any store or warehouse); at a store counter (`pos`) it is received at once. The same
 * `clientRequestId` for the same order returns the first return.
 */
export async function requestReturn(
  trx: Trx,
  deps: AftersalesDeps,
  input: ReturnRequest,
  actor: Actor,
  options: { exchangeId?: string; receiveNow?: boolean; now?: Date } = {},
): Promise<{ returnId: string; replayed: boolean }> {
  const now = options.now ?? new Date();
  const order = await requireOrderRow(trx, input.orderId);
  const receiveNow = options.receiveNow ?? returnStartsReceived(input.channel);
  const location = await requireLocation(trx, input.location);
  if (receiveNow && location.kind !== 'store') {
    throw ReturnErrors.locationInvalid(
      `${input.location} is a ${location.kind}: a counter return or exchange happens at a store`,
    );
  }
  if (!location.active) throw ReturnErrors.locationInvalid(`${input.location} is closed`);

  const requested = new Map<string, number>();
  for (const line of input.lines) requested.set(line.sku, (requested.get(line.sku) ?? 0) + line.quantity);

  const id = newId('ret');
  const at = now.toISOString();
  const inserted = await trx
    .insertInto('returns')
    .values({
      id,
      order_id: order.id,
      member_id: order.member_id,
      exchange_id: options.exchangeId ?? null,
      status: 'requested',
      channel: input.channel,
      location: input.location,
      received_location: null,
      reason: input.reason,
      condition: input.condition,
      client_request_id: input.clientRequestId ?? null,
      money_value: 0,
      points_value: 0,
      credit_amount: 0,
      refund_amount: 0,
      refund_status: 'not_started',
      refund_attempts: 0,
      refund_last_error: null,
      loyalty: null,
      requested_by: actorName(actor),
      received_by: null,
      created_at: at,
      updated_at: at,
      received_at: null,
      refunded_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['order_id', 'client_request_id']).where('client_request_id', 'is not', null).doNothing(),
    )
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    // The same submission again (a double tap, a retry without Idempotency-Key): the first return answers.
    const first = await trx
      .selectFrom('returns')
      .selectAll()
      .where('order_id', '=', order.id)
      .where('client_request_id', '=', input.clientRequestId ?? '')
      .executeTakeFirstOrThrow();
    const firstLines = await trx
      .selectFrom('return_lines')
      .select(['sku', 'quantity'])
      .where('return_id', '=', first.id)
      .execute();
    const same =
      first.location === input.location &&
      firstLines.length === requested.size &&
      firstLines.every((l) => requested.get(l.sku) === Number(l.quantity));
    if (!same) {
      throw ReturnErrors.clientRequestReused(
        `clientRequestId ${input.clientRequestId} was used for return ${first.id} with other lines`,
        {
          extra: { returnId: first.id },
        },
      );
    }
    return { returnId: first.id, replayed: true };
  }

  if (!RETURNABLE_ORDER_STATUSES.has(order.status)) {
    throw ReturnErrors.orderNotReturnable(`Order ${order.id} is ${order.status}`);
  }
  const view = await getOrderView(trx, deps.orders, order.id, {
    seesPickupCodes: false,
    seesPersonalData: false,
  });
  const lineOf = new Map(view.lines.map((l) => [l.sku, l]));
  const handedOver = view.fulfillments.filter((f) => f.status === 'delivered' || f.status === 'picked_up');

  const claims: { lineNo: number; sku: string; quantity: number; delivered: number }[] = [];
  for (const [sku, quantity] of requested) {
    const line = lineOf.get(sku);
    if (!line)
      throw ReturnErrors.notPurchased(`Order ${order.id} has no line with ${sku}`, { extra: { sku } });
    const groups = handedOver.filter((f) => f.lines.some((l) => l.sku === sku));
    const delivered = groups.reduce((sum, f) => sum + (f.lines.find((l) => l.sku === sku)?.quantity ?? 0), 0);
    const opensAt = returnWindowOpensAt({
      completedAt: view.completedAt,
      deliveredAt: groups.map((f) => f.updatedAt),
    });
    if (opensAt === null)
      throw ReturnErrors.notDelivered(`${sku} of order ${order.id} has not reached the customer yet`, {
        extra: { sku },
      });
    if (!withinReturnWindow(opensAt, now, deps.returnWindowMs)) {
      const closesAt = returnWindowClosesAt(opensAt, deps.returnWindowMs);
      throw ReturnErrors.windowClosed(
        `The return window of ${sku} (order ${order.id}) closed at ${closesAt}`,
        { extra: { sku, closesAt } },
      );
    }
    claims.push({ lineNo: line.lineNo, sku, quantity, delivered });
  }

  await trx
    .insertInto('return_line_totals')
    .values(
      view.lines.map((l) => ({
        order_id: order.id,
        line_no: l.lineNo,
        sku: l.sku,
        quantity: l.quantity,
        money_total: l.paidAmount - l.pointsAmount,
        points_total: l.pointsAmount,
        returned_quantity: 0,
        received_quantity: 0,
        refunded_money: 0,
        refunded_points: 0,
        updated_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(['order_id', 'line_no']).doNothing())
    .execute();

  // The order's lines are locked in line order before anything else (then stock, then payments), the same order
  // every after-sales transaction takes, so that two returns of one order never wait for each other crosswise.
  // SQLite runs one writer at a time and needs no row locks.
  if (deps.orders.engine === 'postgres') {
    await trx
      .selectFrom('return_line_totals')
      .select('line_no')
      .where('order_id', '=', order.id)
      .orderBy('line_no')
      .forUpdate()
      .execute();
  }
  claims.sort((a, b) => a.lineNo - b.lineNo);
  const priced: { lineNo: number; sku: string; quantity: number; money: number; points: number }[] = [];
  for (const claim of claims) {
    const totals = await trx
      .updateTable('return_line_totals')
      .set((eb) => ({ returned_quantity: eb('returned_quantity', '+', claim.quantity), updated_at: at }))
      .where('order_id', '=', order.id)
      .where('line_no', '=', claim.lineNo)
      .where((eb) => eb(eb('returned_quantity', '+', claim.quantity), '<=', eb.ref('quantity')))
      .returningAll()
      .executeTakeFirst();
    if (!totals) {
      const current = await trx
        .selectFrom('return_line_totals')
        .select(['quantity', 'returned_quantity'])
        .where('order_id', '=', order.id)
        .where('line_no', '=', claim.lineNo)
        .executeTakeFirstOrThrow();
      throw ReturnErrors.quantityExceeded(
        `${claim.quantity} × ${claim.sku} asked; order ${order.id} bought ${current.quantity} and ${current.returned_quantity} are already returned or being returned`,
        {
          extra: {
            sku: claim.sku,
            bought: Number(current.quantity),
            returned: Number(current.returned_quantity),
          },
        },
      );
    }
    if (Number(totals.returned_quantity) > claim.delivered) {
      throw ReturnErrors.notDelivered(
        `Only ${claim.delivered} × ${claim.sku} of order ${order.id} reached the customer`,
        {
          extra: { sku: claim.sku, delivered: claim.delivered },
        },
      );
    }
    // The row is ours until commit (the update above locked it): what it says was refunded stays true.
    const refund = refundForUnits(stateBefore(totals, claim.quantity), claim.quantity);
    await trx
      .updateTable('return_line_totals')
      .set((eb) => ({
        refunded_money: eb('refunded_money', '+', refund.money),
        refunded_points: eb('refunded_points', '+', refund.points),
      }))
      .where('order_id', '=', order.id)
      .where('line_no', '=', claim.lineNo)
      .execute();
    priced.push({ ...claim, money: refund.money, points: refund.points });
  }

  await trx
    .insertInto('return_lines')
    .values(
      priced.map((p) => ({
        return_id: id,
        order_id: order.id,
        line_no: p.lineNo,
        sku: p.sku,
        quantity: p.quantity,
        condition: null,
        money_amount: p.money,
        points_amount: p.points,
      })),
    )
    .execute();
  const money = priced.reduce((s, p) => s + p.money, 0);
  const points = priced.reduce((s, p) => s + p.points, 0);
  await trx
    .updateTable('returns')
    .set({ money_value: money, points_value: points, refund_amount: money })
    .where('id', '=', id)
    .execute();

  await addTimeline(trx, order.id, {
    kind: 'return',
    code: 'return.requested',
    params: {
      returnId: id,
      received: receiveNow,
      channel: input.channel,
      location: input.location,
      lines: priced.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      amount: money,
      points,
    },
    actor: actorName(actor),
    data: { returnId: id, lines: priced, reason: input.reason },
  });
  await appendEvent(trx, {
    type: 'return.requested',
    stream: `return:${id}`,
    location: input.location,
    payload: {
      returnId: id,
      orderId: order.id,
      memberId: order.member_id,
      channel: input.channel,
      location: input.location,
      lines: priced,
      moneyValue: money,
    },
  });

  if (receiveNow) {
    await receiveReturnedGoods(trx, id, { location: input.location, condition: input.condition }, actor, {
      refund: options.exchangeId === undefined,
    });
  }
  return { returnId: id, replayed: false };
}

function stateBefore(totals: Selectable<ReturnLineTotalsTable>, claimed: number): LineReturnState {
  return {
    quantity: Number(totals.quantity),
    moneyTotal: Number(totals.money_total),
    pointsTotal: Number(totals.points_total),
    returnedQuantity: Number(totals.returned_quantity) - claimed,
    refundedMoney: Number(totals.refunded_money),
    refundedPoints: Number(totals.refunded_points),
  };
}

/**
 * The goods are in the hands of a store or warehouse: each line is graded (resellable back on hand there, damaged
 * into quarantine; both in the ledger), the points the lines earned are taken back and the points they were
 * paid with given back (coupons too once the whole order is back), and the refund starts.
 */
export async function receiveReturnedGoods(
  trx: Trx,
  id: string,
  input: ReceiveInput,
  actor: Actor,
  options: { refund: boolean } = { refund: true },
): Promise<void> {
  const ret = await requireReturnRow(trx, id);
  const location = await requireLocation(trx, input.location);
  if (!location.active) throw ReturnErrors.locationInvalid(`${input.location} is closed`);
  const at = nowIso();
  const moved = await trx
    .updateTable('returns')
    .set({
      status: 'received',
      received_location: input.location,
      received_at: at,
      received_by: actorName(actor),
      updated_at: at,
    })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw ReturnErrors.invalidTransition(`Return ${id} is ${ret.status}, not waiting for the goods`);

  const lines = await trx
    .selectFrom('return_lines')
    .selectAll()
    .where('return_id', '=', id)
    .orderBy('line_no')
    .execute();
  const graded = new Map((input.lines ?? []).map((l) => [l.sku, l.condition]));
  for (const sku of graded.keys()) {
    if (!lines.some((l) => l.sku === sku))
      throw ReturnErrors.notPurchased(`Return ${id} has no line with ${sku}`, { extra: { sku } });
  }
  // Every line of the order is touched in line order, and before any stock level: two returns of one order
  // received at once then see each other (exactly one finds the whole order back), and every after-sales
  // transaction takes its locks in the same order (the order's lines, then stock), so none deadlock.
  const totals = await trx
    .selectFrom('return_line_totals')
    .select(['line_no'])
    .where('order_id', '=', ret.order_id)
    .orderBy('line_no')
    .execute();
  const after: { quantity: number; receivedQuantity: number }[] = [];
  for (const { line_no } of totals) {
    const q = Number(lines.find((l) => Number(l.line_no) === Number(line_no))?.quantity ?? 0);
    const row = await trx
      .updateTable('return_line_totals')
      .set((eb) => ({ received_quantity: eb('received_quantity', '+', q), updated_at: at }))
      .where('order_id', '=', ret.order_id)
      .where('line_no', '=', line_no)
      .returning(['quantity', 'received_quantity'])
      .executeTakeFirstOrThrow();
    after.push({ quantity: Number(row.quantity), receivedQuantity: Number(row.received_quantity) });
  }
  const received: { lineNo: number; sku: string; quantity: number; condition: ItemCondition }[] = [];
  for (const line of lines) {
    const condition = graded.get(line.sku) ?? input.condition ?? ret.condition;
    await trx
      .updateTable('return_lines')
      .set({ condition })
      .where('return_id', '=', id)
      .where('line_no', '=', line.line_no)
      .execute();
    await receiveStock(trx, {
      sku: line.sku,
      location: input.location,
      quantity: Number(line.quantity),
      condition,
      source: id,
      actor: actorName(actor),
    });
    received.push({
      lineNo: Number(line.line_no),
      sku: line.sku,
      quantity: Number(line.quantity),
      condition,
    });
  }

  const loyalty = await reverseForReturn(trx, {
    returnId: id,
    orderId: ret.order_id,
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      quantity: Number(l.quantity),
      pointsAmount: Number(l.points_amount),
    })),
    wholeOrderReturned: wholeOrderReturned(after),
  });
  await trx
    .updateTable('returns')
    .set({ loyalty: JSON.stringify(loyalty) })
    .where('id', '=', id)
    .execute();

  const damaged = received.filter((r) => r.condition === 'damaged');
  await addTimeline(trx, ret.order_id, {
    kind: 'return',
    code: 'return.received',
    params: {
      returnId: id,
      location: input.location,
      lines: received.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      damaged: damaged.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      pointsReversed: loyalty.pointsReversed,
      pointsRestored: loyalty.pointsRestored,
      couponsRestored: loyalty.couponsRestored,
    },
    actor: actorName(actor),
    data: { returnId: id, location: input.location, lines: received, loyalty },
  });
  await appendEvent(trx, {
    type: 'return.received',
    stream: `return:${id}`,
    location: input.location,
    payload: {
      returnId: id,
      orderId: ret.order_id,
      memberId: ret.member_id,
      location: input.location,
      lines: received,
      loyalty,
    },
  });
  if (options.refund) await startReturnRefund(trx, id, actor);
}

/**
 * Sends the return's refund amount back to the original payment (idempotent by the return id). Nothing to send
 * back — all paid with points, or an exchange's replacement took it all — and the return is settled at once.
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
  const refunds = await startRefund(trx, {
    orderId: ret.order_id,
    amount,
    reason: ret.reason,
    reference: id,
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
  await appendEvent(trx, {
    type: 'return.refunded',
    stream: `return:${ret.id}`,
    location: ret.received_location,
    payload: {
      returnId: ret.id,
      orderId: ret.order_id,
      memberId: ret.member_id,
      refundAmount: Number(ret.refund_amount),
      pointsAmount: Number(ret.points_value),
    },
  });
}

/**
 * A requested return the customer no longer sends: its units and amounts are released, so that they can be
 * returned later.
 */
export async function cancelReturn(trx: Trx, id: string, reason: string, actor: Actor): Promise<void> {
  const ret = await requireReturnRow(trx, id);
  const at = nowIso();
  const moved = await trx
    .updateTable('returns')
    .set({ status: 'cancelled', updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw ReturnErrors.invalidTransition(
      `Return ${id} is ${ret.status}; only a requested return can be cancelled`,
    );
  const lines = await trx
    .selectFrom('return_lines')
    .selectAll()
    .where('return_id', '=', id)
    .orderBy('line_no')
    .execute();
  for (const line of lines) {
    await trx
      .updateTable('return_line_totals')
      .set((eb) => ({
        returned_quantity: eb('returned_quantity', '-', Number(line.quantity)),
        refunded_money: eb('refunded_money', '-', Number(line.money_amount)),
        refunded_points: eb('refunded_points', '-', Number(line.points_amount)),
        updated_at: at,
      }))
      .where('order_id', '=', ret.order_id)
      .where('line_no', '=', line.line_no)
      .execute();
  }
  await addTimeline(trx, ret.order_id, {
    kind: 'return',
    code: 'return.cancelled',
    params: { returnId: id, reason },
    actor: actorName(actor),
    data: { returnId: id },
  });
  await appendEvent(trx, {
    type: 'return.cancelled',
    stream: `return:${id}`,
    location: ret.location,
    payload: { returnId: id, orderId: ret.order_id, reason },
  });
}

/**
 * The provider's word on a return's refund (`refund.failed` per refused attempt, `refund.succeeded`): the return
 * shows the refund's state, its attempts and last error; it is refunded only once every part is confirmed.
 */
export async function applyRefundEvent(trx: Trx, event: PublishedEvent): Promise<void> {
  const p = event.payload as {
    refundId: string;
    orderId: string;
    amount: number;
    reference: string;
    attempts: number;
    lastError?: string;
  };
  if (typeof p.reference !== 'string') return;
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
