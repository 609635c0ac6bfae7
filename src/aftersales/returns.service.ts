import type { Static } from 'typebox';
import { type Location, listLocations, requireLocation } from '../locations/index.js';
import { addTimeline, getOrderView, type OrdersDeps, requireOrderRow } from '../orders/index.js';
import {
  type Actor,
  actorName,
  appendEvent,
  localDay,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { NewReturn } from './aftersales.contract.js';
import { ReturnErrors } from './aftersales.errors.js';
import { ReturnCancelled, ReturnRequested } from './aftersales.events.js';
import { requireReturnRow } from './aftersales.rows.js';
import { returnStartsReceived } from './aftersales.rules.js';
import { receiveReturnedGoods } from './receiving.service.js';
import { assertReturnPhotos, decideReturnRoute, returnsCentreOf } from './return-requests.rules.js';
import {
  assertReturnLocation,
  type LineReturnTotals,
  lineCost,
  planReturn,
  quantityExceeded,
  requestedUnits,
  sameReturnRequest,
} from './returns.rules.js';

export interface AftersalesDeps {
  orders: OrdersDeps;
  /** How long after delivery an item may be returned (ms). */
  returnWindowMs: number;
}

/** A return as asked for (the route's body). */
export type ReturnRequest = Static<typeof NewReturn>;

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
  const destination = await returnDestination(trx, input, receiveNow);
  assertReturnLocation(destination.code, destination, receiveNow);
  const route = decideReturnRoute({
    method: input.method,
    atCounter: receiveNow,
    destination,
    today: localDay(now, deps.orders.timeZone),
  });
  const photos = input.photos ?? [];
  assertReturnPhotos(photos);
  const location = destination.code;
  const requested = requestedUnits(input.lines);

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
      location,
      received_location: null,
      reason: input.reason,
      condition: input.condition,
      client_request_id: input.clientRequestId ?? null,
      photos: JSON.stringify(photos),
      method: route.method,
      courier_mode: route.courierMode,
      pickup_day: route.pickup?.day ?? null,
      // Where the courier collects is personal data: encrypted at rest like an order's recipient.
      pickup_address: route.pickup ? deps.orders.pii.encrypt(JSON.stringify(route.pickup.address)) : null,
      carrier: null,
      tracking_number: null,
      shipped_at: null,
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
    const same = sameReturnRequest(
      {
        location: first.location,
        lines: firstLines.map((l) => ({ sku: l.sku, quantity: Number(l.quantity) })),
      },
      location,
      requested,
    );
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

  const view = await getOrderView(trx, deps.orders, order.id, {
    seesPickupCodes: false,
    seesPersonalData: false,
  });
  // An order's first return gives each of its lines the totals row that the lock and the claims below work on.
  await trx
    .insertInto('return_line_totals')
    .values(
      view.lines.map((l) => {
        const cost = lineCost(l);
        return {
          order_id: order.id,
          line_no: l.lineNo,
          sku: l.sku,
          quantity: l.quantity,
          money_total: cost.moneyTotal,
          points_total: cost.pointsTotal,
          returned_quantity: 0,
          received_quantity: 0,
          refunded_money: 0,
          refunded_points: 0,
          updated_at: at,
        };
      }),
    )
    .onConflict((oc) => oc.columns(['order_id', 'line_no']).doNothing())
    .execute();
  // The order's lines are locked in line order before anything else (then stock, then payments), the same order
  // every after-sales transaction takes, so that two returns of one order never wait for each other crosswise.
  // SQLite runs one writer at a time and needs no row locks. The lines are ours until commit: what they say was
  // returned and refunded stays true, so the plan's refunds stand.
  const totals = await lineTotals(trx, order.id, deps.orders.engine === 'postgres');

  const plan = planReturn({
    order: {
      id: order.id,
      status: order.status,
      completedAt: view.completedAt,
      lines: view.lines,
      fulfillments: view.fulfillments,
    },
    requested,
    totals,
    now,
    windowMs: deps.returnWindowMs,
  });

  for (const line of plan.lines) {
    // The conditional update is what keeps returns within what was bought (the CHECK constraints behind it);
    // under the lock above it always takes the units.
    const claimed = await trx
      .updateTable('return_line_totals')
      .set((eb) => ({
        returned_quantity: eb('returned_quantity', '+', line.quantity),
        refunded_money: eb('refunded_money', '+', line.money),
        refunded_points: eb('refunded_points', '+', line.points),
        updated_at: at,
      }))
      .where('order_id', '=', order.id)
      .where('line_no', '=', line.lineNo)
      .where((eb) => eb(eb('returned_quantity', '+', line.quantity), '<=', eb.ref('quantity')))
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      const current = (await lineTotals(trx, order.id, false)).find((t) => t.lineNo === line.lineNo)!;
      throw quantityExceeded(order.id, line, current);
    }
  }

  await trx
    .insertInto('return_lines')
    .values(
      plan.lines.map((p) => ({
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
  await trx
    .updateTable('returns')
    .set({ money_value: plan.moneyValue, points_value: plan.pointsValue, refund_amount: plan.moneyValue })
    .where('id', '=', id)
    .execute();

  await addTimeline(trx, order.id, {
    kind: 'return',
    code: 'return.requested',
    params: {
      returnId: id,
      received: receiveNow,
      channel: input.channel,
      location,
      lines: plan.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      amount: plan.moneyValue,
      points: plan.pointsValue,
    },
    actor: actorName(actor),
    data: { returnId: id, lines: plan.lines, reason: input.reason },
  });
  await appendEvent(
    trx,
    newEvent(ReturnRequested, {
      stream: `return:${id}`,
      location,
      payload: {
        returnId: id,
        orderId: order.id,
        memberId: order.member_id,
        channel: input.channel,
        location,
        lines: plan.lines,
        moneyValue: plan.moneyValue,
        method: route.method,
      },
    }),
  );

  if (receiveNow) {
    await receiveReturnedGoods(trx, id, { location, condition: input.condition }, actor, {
      refund: options.exchangeId === undefined,
    });
  }
  return { returnId: id, replayed: false };
}

/**
 * Where a return's goods go: the location asked for (the counter, the store she brings them to, or a place the
 * brand names), else — for a courier return — the returns centre, the first open warehouse.
 */
async function returnDestination(trx: Trx, input: ReturnRequest, atCounter: boolean): Promise<Location> {
  if (input.location !== undefined) return requireLocation(trx, input.location);
  if (!atCounter && input.method?.type === 'courier') {
    const centre = returnsCentreOf(await listLocations(trx, { kind: 'warehouse', activeOnly: true }));
    if (!centre) throw ReturnErrors.noReturnsCentre('No open warehouse to send a courier return to');
    return requireLocation(trx, centre.code);
  }
  throw ReturnErrors.methodInvalid('Say where the goods go: the store, or a courier method', {
    errors: [{ path: 'location', message: 'required unless the goods go by courier' }],
  });
}

/** Every line of an order as earlier returns left it, in line order; `lock` takes their row locks (PostgreSQL). */
async function lineTotals(trx: Trx, orderId: string, lock: boolean): Promise<LineReturnTotals[]> {
  const query = trx
    .selectFrom('return_line_totals')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('line_no');
  const rows = await (lock ? query.forUpdate() : query).execute();
  return rows.map((r) => ({
    lineNo: Number(r.line_no),
    quantity: Number(r.quantity),
    moneyTotal: Number(r.money_total),
    pointsTotal: Number(r.points_total),
    returnedQuantity: Number(r.returned_quantity),
    refundedMoney: Number(r.refunded_money),
    refundedPoints: Number(r.refunded_points),
  }));
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
  await appendEvent(
    trx,
    newEvent(ReturnCancelled, {
      stream: `return:${id}`,
      location: ret.location,
      payload: { returnId: id, orderId: ret.order_id, reason },
    }),
  );
}
