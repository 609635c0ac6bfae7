import { OrderErrors } from './orders.errors.js';

/*
 * What cancelling gives back, in exact fen: a cancelled group's lines, some units of a line. Pure: no I/O.
 */

/** An order line as these rules read it (fen; units). */
export interface CancelOrderLine {
  lineNo: number;
  sku: string;
  quantity: number;
  paidAmount: number;
  pointsAmount: number;
  cancelledQuantity: number;
}

/** What cancelling `quantity` more units of a line refunds in money: exact fen, the last unit takes the remainder. */
export function lineMoneyShare(
  line: { quantity: number; paidAmount: number; pointsAmount: number; cancelledQuantity: number },
  quantity: number,
): number {
  const money = line.paidAmount - line.pointsAmount;
  const before = Math.floor((money * line.cancelledQuantity) / line.quantity);
  const after = Math.floor((money * (line.cancelledQuantity + quantity)) / line.quantity);
  return after - before;
}

/** The money part of what a cancelled group's lines were paid (each order line's share for the group's units). */
export function groupRefundAmount(
  groupLines: readonly { sku: string; quantity: number }[],
  orderLines: readonly Pick<CancelOrderLine, 'sku' | 'quantity' | 'paidAmount' | 'pointsAmount'>[],
): number {
  let amount = 0;
  for (const line of groupLines) {
    const ol = orderLines.find((l) => l.sku === line.sku);
    if (!ol) continue;
    // The money part of what the line paid, for the units in this group.
    const money = ol.paidAmount - ol.pointsAmount;
    amount += Math.floor((money * line.quantity) / ol.quantity);
  }
  return amount;
}

/** A group units may be taken out of, as these rules read it. */
export interface CancelGroup {
  id: string;
  /** Nothing has left it and it waits for no transfer. */
  cancellable: boolean;
  lines: readonly { sku: string; quantity: number }[];
}

export interface LineCancellation {
  /** Units to take out of each group: group id → SKU → units. */
  take: Map<string, Map<string, number>>;
  /** The units' money, refunded. */
  refundAmount: number;
  /** The points part of each line's units, given back. */
  pointsBack: { lineNo: number; quantity: number; pointsAmount: number }[];
  /** Units newly cancelled per line, in the order asked. */
  cancelled: { lineNo: number; quantity: number }[];
}

/**
 * Which groups give up the units asked for (the first open groups holding them, in order), and what that
 * refunds in money and points. Units already shipped or handed over are returns, not cancellations
 * (ORDER.NOT_CANCELLABLE); a line cannot lose more units than it still has (ORDER.CANCEL_QUANTITY_EXCEEDED).
 * Every unit is counted against the lines as they were read.
 */
export function planLineCancellation(
  orderId: string,
  orderLines: readonly CancelOrderLine[],
  groups: readonly CancelGroup[],
  requested: readonly { sku: string; quantity: number }[],
): LineCancellation {
  const take = new Map<string, Map<string, number>>(); // group → sku → units cancelled there
  let refundAmount = 0;
  const pointsBack: LineCancellation['pointsBack'] = [];
  const cancelled: LineCancellation['cancelled'] = [];
  for (const want of requested) {
    const line = orderLines.find((l) => l.sku === want.sku);
    if (!line) {
      throw OrderErrors.lineNotFound(`Order ${orderId} has no line for ${want.sku}`, {
        errors: [{ path: 'lines', message: `no line ${want.sku}` }],
      });
    }
    const open = line.quantity - line.cancelledQuantity;
    if (want.quantity > open) {
      throw OrderErrors.cancelQuantityExceeded(`Only ${open} of ${want.sku} can still be cancelled`, {
        extra: { sku: want.sku, open },
      });
    }
    let left = want.quantity;
    for (const g of groups) {
      if (left === 0) break;
      if (!g.cancellable) continue;
      const gl = g.lines.find((x) => x.sku === want.sku);
      const already = take.get(g.id)?.get(want.sku) ?? 0;
      const here = Math.min(left, (gl?.quantity ?? 0) - already);
      if (here <= 0) continue;
      if (!take.has(g.id)) take.set(g.id, new Map());
      take.get(g.id)!.set(want.sku, already + here);
      left -= here;
    }
    if (left > 0) {
      throw OrderErrors.notCancellable(
        `${left} of ${want.sku} have left a location, been handed over or wait for a transfer: return them, or cancel the whole order`,
      );
    }
    refundAmount += lineMoneyShare(line, want.quantity);
    const pointsPart =
      Math.floor((line.pointsAmount * (line.cancelledQuantity + want.quantity)) / line.quantity) -
      Math.floor((line.pointsAmount * line.cancelledQuantity) / line.quantity);
    if (pointsPart > 0)
      pointsBack.push({ lineNo: line.lineNo, quantity: want.quantity, pointsAmount: pointsPart });
    cancelled.push({ lineNo: line.lineNo, quantity: want.quantity });
  }
  return { take, refundAmount, pointsBack, cancelled };
}
