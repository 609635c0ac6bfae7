// Pure decisions of a return: where it may be taken, which units of an order may go back and what each gives
// back, and how the goods are graded when they arrive.

import { ReturnErrors } from './aftersales.errors.js';
import {
  type LineReturnState,
  refundForUnits,
  returnWindowClosesAt,
  returnWindowOpensAt,
  withinReturnWindow,
} from './aftersales.rules.js';
import type { ItemCondition } from './aftersales.schema.js';

const RETURNABLE_ORDER_STATUSES = new Set(['paid', 'fulfilling', 'completed']);

/**
 * Whether a location may take a return: it must be open, and a counter return (or exchange) happens at a store,
 * where the goods are handed over.
 */
export function assertReturnLocation(
  code: string,
  location: { kind: string; active: boolean },
  atCounter: boolean,
): void {
  if (atCounter && location.kind !== 'store') {
    throw ReturnErrors.locationInvalid(
      `${code} is a ${location.kind}: a counter return or exchange happens at a store`,
    );
  }
  if (!location.active) throw ReturnErrors.locationInvalid(`${code} is closed`);
}

/** The units asked for per SKU, in the order first asked (a SKU on two lines of the request counts once). */
export function requestedUnits(lines: readonly { sku: string; quantity: number }[]): Map<string, number> {
  const requested = new Map<string, number>();
  for (const line of lines) requested.set(line.sku, (requested.get(line.sku) ?? 0) + line.quantity);
  return requested;
}

/** Whether a submission that reused a return's `clientRequestId` asks for the same return (a retry) or another. */
export function sameReturnRequest(
  first: { location: string; lines: readonly { sku: string; quantity: number }[] },
  location: string,
  requested: ReadonlyMap<string, number>,
): boolean {
  return (
    first.location === location &&
    first.lines.length === requested.size &&
    first.lines.every((l) => requested.get(l.sku) === l.quantity)
  );
}

/** What a line cost, as its returns may give it back: money is its paid amount less the part paid in points. */
export function lineCost(line: { paidAmount: number; pointsAmount: number }): {
  moneyTotal: number;
  pointsTotal: number;
} {
  return { moneyTotal: line.paidAmount - line.pointsAmount, pointsTotal: line.pointsAmount };
}

/** One order line as the returns so far left it, by its line number. */
export interface LineReturnTotals extends LineReturnState {
  lineNo: number;
}

export interface ReturnPlanInput {
  order: {
    id: string;
    status: string;
    completedAt: string | null;
    lines: readonly { lineNo: number; sku: string }[];
    fulfillments: readonly {
      status: string;
      updatedAt: string;
      lines: readonly { sku: string; quantity: number }[];
    }[];
  };
  /** Units asked for per SKU, in the order asked (`requestedUnits`). */
  requested: ReadonlyMap<string, number>;
  /** Every line of the order as earlier returns left it, read under the lines' lock. */
  totals: readonly LineReturnTotals[];
  now: Date;
  /** How long after delivery an item may be returned (ms). */
  windowMs: number;
}

export interface PlannedReturnLine {
  lineNo: number;
  sku: string;
  quantity: number;
  /** Units of the SKU that reached the customer. */
  delivered: number;
  /** What the units give back in money (fen). */
  money: number;
  /** What they give back as points (fen). */
  points: number;
}

export interface ReturnPlan {
  /** In line order: the order the lines' totals are written in. */
  lines: PlannedReturnLine[];
  moneyValue: number;
  pointsValue: number;
}

/**
 * Which units of an order a return takes and what each gives back. Each SKU must be on the order (else
 * RETURN.NOT_PURCHASED) and have reached the customer (RETURN.NOT_DELIVERED), inside its return window
 * (RETURN.WINDOW_CLOSED); then, line by line, the units must not be returned already — every earlier return that
 * was not cancelled counts — (RETURN.QUANTITY_EXCEEDED) nor exceed what was delivered. Each unit gives back
 * exactly what it paid, money and points apart (`refundForUnits`).
 */
