import type { FulfillmentStatus } from '../fulfillment/index.js';
import { OrderErrors } from './orders.errors.js';

/*
 * The order hub's pure decisions: the order lifecycle as a transition table (and the status its fulfillment
 * groups imply), and pricing with discounts apportioned to lines. No I/O; the services read, call these, then
 * write. The fulfillment groups' own lifecycle and pickup codes are fulfillment's (fulfillment/lifecycle.rules.ts,
 * fulfillment/pickups.rules.ts).
 */

// ---------------------------------------------------------------------------------------------------------------
// Order lifecycle

export const ORDER_STATUSES = ['pending_payment', 'paid', 'fulfilling', 'completed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Every move an order may make. `fulfilling → cancelled` has a guard as well: see `canCancelOrder`. */
export const ORDER_TRANSITIONS: { readonly [S in OrderStatus]: readonly OrderStatus[] } = {
  pending_payment: ['paid', 'cancelled'],
  paid: ['fulfilling', 'cancelled'],
  fulfilling: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function canTransitionOrder(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Statuses after which goods have left a location or reached the customer: the order can no longer be cancelled. */
const GOODS_GONE: ReadonlySet<FulfillmentStatus> = new Set(['shipped', 'delivered', 'picked_up']);

/**
 * Whether an order may be cancelled now. Before payment and before any work, always; while fulfilling, only
 * while no group has shipped or been handed over (after that it is a return, not a cancellation).
 */
export function canCancelOrder(status: OrderStatus, fulfillments: readonly FulfillmentStatus[]): boolean {
  if (status === 'pending_payment' || status === 'paid') return true;
  if (status !== 'fulfilling') return false;
  return !fulfillments.some((f) => GOODS_GONE.has(f));
}

/**
 * The status after moving `current` to `to`, or `ORDER.INVALID_TRANSITION`. Cancelling a fulfilling order needs
 * its groups' statuses and fails with `ORDER.NOT_CANCELLABLE` once goods have left.
 */
export function transitionOrder(
  current: OrderStatus,
  to: OrderStatus,
  fulfillments?: readonly FulfillmentStatus[],
): OrderStatus {
  if (!canTransitionOrder(current, to)) {
    throw OrderErrors.invalidTransition(`An order that is ${current} cannot become ${to}`, {
      extra: { from: current, to },
    });
  }
  if (to === 'cancelled' && current === 'fulfilling') {
    // Deciding without the groups would cancel an order whose parcel is already on the road.
    if (fulfillments === undefined)
      throw new Error('cancelling a fulfilling order needs its fulfillment statuses');
    if (!canCancelOrder(current, fulfillments)) {
      throw OrderErrors.notCancellable('Part of this order has already shipped or been picked up', {
        extra: { fulfillments },
      });
    }
  }
  return to;
}

/**
 * The order status its fulfillment groups imply: `completed` when every group that is not cancelled has been
 * delivered or picked up; `cancelled` when every group is cancelled; `fulfilling` once any group has started
 * (accepted or beyond); null while nothing has started (or there are no groups).
 */
export function orderStatusFromFulfillments(
  statuses: readonly FulfillmentStatus[],
): 'fulfilling' | 'completed' | 'cancelled' | null {
  if (statuses.length === 0) return null;
  let live = 0;
  let done = 0;
  let started = false;
  for (const status of statuses) {
    if (status === 'cancelled') continue;
    live++;
    if (status === 'delivered' || status === 'picked_up') done++;
    if (status !== 'pending') started = true;
  }
  if (live === 0) return 'cancelled';
  if (done === live) return 'completed';
  return started ? 'fulfilling' : null;
}

/**
 * The moves (in order, each to be written on the timeline) that bring a paid or fulfilling order in line with its
 * groups, e.g. paid + a carry-out handed over → ['fulfilling', 'completed']. An unpaid or finished order never
 * moves because of its groups.
 */
export function orderMovesFromFulfillments(
  current: OrderStatus,
  statuses: readonly FulfillmentStatus[],
): OrderStatus[] {
  if (current !== 'paid' && current !== 'fulfilling') return [];
  const target = orderStatusFromFulfillments(statuses);
  if (target === null || target === current) return [];
  if (target === 'cancelled') return [transitionOrder(current, 'cancelled', statuses)];
  const moves: OrderStatus[] = [];
  let at: OrderStatus = current;
  if (at === 'paid') {
    at = transitionOrder(at, 'fulfilling');
    moves.push(at);
  }
  if (target === 'completed') moves.push(transitionOrder(at, 'completed'));
  return moves;
}

// ---------------------------------------------------------------------------------------------------------------
// Pricing (integer fen)

export interface ApportionPart {
  key: string;
  amount: number;
}

/**
 * Splits `total` fen over the parts in proportion to their amounts, by the largest-remainder method: every part is
 * ⌊total × amount / Σ⌋ plus one fen for the largest remainders, so the parts sum to `total` exactly and none
 * exceeds its amount. Equal remainders go to the larger amount, then to the earlier part: the same input always
 * gives the same split. Used for discounts and for points paid as money.
 */
export function apportion(parts: readonly ApportionPart[], total: number): Map<string, number> {
  assertFen(total, 'total');
  let sum = 0;
  const result = new Map<string, number>();
  for (const part of parts) {
    assertFen(part.amount, `amount of ${part.key}`);
    if (result.has(part.key)) throw new RangeError(`apportion: key ${part.key} given twice`);
    result.set(part.key, 0);
    sum += part.amount;
  }
  if (total > sum) throw new RangeError(`apportion: ${total} exceeds the parts' total ${sum}`);
  if (total === 0) return result;

  // BigInt keeps total × amount exact beyond 2^53 fen².
  const bigTotal = BigInt(total);
  const bigSum = BigInt(sum);
  const shares = parts.map((part, index) => {
    const scaled = bigTotal * BigInt(part.amount);
    return { index, part, base: Number(scaled / bigSum), remainder: scaled % bigSum };
  });
  let left = total;
  for (const share of shares) left -= share.base;
  const byRemainder = [...shares].sort(
    (a, b) =>
      (a.remainder > b.remainder ? -1 : a.remainder < b.remainder ? 1 : 0) ||
      b.part.amount - a.part.amount ||
      a.index - b.index,
  );
  // `left` is below the number of non-zero remainders, so only parts whose exact share was not whole get a fen.
  for (let i = 0; i < left; i++) byRemainder[i]!.base += 1;
  for (const share of shares) result.set(share.part.key, share.base);
  return result;
}

/** A discount apportioned to lines in proportion to their amounts; see `apportion`. */
export function apportionDiscount(lines: readonly ApportionPart[], discount: number): Map<string, number> {
  return apportion(lines, discount);
}

export interface PricingLineInput {
  /** Unique per order: the SKU code, or a line id when one SKU appears on several lines. */
  key: string;
  quantity: number;
  unitPrice: number;
}

export interface DiscountInput {
  /** What granted it: a coupon code, a promotion id. */
  source: string;
  amount: number;
  /** The keys of the lines it applies to; all lines when absent. */
  lines?: readonly string[] | undefined;
}

export interface PricedLine {
  key: string;
  quantity: number;
  unitPrice: number;
  lineAmount: number;
  discountAmount: number;
  /** lineAmount − discountAmount: what the customer pays for this line (in money and points) and gets back on return. */
  paidAmount: number;
  /** The part of paidAmount settled with points. */
  pointsAmount: number;
}

export interface AppliedDiscount {
  source: string;
  requested: number;
  /** What was applied: the requested amount, capped at what its lines still cost. */
  amount: number;
}

export interface OrderPricing {
  lines: PricedLine[];
  totalAmount: number;
  discountAmount: number;
  /** Fen settled with points, capped at what is left to pay. */
  pointsAmount: number;
  /** Left to pay with money: total − discounts − points. */
  payableAmount: number;
  discounts: AppliedDiscount[];
}

/**
 * Prices an order in fen: line amounts, then each discount in turn apportioned over its lines' remaining amounts
 * (so stacked discounts never take a line below zero), then points apportioned over what is left.
 */
export function priceOrder(
  lines: readonly PricingLineInput[],
  discounts: readonly DiscountInput[] = [],
  options: { pointsAmount?: number } = {},
): OrderPricing {
  const priced: PricedLine[] = [];
  const byKey = new Map<string, PricedLine>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0) {
      throw new RangeError(`priceOrder: line ${line.key} quantity must be a positive integer`);
    }
    assertFen(line.unitPrice, `unitPrice of ${line.key}`);
    if (byKey.has(line.key)) throw new RangeError(`priceOrder: line ${line.key} given twice`);
    const lineAmount = line.quantity * line.unitPrice;
    assertFen(lineAmount, `amount of ${line.key}`);
    const entry: PricedLine = {
      key: line.key,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineAmount,
      discountAmount: 0,
      paidAmount: lineAmount,
      pointsAmount: 0,
    };
    priced.push(entry);
    byKey.set(line.key, entry);
  }

  const applied: AppliedDiscount[] = [];
  for (const discount of discounts) {
    assertFen(discount.amount, `discount ${discount.source}`);
    const targets = discount.lines
      ? discount.lines.map((key) => {
          const line = byKey.get(key);
          if (!line)
            throw new RangeError(`priceOrder: discount ${discount.source} names unknown line ${key}`);
          return line;
        })
      : priced;
    const room = targets.reduce((sum, line) => sum + line.paidAmount, 0);
    const amount = Math.min(discount.amount, room);
    const parts = apportion(
      targets.map((line) => ({ key: line.key, amount: line.paidAmount })),
      amount,
    );
    for (const line of targets) {
      const part = parts.get(line.key)!;
      line.discountAmount += part;
      line.paidAmount -= part;
    }
    applied.push({ source: discount.source, requested: discount.amount, amount });
  }

  const totalAmount = priced.reduce((sum, line) => sum + line.lineAmount, 0);
  const discountAmount = priced.reduce((sum, line) => sum + line.discountAmount, 0);
  const requestedPoints = options.pointsAmount ?? 0;
  assertFen(requestedPoints, 'pointsAmount');
  const pointsAmount = Math.min(requestedPoints, totalAmount - discountAmount);
  const pointsParts = apportion(
    priced.map((line) => ({ key: line.key, amount: line.paidAmount })),
    pointsAmount,
  );
  for (const line of priced) line.pointsAmount = pointsParts.get(line.key)!;

  return {
    lines: priced,
    totalAmount,
    discountAmount,
    pointsAmount,
    payableAmount: totalAmount - discountAmount - pointsAmount,
    discounts: applied,
  };
}

function assertFen(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of fen, not ${value}`);
  }
}
