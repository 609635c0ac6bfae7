import { getSkus } from '../catalog/index.js';
import {
  assertPlanned,
  createFulfillments,
  DEFAULT_SOURCING_RULES,
  loadCandidates,
  packExplanation,
  planFulfillment,
  startFulfillment,
} from '../fulfillment/index.js';
import { orderLimitBreach, type Reservation, takeReservedStock } from '../inventory/index.js';
import { LocationErrors } from '../locations/index.js';
import { redeemCouponsForOrder, redeemPointsForOrder } from '../loyalty/index.js';
import { identify, MemberErrors, resolveMemberId } from '../members/index.js';
import {
  type Actor,
  actorName,
  appendEvents,
  bringForward,
  insertRows,
  localDay,
  type NewEvent,
  newId,
  type Trx,
} from '../platform/index.js';
import { takeOrderedOffCart } from './cart.service.js';
import type { OrdersDeps } from './orders.deps.js';
import { OrderErrors } from './orders.errors.js';
import { OrderPaid, OrderPlaced } from './orders.events.js';
import { addTimeline, moveOrder, type OrderRows, orderEvent, requireOrderRow } from './orders.rows.js';
import {
  addressOf,
  assertFulfillable,
  assertSchedule,
  couponLinesOf,
  mergeLines,
  newOrderRows,
  ownStoreOf,
  type PlaceOrderInput,
  pricePlacement,
  privateAddressText,
  requestHashOf,
  sellableLines,
  sourcingOrderOf,
  sourcingRequest,
} from './place.rules.js';
import { UNPAID_SWEEP_IDLE_MS, UNPAID_SWEEP_JOB } from './unpaid.service.js';

export interface PlacedOrder {
  orderId: string;
  /** The same channel order number was placed before: this is that order. */
  replayed: boolean;
  /** The rows written, for a new order. */
  rows?: OrderRows;
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
    actor: actorName(actor),
  });
  await appendEvents(trx, [
    orderEvent(order, OrderPaid, { memberId: order.member_id, amount: 0, paymentId: null }),
  ]);
  await startFulfillment(trx, deps, order);
  // Its status moved on: the view is read again.
  return { orderId: placed.orderId, replayed: false };
}

/**
 * Writes a new order from any channel: finds the buyer, prices the lines from the catalog, plans where it is
 * fulfilled, reserves exactly what the plan takes (all or nothing: a short line rolls the whole order back) and
 * writes the order, its fulfillment groups, its timeline and `order.placed` — one transaction. The same
 * `externalId` from the same channel returns the first order. (`placeOrder` also settles an order with nothing
 * left to pay.)
 *
 * Read, decide, write: the buyer, the SKUs and the sourcing inputs are read, the plan and the prices are pure
 * (place.rules.ts, the planner), then the rows are written. Coupons and points are the exception: loyalty
 * redeems them and says what they are worth, so they are spent (in this transaction) before the prices are made.
 */
