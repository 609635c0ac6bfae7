import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import { CatalogErrors, type Sku } from '../catalog/index.js';
import type {
  FulfillmentRequest,
  PackedExplanation,
  PlannedGroup,
  SourcingOrder,
} from '../fulfillment/index.js';
import type { AppliedCoupon, CouponLineInput } from '../loyalty/index.js';
import { addDays, type Channel, isoAfter, stableStringify } from '../platform/index.js';
import { OrderErrors } from './orders.errors.js';
import type { Address, OrderRow } from './orders.rows.js';
import { type DiscountInput, type OrderPricing, type PricingLineInput, priceOrder } from './orders.rules.js';
import type { OrderLinesTable } from './orders.schema.js';

/*
 * Placing an order's decisions, between the reads and the writes: the lines from the catalog, what the sourcing
 * planner is asked, the prices with their discounts and points, and the rows to write. Pure: no I/O.
 */

export type OrderFulfillmentInput =
  | { type: 'delivery'; address: Address; scheduledDate?: string | undefined }
  | { type: 'pickup'; store: string }
  | { type: 'same_day'; address: Address; scheduledDate?: string | undefined }
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

/**
 * Whether placing this order may share a transaction with other orders (Database.transactionShared). An order
 * that spends nothing and names its member (or none) writes only new rows, whose unique keys catch a clash, and
 * stock, through conditional updates. Coupons, points, credit and a customer to identify change rows other orders
 * may read in the same transaction: those orders have one of their own.
 */
