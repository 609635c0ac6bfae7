import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { CatalogErrors, getSkus } from '../catalog/index.js';
import {
  assertPlanned,
  DEFAULT_SOURCING_RULES,
  type FulfillmentRequest,
  type PlannedFulfillment,
  type PlannedGroup,
  packExplanation,
  planFulfillment,
  unpackExplanation,
} from '../fulfillment/index.js';
import { planReservation, type Reservation, requestTransfer, takeReservedStock } from '../inventory/index.js';
import type { Location } from '../locations/index.js';
import { redeemCouponsForOrder, redeemPointsForOrder } from '../loyalty/index.js';
import { identify, MemberErrors, type Pii, piiFor, resolveMemberId } from '../members/index.js';
import {
  appendEvents,
  bringForward,
  type Channel,
  type Database,
  type DB,
  type Engine,
  insertRows,
  isoAfter,
  localDay,
  type NewEvent,
  newId,
  nowIso,
  stableStringify,
  type Trx,
} from '../platform/index.js';
import { loadCandidates, networkReader } from './orders.candidates.js';
import { OrderErrors } from './orders.errors.js';
import { type FulfillmentStatus, type OrderStatus, priceOrder, transitionOrder } from './orders.rules.js';
import type {
  FulfillmentLinesTable,
  FulfillmentsTable,
  FulfillmentTransfersTable,
  OrderLinesTable,
  OrdersTable,
  OrderTimelineTable,
} from './orders.schema.js';
import { type TimelineSay, timelineSentence } from './orders.timeline.js';

export interface OrdersDeps {
  engine: Engine;
  pii: Pii;
  timeZone: string;
  /** The brand's locations, cached for a few seconds by this node. */
  network: (db: Kysely<DB>) => Promise<Location[]>;
}

const depsOfDatabase = new WeakMap<Database, OrdersDeps>();

/** The order hub's dependencies for one node's database (made once per database, so its caches are shared). */
export function ordersDeps(database: Database, config: { secret: string; timeZone: string }): OrdersDeps {
  let deps = depsOfDatabase.get(database);
  if (!deps) {
    deps = {
      engine: database.engine,
      pii: piiFor(config.secret),
      timeZone: config.timeZone,
      network: networkReader(),
    };
    depsOfDatabase.set(database, deps);
  }
  return deps;
}

export interface PlacedOrder {
  orderId: string;
  /** The same channel order number was placed before: this is that order. */
  replayed: boolean;
  /** The rows written, for a new order. */
  rows?: OrderRows;
}

/** How long an unpaid order holds its stock, by channel (a live-stream buyer must pay fast; a POS customer is at the till). */
export const DEFAULT_HOLD_SECONDS: Record<Channel, number> = {
  online: 30 * 60,
  mini_program: 30 * 60,
  pos: 15 * 60,
  wecom: 24 * 3600,
  marketplace: 60 * 60,
  live: 10 * 60,
};

// The unpaid-order sweeper is what cancels an unpaid order; the reservations it holds live longer, as a safety
// net that frees stock even if something went wrong with the order (a pickup can wait days for its customer).
const RESERVATION_SAFETY_TTL_S = 30 * 24 * 3600;
/** Cancels the orders whose hold has passed unpaid: one recurring job (from the migrations), not one per order. */
export const UNPAID_SWEEP_JOB = 'order.unpaid.sweep';
/** How often an idle unpaid-order sweeper looks; an order due sooner than that brings it forward. */
export const UNPAID_SWEEP_IDLE_MS = 5000;
/** The job an order had of its own before the sweeper; rows written then still run (and do the same). */
export const ORDER_EXPIRE_JOB = 'order.expire_unpaid';

export interface Address {
  city: string;
  lat: number;
  lng: number;
  line1?: string | undefined;
  name?: string | undefined;
  phone?: string | undefined;
}

export type OrderFulfillmentInput =
  | { type: 'delivery'; address: Address }
  | { type: 'pickup'; store: string }
  | { type: 'same_day'; address: Address }
  | { type: 'carry_out' };