export async function createOrder(
  trx: Trx,
  deps: OrdersDeps,
  input: PlaceOrderInput,
  actor: Actor,
): Promise<PlacedOrder> {
  // The content hash tells a replay of a channel order number from a clash; an order without one needs none.
  const requestHash = input.externalId === undefined ? '' : requestHashOf(input);
  if (input.externalId !== undefined) {
    const existing = await trx
      .selectFrom('orders')
      .select(['id', 'request_hash'])
      .where('channel', '=', input.channel)
      .where('external_id', '=', input.externalId)
      .executeTakeFirst();
    if (existing) {
      if (existing.request_hash !== requestHash) {
        throw OrderErrors.externalIdConflict(
          `${input.channel} order ${input.externalId} exists with other content (${existing.id})`,
          {
            extra: { orderId: existing.id },
          },
        );
      }
      return { orderId: existing.id, replayed: true };
    }
  }
  assertFulfillable(input);

  const memberId = await buyerOf(trx, deps, input, actor);

  const quantities = mergeLines(input.lines);
  const skus = [...quantities.keys()];
  const now = new Date();
  const day = localDay(now, deps.timeZone);
  const request = sourcingRequest(input);
  const ownStore = ownStoreOf(request, input);
  // The sourcing inputs are read while the SKUs are: on PostgreSQL both leave in one round trip. Their answer is
  // used only once the SKUs, the schedule and the store are known to be right, whose errors come first.
  const inputs = loadCandidates(trx, deps, {
    channel: input.channel,
    skus,
    localDay: day,
    ownStore,
  });
  inputs.catch(() => {});
  const lines = sellableLines(quantities, await getSkus(trx, skus));

  assertSchedule(input.fulfillment, day);
  // A pickup or till sale at a store that does not exist is a wrong store, not a shortage of stock.
  if (
    ownStore !== null &&
    !(await deps.network(trx)).some((l) => l.code === ownStore && l.kind === 'store')
  ) {
    throw LocationErrors.notFound(`No store ${ownStore}`, {
      errors: [
        {
          path: request.type === 'pickup' ? 'fulfillment.store' : 'storeCode',
          message: `${ownStore} is not a store`,
        },
      ],
      extra: { location: ownStore },
    });
  }
  const { candidates, policy } = await inputs;
  const breach = orderLimitBreach(input.lines, policy);
  if (breach !== undefined) {
    throw OrderErrors.quantityLimit(
      `A ${input.channel} order may take ${breach.limit} ${breach.sku ? `of ${breach.sku}` : 'units in all'}; it asks ${breach.quantity}`,
      {
        errors: [{ path: breach.path, message: `at most ${breach.limit}` }],
        extra: {
          channel: input.channel,
          limit: breach.limit,
          quantity: breach.quantity,
          ...(breach.sku ? { sku: breach.sku } : {}),
        },
      },
    );
  }
  const plan = planFulfillment(
    sourcingOrderOf(input, lines, request),
    candidates,
    DEFAULT_SOURCING_RULES[input.channel],
    { now },
  );
  assertPlanned(plan);

  const orderId = newId('ord');
  // Coupons and points are redeemed inside this transaction: if anything later fails, they are not spent.
  const coupons =
    input.couponCodes && input.couponCodes.length > 0
      ? await redeemCouponsForOrder(trx, {
          orderId,
          memberId,
          channel: input.channel,
          storeCode: input.storeCode ?? null,
          lines: couponLinesOf(lines),
          couponCodes: input.couponCodes,
        })
      : [];
  let points: { requested: number; points: number; amount: number } | null = null;
  if (input.pointsToRedeem) {
    if (memberId === null) {
      throw OrderErrors.invalidFulfillment('Points belong to a member: give memberId or customer', {
        errors: [{ path: 'pointsToRedeem', message: 'needs a member' }],
      });
    }
    points = {
      requested: input.pointsToRedeem,
      ...(await redeemPointsForOrder(trx, { orderId, memberId, points: input.pointsToRedeem })),
    };
  }
  const pricing = pricePlacement(lines, coupons, input.credit, points);
  const address = addressOf(input);
  const privateAddress = privateAddressText(address);
  const { row, lineRows } = newOrderRows({
    orderId,
    input,
    requestHash,
    memberId,
    lines,
    pricing,
    pointsRedeemed: points?.points ?? 0,
    couponCodes: coupons.map((c) => c.code),
    plan: { groups: plan.groups, explanation: packExplanation(plan.explanation) },
    privateAddress: privateAddress === null ? null : deps.pii.encrypt(privateAddress),
    now,
    localDay: day,
  });

  await insertRows(trx, 'orders', [row]);
  await insertRows(trx, 'order_lines', lineRows);
  await takeOrderedOffCart(trx, { memberId, channel: input.channel, skus: lineRows.map((l) => l.sku) });
  // The stock-level events of the reservations go out with `order.placed`, in one outbox write.
  const events: NewEvent[] = [];
  const reservations: Reservation[] = [];
  const groups = await createFulfillments(trx, {
    orderId,
    groups: plan.groups,
    localDay: day,
    rejectedBy: [],
    events,
    reservations,
  });
  const placedEntry = await addTimeline(trx, orderId, {
    kind: 'status',
    to: 'pending_payment',
    code: 'order.placed',
    params: { channel: input.channel, groups: plan.groups.length },
    actor: actorName(actor),
    data: { plan: plan.groups.map((g) => ({ location: g.location, type: g.type })) },
  });
  await bringForward(trx, UNPAID_SWEEP_JOB, row.expires_at, UNPAID_SWEEP_IDLE_MS);
  // The stock last: on PostgreSQL its rows stay locked from here to the commit, not while the order is written
  // (concurrent orders for the same items queue on those rows for no longer than that).
  await takeReservedStock(trx, reservations, events);
  await appendEvents(trx, [
    ...events,
    orderEvent(row, OrderPlaced, {
      channel: row.channel,
      memberId,
      storeCode: row.store_code,
      totalAmount: row.total_amount,
      payableAmount: row.payable_amount,
      fulfillmentType: row.fulfillment_type,
      groups: plan.groups.map((g) => ({ location: g.location, type: g.type })),
      localDay: day,
    }),
  ]);
  // What was just written is the order's view: the answer needs no second read.
  return {
    orderId,
    replayed: false,
    rows: {
      order: row,
      lines: lineRows,
      ...groups,
      timeline: [placedEntry],
      address,
      plan: { groups: plan.groups, explanation: plan.explanation },
    },
  };
}

/** The member who buys: the one named, or the one the customer's identifiers find (or make); none for a guest. */
async function buyerOf(
  trx: Trx,
  deps: OrdersDeps,
  input: PlaceOrderInput,
  actor: Actor,
): Promise<string | null> {
  if (input.memberId !== undefined) {
    const memberId = await resolveMemberId(trx, input.memberId);
    if (memberId === null) throw MemberErrors.notFound(`No member ${input.memberId}`);
    return memberId;
  }
  if (input.customer && input.customer.identifiers.length > 0) {
    const result = await identify(
      trx,
      deps.pii,
      { identifiers: input.customer.identifiers as never, channel: input.channel },
      { role: actor.role, subject: actor.subject, requestId: actor.requestId },
    );
    return result.memberId;
  }
  return null;
}