export function sharesTransaction(input: PlaceOrderInput): boolean {
  return (
    input.customer === undefined &&
    input.credit === undefined &&
    !input.pointsToRedeem &&
    (input.couponCodes === undefined || input.couponCodes.length === 0)
  );
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

/** A line of the order being placed: its number, the catalog's SKU and the units. */
export interface PlaceLine {
  lineNo: number;
  sku: Sku;
  quantity: number;
}

/** The content hash that tells a replay of a channel's order number from a clash. */
export function requestHashOf(input: PlaceOrderInput): string {
  return createHash('sha256').update(stableStringify(input)).digest('hex');
}

/** A carry-out sale happens at a till: it names its store (ORDER.INVALID_FULFILLMENT otherwise). */
export function assertFulfillable(input: PlaceOrderInput): void {
  if (input.fulfillment.type === 'carry_out' && !input.storeCode) {
    throw OrderErrors.invalidFulfillment('A carry-out sale happens at a till: give storeCode', {
      errors: [{ path: 'storeCode', message: 'required for carry_out' }],
    });
  }
}

/** Lines of one SKU are merged: one line per SKU keeps pricing, reservations and returns unambiguous. */
export function mergeLines(lines: readonly { sku: string; quantity: number }[]): Map<string, number> {
  const quantities = new Map<string, number>();
  for (const line of lines) quantities.set(line.sku, (quantities.get(line.sku) ?? 0) + line.quantity);
  return quantities;
}

/** The order's lines, numbered, from the catalog's SKUs: each must exist and be on sale. */
export function sellableLines(
  quantities: ReadonlyMap<string, number>,
  skus: ReadonlyMap<string, Sku>,
): PlaceLine[] {
  for (const code of quantities.keys()) {
    const sku = skus.get(code);
    if (!sku) throw CatalogErrors.skuNotFound(`No SKU ${code} in the catalog`, { extra: { sku: code } });
    if (!sku.active) throw OrderErrors.skuNotSellable(`${code} is not on sale`, { extra: { sku: code } });
  }
  return [...quantities].map(([code, quantity], i) => ({
    lineNo: i + 1,
    sku: skus.get(code)!,
    quantity,
  }));
}

/** How the customer is served, as the sourcing planner reads it (a carry-out at the till's store). */
export function sourcingRequest(input: PlaceOrderInput): FulfillmentRequest {
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

/** The store whose shelf the customer chose (a pickup's or a carry-out's), whose whole stock counts. */
export function ownStoreOf(request: FulfillmentRequest, input: PlaceOrderInput): string | null {
  return request.type === 'pickup'
    ? request.store
    : request.type === 'carry_out'
      ? (input.storeCode ?? null)
      : null;
}

/** The order as the sourcing planner is asked to place it. */
export function sourcingOrderOf(
  input: PlaceOrderInput,
  lines: readonly PlaceLine[],
  request: FulfillmentRequest,
): SourcingOrder {
  return {
    channel: input.channel,
    lines: lines.map((l) => ({ sku: l.sku.code, quantity: l.quantity })),
    fulfillment: request,
    storeCode: input.storeCode ?? null,
  };
}

/** The lines as loyalty checks coupons against them (their amounts before any discount). */
export function couponLinesOf(lines: readonly PlaceLine[]): CouponLineInput[] {
  return lines.map((l) => ({
    key: String(l.lineNo),
    sku: l.sku.code,
    category: l.sku.category,
    amount: l.sku.price * l.quantity,
  }));
}

/**
 * The order's prices: its lines at the catalog's price, less the coupons' and an exchange credit's discounts,
 * less the redeemed points' money. Points worth more than what the discounts leave to pay are refused
 * (ORDER.POINTS_EXCEED_PAYABLE): the customer would lose them.
 */
export function pricePlacement(
  lines: readonly PlaceLine[],
  coupons: readonly AppliedCoupon[],
  credit: PlaceOrderInput['credit'],
  points: { requested: number; amount: number } | null,
): OrderPricing {
  const priceLines: PricingLineInput[] = lines.map((l) => ({
    key: String(l.lineNo),
    quantity: l.quantity,
    unitPrice: l.sku.price,
  }));
  const discounts: DiscountInput[] = [
    ...coupons.map((c) => ({ source: c.code, amount: c.amount, lines: c.lineKeys })),
    ...(credit ? [{ source: credit.source, amount: credit.amount }] : []),
  ];
  if (points) {
    const due = priceOrder(priceLines, discounts).payableAmount;
    if (points.amount > due) {
      throw OrderErrors.pointsExceedPayable(
        `${points.requested} points are worth ${points.amount} fen; only ${due} fen are left to pay`,
        {
          errors: [{ path: 'pointsToRedeem', message: `worth more than the ${due} fen left to pay` }],
        },
      );
    }
  }
  return priceOrder(priceLines, discounts, { pointsAmount: points?.amount ?? 0 });
}

/** What a new order is made of, once read, planned and priced. */
export interface NewOrder {
  orderId: string;
  input: PlaceOrderInput;
  requestHash: string;
  memberId: string | null;
  lines: readonly PlaceLine[];
  pricing: OrderPricing;
  pointsRedeemed: number;
  couponCodes: readonly string[];
  /** The plan as stored: its groups and its packed explanation (see `packExplanation`). */
  plan: { groups: PlannedGroup[]; explanation: PackedExplanation[] };
  /** The recipient's street, name and phone, encrypted (null when there are none). */
  privateAddress: string | null;
  now: Date;
  localDay: string;
}

/** The recipient of a delivery or same-day order. */
export function addressOf(input: PlaceOrderInput): Address | null {
  return input.fulfillment.type === 'delivery' || input.fulfillment.type === 'same_day'
    ? input.fulfillment.address
    : null;
}

/** The recipient's street, name and phone as one text to encrypt (null when there are none). */
export function privateAddressText(address: Address | null): string | null {
  return address && (address.line1 || address.name || address.phone)
    ? JSON.stringify({
        line1: address.line1 ?? null,
        name: address.name ?? null,
        phone: address.phone ?? null,
      })
    : null;
}

/** The order's row and its lines' rows; the order starts unpaid, holding its stock until `expires_at`. */
export function newOrderRows(order: NewOrder): { row: OrderRow; lineRows: Selectable<OrderLinesTable>[] } {
  const { input, pricing } = order;
  const address = addressOf(input);
  const holdSeconds = input.holdSeconds ?? DEFAULT_HOLD_SECONDS[input.channel];
  const createdAt = order.now.toISOString();
  const row: OrderRow = {
    id: order.orderId,
    channel: input.channel,
    external_id: input.externalId ?? null,
    request_hash: order.requestHash,
    store_code: input.storeCode ?? null,
    guide: input.guide ?? null,
    member_id: order.memberId,
    status: 'pending_payment',
    fulfillment_type: input.fulfillment.type,
    fulfillment_store:
      input.fulfillment.type === 'pickup'
        ? input.fulfillment.store
        : input.fulfillment.type === 'carry_out'
          ? (input.storeCode ?? null)
          : null,
    scheduled_date: scheduledDateOf(input.fulfillment),
    address_city: address?.city ?? null,
    address_lat: address?.lat ?? null,
    address_lng: address?.lng ?? null,
    address_private: order.privateAddress,
    total_amount: pricing.totalAmount,
    discount_amount: pricing.discountAmount,
    points_amount: pricing.pointsAmount,
    points_redeemed: order.pointsRedeemed,
    payable_amount: pricing.payableAmount,
    paid_amount: 0,
    coupon_codes: JSON.stringify(order.couponCodes),
    plan: JSON.stringify(order.plan),
    expires_at: isoAfter(holdSeconds * 1000, order.now.getTime()),
    local_day: order.localDay,
    created_at: createdAt,
    updated_at: createdAt,
    completed_at: null,
    cancelled_at: null,
    cancel_reason: null,
    imported_by: null,
  };
  const lineRows = order.lines.map((l, i) => {
    const priced = pricing.lines[i]!;
    return {
      order_id: order.orderId,
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
  return { row, lineRows };
}

/** How far ahead she may book a delivery: two weeks of the brand's calendar. */
export const SCHEDULE_DAYS_AHEAD = 14;

function scheduledDateOf(f: OrderFulfillmentInput): string | null {
  return (f.type === 'delivery' || f.type === 'same_day') && f.scheduledDate !== undefined
    ? f.scheduledDate
    : null;
}

/**
 * A booked delivery day must be one the brand can still plan for: same-day from today, a parcel from tomorrow (it
 * needs a night on the road), and at most SCHEDULE_DAYS_AHEAD days ahead — in the brand's calendar.
 */
/** The days a delivery or same-day order may be booked for, from `today` (brand calendar, both ends included). */
export function bookableDays(type: 'delivery' | 'same_day', today: string): { from: string; to: string } {
  return { from: addDays(today, type === 'same_day' ? 0 : 1), to: addDays(today, SCHEDULE_DAYS_AHEAD) };
}

export function assertSchedule(f: OrderFulfillmentInput, today: string): void {
  const day = (f as { scheduledDate?: string }).scheduledDate;
  if (day === undefined) return;
  const fail = (message: string) =>
    OrderErrors.invalidFulfillment(`scheduledDate ${day}: ${message}`, {
      errors: [{ path: 'fulfillment.scheduledDate', message }],
    });
  if (f.type !== 'delivery' && f.type !== 'same_day')
    throw fail('only a delivery or same-day order is booked for a day');
  const { from, to } = bookableDays(f.type, today);
  if (day < from) throw fail(`the earliest is ${from}`);
  if (day > to) throw fail(`the latest is ${to}`);
}