export interface PlaceOrderInput {
  channel: Channel;
  externalId?: string | undefined;
  storeCode?: string | undefined;
  guide?: string | undefined;
  memberId?: string | undefined;
  customer?:
    | { identifiers: { type: string; value: string; appId?: string; verified?: boolean }[] }
    | undefined;
  lines: { sku: string; quantity: number }[];
  fulfillment: OrderFulfillmentInput;
  couponCodes?: string[] | undefined;
  pointsToRedeem?: number | undefined;
  holdSeconds?: number | undefined;
  /**
   * Money the customer already has with us for this purchase — an exchange's returned item — applied like a
   * discount. Not part of the public API: after-sales sets it when it places an exchange's replacement order.
   */
  credit?: { source: string; amount: number } | undefined;
}

export interface Actor {
  role: string;
  subject: string;
  requestId?: string | undefined;
}

export function actorName(actor: Actor): string {
  return `${actor.role}:${actor.subject}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Timeline and events

/** A timeline entry to write: what happened as a code and its params (orders.timeline.ts), and who did it. */
export type TimelineEntryInput = TimelineSay & {
  kind: string;
  from?: string | null;
  to?: string | null;
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

type TimelineRow = Omit<Selectable<OrderTimelineTable>, 'seq'>;

/** Everything an order's view is made of, as stored (or as just written, for a new order). */
export interface OrderRows {
  order: Selectable<OrdersTable>;
  lines: Selectable<OrderLinesTable>[];
  fulfillments: Selectable<FulfillmentsTable>[];
  fulfillmentLines: Selectable<FulfillmentLinesTable>[];
  transfers: Selectable<FulfillmentTransfersTable>[];
  timeline: TimelineRow[];
  /** The recipient in clear, when these rows were just written (no need to decrypt `address_private`). */
  address?: Address | null;
  /** The plan as planned, when these rows were just written (no need to read `plan` back). */
  plan?: OrderView['fulfillmentPlan'];
}

export function orderEvent(
  order: Pick<OrdersTable, 'id' | 'store_code'>,
  type: string,
  payload: object,
): NewEvent {
  return {
    type,
    stream: `order:${order.id}`,
    location: order.store_code,
    payload: { orderId: order.id, ...payload },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Placing an order

function requestHashOf(input: PlaceOrderInput): string {
  return createHash('sha256').update(stableStringify(input)).digest('hex');
}

function sourcingRequest(input: PlaceOrderInput): FulfillmentRequest {
  const f = input.fulfillment;
  switch (f.type) {
    case 'delivery':
    case 'same_day':
      return { type: f.type, address: { city: f.address.city, lat: f.address.lat, lng: f.address.lng } };
    case 'pickup':
      return { type: 'pickup', store: f.store };
    case 'carry_out':
      return { type: 'carry_out', store: input.storeCode };
  }
}

/**
 * Writes a new order from any channel: finds the buyer, prices the lines from the catalog, plans where it is
 * fulfilled, reserves exactly what the plan takes (all or nothing: a short line rolls the whole order back) and
 * writes the order, its fulfillment groups, its timeline and `order.placed` — one transaction. The same
 * `externalId` from the same channel returns the first order. (`placeOrder` also settles an order with nothing
 * left to pay.)
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
  if (input.fulfillment.type === 'carry_out' && !input.storeCode) {
    throw OrderErrors.invalidFulfillment('A carry-out sale happens at a till: give storeCode', {
      errors: [{ path: 'storeCode', message: 'required for carry_out' }],
    });
  }

  const memberId = await buyerOf(trx, deps, input, actor);

  // Lines of one SKU are merged: one line per SKU keeps pricing, reservations and returns unambiguous.
  const quantities = new Map<string, number>();
  for (const line of input.lines) quantities.set(line.sku, (quantities.get(line.sku) ?? 0) + line.quantity);
  const skus = await getSkus(trx, [...quantities.keys()]);
  for (const code of quantities.keys()) {
    const sku = skus.get(code);
    if (!sku) throw CatalogErrors.skuNotFound(`No SKU ${code} in the catalog`, { extra: { sku: code } });
    if (!sku.active) throw OrderErrors.skuNotSellable(`${code} is not on sale`, { extra: { sku: code } });
  }
  const lines = [...quantities].map(([code, quantity], i) => ({
    lineNo: i + 1,
    sku: skus.get(code)!,
    quantity,
  }));

  const now = new Date();
  const day = localDay(now, deps.timeZone);
  const request = sourcingRequest(input);
  const ownStore =
    request.type === 'pickup'
      ? request.store
      : request.type === 'carry_out'
        ? (input.storeCode ?? null)
        : null;
  const candidates = await loadCandidates(trx, deps.network, {
    channel: input.channel,
    skus: [...quantities.keys()],
    localDay: day,
    ownStore,
  });
  const plan = planFulfillment(
    {
      channel: input.channel,
      lines: lines.map((l) => ({ sku: l.sku.code, quantity: l.quantity })),
      fulfillment: request,
      storeCode: input.storeCode ?? null,
    },
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
          lines: lines.map((l) => ({
            key: String(l.lineNo),
            sku: l.sku.code,
            category: l.sku.category,
            amount: l.sku.price * l.quantity,
          })),
          couponCodes: input.couponCodes,
        })
      : [];
  const priceLines = lines.map((l) => ({
    key: String(l.lineNo),
    quantity: l.quantity,
    unitPrice: l.sku.price,
  }));
  const discounts = [
    ...coupons.map((c) => ({ source: c.code, amount: c.amount, lines: c.lineKeys })),
    ...(input.credit ? [{ source: input.credit.source, amount: input.credit.amount }] : []),
  ];
  let points = { points: 0, amount: 0 };
  if (input.pointsToRedeem) {
    if (memberId === null) {
      throw OrderErrors.invalidFulfillment('Points belong to a member: give memberId or customer', {
        errors: [{ path: 'pointsToRedeem', message: 'needs a member' }],
      });
    }
    points = await redeemPointsForOrder(trx, { orderId, memberId, points: input.pointsToRedeem });
    const due = priceOrder(priceLines, discounts).payableAmount;
    if (points.amount > due) {
      throw OrderErrors.pointsExceedPayable(
        `${input.pointsToRedeem} points are worth ${points.amount} fen; only ${due} fen are left to pay`,
        {
          errors: [{ path: 'pointsToRedeem', message: `worth more than the ${due} fen left to pay` }],
        },
      );
    }
  }
  const pricing = priceOrder(priceLines, discounts, { pointsAmount: points.amount });
  const holdSeconds = input.holdSeconds ?? DEFAULT_HOLD_SECONDS[input.channel];
  const expiresAt = isoAfter(holdSeconds * 1000, now.getTime());
  const address =
    input.fulfillment.type === 'delivery' || input.fulfillment.type === 'same_day'
      ? input.fulfillment.address
      : null;
  const privateAddress =
    address && (address.line1 || address.name || address.phone)
      ? deps.pii.encrypt(
          JSON.stringify({
            line1: address.line1 ?? null,
            name: address.name ?? null,
            phone: address.phone ?? null,
          }),
        )
      : null;
  const createdAt = now.toISOString();

  const row = {
    id: orderId,
    channel: input.channel,
    external_id: input.externalId ?? null,
    request_hash: requestHash,
    store_code: input.storeCode ?? null,
    guide: input.guide ?? null,
    member_id: memberId,
    status: 'pending_payment' as OrderStatus,
    fulfillment_type: input.fulfillment.type,
    fulfillment_store:
      input.fulfillment.type === 'pickup'
        ? input.fulfillment.store
        : input.fulfillment.type === 'carry_out'
          ? (input.storeCode ?? null)
          : null,
    address_city: address?.city ?? null,
    address_lat: address?.lat ?? null,
    address_lng: address?.lng ?? null,
    address_private: privateAddress,
    total_amount: pricing.totalAmount,
    discount_amount: pricing.discountAmount,
    points_amount: pricing.pointsAmount,
    points_redeemed: points.points,
    payable_amount: pricing.payableAmount,
    paid_amount: 0,
    coupon_codes: JSON.stringify(coupons.map((c) => c.code)),
    plan: JSON.stringify({ groups: plan.groups, explanation: packExplanation(plan.explanation) }),
    expires_at: expiresAt,
    local_day: day,
    created_at: createdAt,
    updated_at: createdAt,
    completed_at: null,
    cancelled_at: null,
    cancel_reason: null,
  };
  await insertRows(trx, 'orders', [row]);
  const lineRows = lines.map((l, i) => {
    const priced = pricing.lines[i]!;
    return {
      order_id: orderId,
      line_no: l.lineNo,
      sku: l.sku.code,
      name: l.sku.name,
      category: l.sku.category,
      quantity: l.quantity,
      unit_price: l.sku.price,
      line_amount: priced.lineAmount,
      discount_amount: priced.discountAmount,
      points_amount: priced.pointsAmount,
      paid_amount: priced.paidAmount,
      cancelled_quantity: 0,
    };
  });
  await insertRows(trx, 'order_lines', lineRows);

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
  await bringForward(trx, UNPAID_SWEEP_JOB, expiresAt, UNPAID_SWEEP_IDLE_MS);
  // The stock last: on PostgreSQL its rows stay locked from here to the commit, not while the order is written
  // (concurrent orders for the same items queue on those rows for no longer than that).
  await takeReservedStock(trx, reservations, events);
  await appendEvents(trx, [
    ...events,
    orderEvent(row, 'order.placed', {
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
): Promise<Pick<OrderRows, 'fulfillments' | 'fulfillmentLines' | 'transfers'>> {
  const reservations = input.reservations ?? [];
  const written: Pick<OrderRows, 'fulfillments' | 'fulfillmentLines' | 'transfers'> = {
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
    const row = {
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

// ---------------------------------------------------------------------------------------------------------------
// Reading

export interface OrderLineView {
  lineNo: number;
  sku: string;
  name: string;
  category: string;
  quantity: number;
  unitPrice: number;
  lineAmount: number;
  discountAmount: number;
  pointsAmount: number;
  paidAmount: number;
  /** Units cancelled before fulfillment (refunded). */
  cancelledQuantity: number;
}

export interface FulfillmentView {
  id: string;
  orderId: string;
  location: string;
  type: string;
  status: string;
  pickupCode?: string | null;
  readyBy: string | null;
  readyAt: string | null;
  pickupDeadline: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  lines: { sku: string; quantity: number }[];
  transfers: { transferId: string; from: string; sku: string; quantity: number; received: boolean }[];
  createdAt: string;
  updatedAt: string;
}

export interface OrderView {
  id: string;
  channel: string;
  externalId: string | null;
  storeCode: string | null;
  guide: string | null;
  memberId: string | null;
  status: OrderStatus;
  lines: OrderLineView[];
  totalAmount: number;
  discountAmount: number;
  pointsAmount: number;
  payableAmount: number;
  paidAmount: number;
  couponCodes: string[];
  fulfillment: { type: string; store: string | null; address: (Address & { masked?: boolean }) | null };
  fulfillmentPlan: { groups: PlannedGroup[]; explanation: PlannedFulfillment['explanation'] };
  fulfillments: FulfillmentView[];
  timeline: {
    at: string;
    kind: string;
    from: string | null;
    to: string | null;
    /** What happened (orders.timeline.ts); null on entries older than codes. */
    code: string | null;
    params: Record<string, unknown> | null;
    /** The same in English. */
    message: string;
    actor: string | null;
    data: unknown;
  }[];
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface OrderViewer {
  /** Shows pickup codes (the customer, HQ); store staff verify a code, they must not read it. */
  seesPickupCodes: boolean;
  /** Decrypts the recipient's name, phone and street; otherwise the phone is masked. */
  seesPersonalData: boolean;
}

export async function requireOrderRow(db: Kysely<DB>, id: string): Promise<Selectable<OrdersTable>> {
  const row = await db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw OrderErrors.notFound(`No order ${id}`);
  return row;
}

function toFulfillmentView(
  row: Selectable<FulfillmentsTable>,
  lines: { sku: string; quantity: number }[],
  transfers: FulfillmentView['transfers'],
  viewer: OrderViewer,
): FulfillmentView {
  return {
    id: row.id,
    orderId: row.order_id,
    location: row.location,
    type: row.type,
    status: row.status,
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

export async function fulfillmentViews(
  db: Kysely<DB>,
  rows: Selectable<FulfillmentsTable>[],
  viewer: OrderViewer,
): Promise<FulfillmentView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [lines, transfers] = await Promise.all([
    db
      .selectFrom('fulfillment_lines')
      .selectAll()
      .where('fulfillment_id', 'in', ids)
      .orderBy('sku')
      .execute(),
    db.selectFrom('fulfillment_transfers').selectAll().where('fulfillment_id', 'in', ids).execute(),
  ]);
  return toFulfillmentViews(rows, lines, transfers, viewer);
}

function toFulfillmentViews(
  rows: Selectable<FulfillmentsTable>[],
  lines: Selectable<FulfillmentLinesTable>[],
  transfers: Selectable<FulfillmentTransfersTable>[],
  viewer: OrderViewer,
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
    ),
  );
}

/** Reads an order's rows. */
export async function loadOrderRows(db: Kysely<DB>, id: string): Promise<OrderRows> {
  const order = await requireOrderRow(db, id);
  const [lines, fulfillments, timeline] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('line_no').execute(),
    db
      .selectFrom('fulfillments')
      .selectAll()
      .where('order_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('order_timeline').selectAll().where('order_id', '=', id).orderBy('seq').execute(),
  ]);
  const ids = fulfillments.map((f) => f.id);
  const [fulfillmentLines, transfers] =
    ids.length === 0
      ? [[], []]
      : await Promise.all([
          db
            .selectFrom('fulfillment_lines')
            .selectAll()
            .where('fulfillment_id', 'in', ids)
            .orderBy('sku')
            .execute(),
          db.selectFrom('fulfillment_transfers').selectAll().where('fulfillment_id', 'in', ids).execute(),
        ]);
  return { order, lines, fulfillments, fulfillmentLines, transfers, timeline };
}

export async function getOrderView(
  db: Kysely<DB>,
  deps: Pick<OrdersDeps, 'pii'>,
  id: string,
  viewer: OrderViewer,
): Promise<OrderView> {
  return toOrderView(await loadOrderRows(db, id), deps, viewer);
}

/** The API's view of an order, from its rows (decrypting the recipient for those who may see them). */
export function toOrderView(rows: OrderRows, deps: Pick<OrdersDeps, 'pii'>, viewer: OrderViewer): OrderView {
  const { order: row, lines, fulfillments, timeline } = rows;
  let address: OrderView['fulfillment']['address'] = null;
  if (row.address_city !== null) {
    address = { city: row.address_city, lat: Number(row.address_lat), lng: Number(row.address_lng) };
    if (row.address_private) {
      const privateParts = (
        rows.address
          ? {
              line1: rows.address.line1 ?? null,
              name: rows.address.name ?? null,
              phone: rows.address.phone ?? null,
            }
          : JSON.parse(deps.pii.decrypt(row.address_private))
      ) as {
        line1: string | null;
        name: string | null;
        phone: string | null;
      };
      address.line1 = privateParts.line1 ?? undefined;
      address.name = privateParts.name ?? undefined;
      address.phone = privateParts.phone
        ? viewer.seesPersonalData
          ? privateParts.phone
          : maskPhone(privateParts.phone)
        : undefined;
      if (!viewer.seesPersonalData) address.masked = true;
    }
  }
  const plan = rows.plan ?? storedPlan(row.plan);
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    storeCode: row.store_code,
    guide: row.guide,
    memberId: row.member_id,
    status: row.status as OrderStatus,
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      sku: l.sku,
      name: l.name,
      category: l.category,
      quantity: Number(l.quantity),
      unitPrice: Number(l.unit_price),
      lineAmount: Number(l.line_amount),
      discountAmount: Number(l.discount_amount),
      pointsAmount: Number(l.points_amount),
      paidAmount: Number(l.paid_amount),
      cancelledQuantity: Number(l.cancelled_quantity),
    })),
    totalAmount: Number(row.total_amount),
    discountAmount: Number(row.discount_amount),
    pointsAmount: Number(row.points_amount),
    payableAmount: Number(row.payable_amount),
    paidAmount: Number(row.paid_amount),
    couponCodes: JSON.parse(row.coupon_codes) as string[],
    fulfillment: { type: row.fulfillment_type, store: row.fulfillment_store, address },
    fulfillmentPlan: plan,
    fulfillments: toFulfillmentViews(fulfillments, rows.fulfillmentLines, rows.transfers, viewer),
    timeline: timeline.map((t) => ({
      at: t.at,
      kind: t.kind,
      from: t.from_status,
      to: t.to_status,
      code: t.code,
      params: t.params === null ? null : JSON.parse(t.params),
      message: t.message,
      actor: t.actor,
      data: t.data === null ? null : JSON.parse(t.data),
    })),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
  };
}

function storedPlan(text: string): OrderView['fulfillmentPlan'] {
  const stored = JSON.parse(text) as {
    groups: PlannedGroup[];
    explanation: Parameters<typeof unpackExplanation>[0];
  };
  return { groups: stored.groups, explanation: unpackExplanation(stored.explanation) };
}

function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

export interface OrderFilter {
  channel?: string | undefined;
  store?: string | undefined;
  status?: string | undefined;
  memberId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface OrderSummary {
  id: string;
  channel: string;
  externalId: string | null;
  storeCode: string | null;
  memberId: string | null;
  status: string;
  fulfillmentType: string;
  fulfillmentStore: string | null;
  totalAmount: number;
  payableAmount: number;
  paidAmount: number;
  createdAt: string;
}

/** Orders newest first, for the console: by channel, store (sold or fulfilled there), status, member, date. */
export async function listOrders(
  db: Kysely<DB>,
  filter: OrderFilter,
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('orders')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.channel) query = query.where('channel', '=', filter.channel);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.memberId) query = query.where('member_id', '=', filter.memberId);
  if (filter.from) query = query.where('created_at', '>=', filter.from);
  if (filter.to) query = query.where('created_at', '<', filter.to);
  if (filter.store) {
    const store = filter.store;
    query = query.where((eb) =>
      eb.or([
        eb('store_code', '=', store),
        eb('fulfillment_store', '=', store),
        eb('id', 'in', eb.selectFrom('fulfillments').select('order_id').where('location', '=', store)),
      ]),
    );
  }
  if (filter.cursor) {
    const [createdAt, id] = JSON.parse(Buffer.from(filter.cursor, 'base64url').toString('utf8')) as [
      string,
      string,
    ];
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, filter.limit).map((r) => ({
    id: r.id,
    channel: r.channel,
    externalId: r.external_id,
    storeCode: r.store_code,
    memberId: r.member_id,
    status: r.status,
    fulfillmentType: r.fulfillment_type,
    fulfillmentStore: r.fulfillment_store,
    totalAmount: Number(r.total_amount),
    payableAmount: Number(r.payable_amount),
    paidAmount: Number(r.paid_amount),
    createdAt: r.created_at,
  }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor:
      rows.length > filter.limit && last
        ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')
        : null,
  };
}

/** Whether a store's staff may see an order: sold there, picked up there, or fulfilled there. */
export async function orderTouchesStore(
  db: Kysely<DB>,
  order: Selectable<OrdersTable>,
  store: string,
): Promise<boolean> {
  if (order.store_code === store || order.fulfillment_store === store) return true;
  const row = await db
    .selectFrom('fulfillments')
    .select('id')
    .where('order_id', '=', order.id)
    .where('location', '=', store)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Status changes

/**
 * Moves the order along its state machine with a conditional update (`where status = current`), so that two
 * concurrent moves cannot both apply; writes the timeline entry. Returns false when the status had changed.
 */
export async function moveOrder(
  trx: Trx,
  order: Selectable<OrdersTable>,
  to: OrderStatus,
  entry: TimelineSay & { actor: string | null; data?: object },
  fulfillmentStatuses?: readonly FulfillmentStatus[],
  extra: Partial<Pick<OrdersTable, 'paid_amount' | 'completed_at' | 'cancelled_at' | 'cancel_reason'>> = {},
): Promise<boolean> {
  transitionOrder(order.status as OrderStatus, to, fulfillmentStatuses);
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
  order: Selectable<OrdersTable>,
  completedAt: string,
): Promise<object> {
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