export function planReturn(input: ReturnPlanInput): ReturnPlan {
  const { order, requested, now, windowMs } = input;
  if (!RETURNABLE_ORDER_STATUSES.has(order.status)) {
    throw ReturnErrors.orderNotReturnable(`Order ${order.id} is ${order.status}`);
  }
  const lineOf = new Map(order.lines.map((l) => [l.sku, l]));
  const handedOver = order.fulfillments.filter((f) => f.status === 'delivered' || f.status === 'picked_up');

  const claims: { lineNo: number; sku: string; quantity: number; delivered: number }[] = [];
  for (const [sku, quantity] of requested) {
    const line = lineOf.get(sku);
    if (!line)
      throw ReturnErrors.notPurchased(`Order ${order.id} has no line with ${sku}`, { extra: { sku } });
    const groups = handedOver.filter((f) => f.lines.some((l) => l.sku === sku));
    const delivered = groups.reduce((sum, f) => sum + (f.lines.find((l) => l.sku === sku)?.quantity ?? 0), 0);
    const opensAt = returnWindowOpensAt({
      completedAt: order.completedAt,
      deliveredAt: groups.map((f) => f.updatedAt),
    });
    if (opensAt === null)
      throw ReturnErrors.notDelivered(`${sku} of order ${order.id} has not reached the customer yet`, {
        extra: { sku },
      });
    if (!withinReturnWindow(opensAt, now, windowMs)) {
      const closesAt = returnWindowClosesAt(opensAt, windowMs);
      throw ReturnErrors.windowClosed(
        `The return window of ${sku} (order ${order.id}) closed at ${closesAt}`,
        { extra: { sku, closesAt } },
      );
    }
    claims.push({ lineNo: line.lineNo, sku, quantity, delivered });
  }

  const state = new Map(input.totals.map((t) => [t.lineNo, { ...t }]));
  claims.sort((a, b) => a.lineNo - b.lineNo);
  const lines: PlannedReturnLine[] = [];
  for (const claim of claims) {
    const line = state.get(claim.lineNo);
    if (!line) throw new Error(`Line ${claim.lineNo} of order ${order.id} has no return totals`);
    if (line.returnedQuantity + claim.quantity > line.quantity) throw quantityExceeded(order.id, claim, line);
    if (line.returnedQuantity + claim.quantity > claim.delivered) {
      throw ReturnErrors.notDelivered(
        `Only ${claim.delivered} × ${claim.sku} of order ${order.id} reached the customer`,
        {
          extra: { sku: claim.sku, delivered: claim.delivered },
        },
      );
    }
    const refund = refundForUnits(line, claim.quantity);
    line.returnedQuantity += claim.quantity;
    line.refundedMoney += refund.money;
    line.refundedPoints += refund.points;
    lines.push({ ...claim, money: refund.money, points: refund.points });
  }
  return {
    lines,
    moneyValue: lines.reduce((s, l) => s + l.money, 0),
    pointsValue: lines.reduce((s, l) => s + l.points, 0),
  };
}

/** More units asked than were bought and are not yet returned or being returned. */
export function quantityExceeded(
  orderId: string,
  claim: { sku: string; quantity: number },
  line: { quantity: number; returnedQuantity: number },
) {
  return ReturnErrors.quantityExceeded(
    `${claim.quantity} × ${claim.sku} asked; order ${orderId} bought ${line.quantity} and ${line.returnedQuantity} are already returned or being returned`,
    {
      extra: { sku: claim.sku, bought: line.quantity, returned: line.returnedQuantity },
    },
  );
}

export interface ReceivedLine {
  lineNo: number;
  sku: string;
  quantity: number;
  condition: ItemCondition;
}

/**
 * Each line's condition as the goods arrive: as graded for its SKU, else as given for the whole return, else as
 * stated when the return was asked for. A grade for a SKU the return does not hold is RETURN.NOT_PURCHASED.
 */
export function gradeReceivedLines(
  returnId: string,
  lines: readonly { lineNo: number; sku: string; quantity: number }[],
  grading: {
    condition?: ItemCondition | undefined;
    lines?: readonly { sku: string; condition: ItemCondition }[] | undefined;
  },
  stated: ItemCondition,
): ReceivedLine[] {
  const graded = new Map((grading.lines ?? []).map((l) => [l.sku, l.condition]));
  for (const sku of graded.keys()) {
    if (!lines.some((l) => l.sku === sku))
      throw ReturnErrors.notPurchased(`Return ${returnId} has no line with ${sku}`, { extra: { sku } });
  }
  return lines.map((line) => ({
    lineNo: line.lineNo,
    sku: line.sku,
    quantity: line.quantity,
    condition: graded.get(line.sku) ?? grading.condition ?? stated,
  }));
}
