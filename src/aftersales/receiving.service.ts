import { receiveReturn as receiveStock } from '../inventory/index.js';
import { requireLocation } from '../locations/index.js';
import { reverseForReturn } from '../loyalty/index.js';
import { addTimeline } from '../orders/index.js';
import { type Actor, actorName, appendEvent, newEvent, nowIso, type Trx } from '../platform/index.js';
import { ReturnErrors } from './aftersales.errors.js';
import { ReturnReceived } from './aftersales.events.js';
import { requireReturnRow } from './aftersales.rows.js';
import { wholeOrderReturned } from './aftersales.rules.js';
import type { ItemCondition } from './aftersales.schema.js';
import { startReturnRefund } from './refunds.service.js';
import { assertReturnLocation, gradeReceivedLines } from './returns.rules.js';

export interface ReceiveInput {
  location: string;
  /** The condition of every line, unless a line says otherwise. */
  condition?: ItemCondition | undefined;
  lines?: { sku: string; condition: ItemCondition }[] | undefined;
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
  assertReturnLocation(input.location, await requireLocation(trx, input.location), false);
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
  const received = gradeReceivedLines(
    id,
    lines.map((l) => ({ lineNo: Number(l.line_no), sku: l.sku, quantity: Number(l.quantity) })),
    input,
    ret.condition,
  );
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
    const q = received.find((l) => l.lineNo === Number(line_no))?.quantity ?? 0;
    const row = await trx
      .updateTable('return_line_totals')
      .set((eb) => ({ received_quantity: eb('received_quantity', '+', q), updated_at: at }))
      .where('order_id', '=', ret.order_id)
      .where('line_no', '=', line_no)
      .returning(['quantity', 'received_quantity'])
      .executeTakeFirstOrThrow();
    after.push({ quantity: Number(row.quantity), receivedQuantity: Number(row.received_quantity) });
  }
  for (const line of received) {
    await trx
      .updateTable('return_lines')
      .set({ condition: line.condition })
      .where('return_id', '=', id)
      .where('line_no', '=', line.lineNo)
      .execute();
    await receiveStock(trx, {
      sku: line.sku,
      location: input.location,
      quantity: line.quantity,
      condition: line.condition,
      source: id,
      actor: actorName(actor),
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
  await appendEvent(
    trx,
    newEvent(ReturnReceived, {
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
    }),
  );
  if (options.refund) await startReturnRefund(trx, id, actor);
}
