import { MemberMerged, MemberUnmerged } from '../members/members.events.js';
import { OrderCancelled, OrderCompleted } from '../orders/orders.events.js';
import { isEvent, nowIso, type PublishedEvent, payloadOf, type Trx } from '../platform/index.js';
import { restoreCouponsOfOrder } from './coupon-redemption.service.js';
import { settleTierAfterMerge } from './loyalty.service.js';
import { settleDebts } from './points.service.js';
import { earnForOrder } from './points-earning.service.js';
import { type ReturnLine, reversePointsForReturn } from './points-reversal.service.js';
import { restorePointsForOrder } from './points-spending.service.js';

/**
 * An order was cancelled (or refunded in full before completion): its coupons come back while still valid and
 * the points it was paid with are given back. Once per order, however often it is called.
 */
export async function restoreOrderBenefits(trx: Trx, input: { orderId: string }): Promise<void> {
  const claimed = await trx
    .insertInto('loyalty_order_restorations')
    .values({ order_id: input.orderId, created_at: nowIso() })
    .onConflict((oc) => oc.column('order_id').doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) return;
  await restoreCouponsOfOrder(trx, input.orderId);
  await restorePointsForOrder(trx, input.orderId);
}

export interface ReturnReversal {
  pointsReversed: number;
  pointsRestored: number;
  couponsRestored: string[];
}

/**
 * After-sales took back some lines: their earned points are reversed (into a negative balance if already spent),
 * points used to pay for them come back, and the coupons come back when the whole order was returned. Once per
 * return: a second call answers what the first did.
 */
export async function reverseForReturn(
  trx: Trx,
  input: { returnId: string; orderId: string; lines: ReturnLine[]; wholeOrderReturned: boolean },
): Promise<ReturnReversal> {
  const claimed = await trx
    .insertInto('loyalty_return_reversals')
    .values({ return_id: input.returnId, order_id: input.orderId, result: '{}', created_at: nowIso() })
    .onConflict((oc) => oc.column('return_id').doNothing())
    .executeTakeFirst();
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    const row = await trx
      .selectFrom('loyalty_return_reversals')
      .select('result')
      .where('return_id', '=', input.returnId)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.result) as ReturnReversal;
  }
  const points = await reversePointsForReturn(trx, input);
  const couponsRestored = input.wholeOrderReturned ? await restoreCouponsOfOrder(trx, input.orderId) : [];
  const result: ReturnReversal = { ...points, couponsRestored };
  await trx
    .updateTable('loyalty_return_reversals')
    .set({ result: JSON.stringify(result) })
    .where('return_id', '=', input.returnId)
    .execute();
  return result;
}

/** The loyalty reaction to the order hub: earn on completion, give benefits back on cancellation. */
export async function handleOrderEvent(trx: Trx, event: PublishedEvent): Promise<void> {
  if (isEvent(OrderCompleted, event)) {
    await earnForOrder(trx, payloadOf(OrderCompleted, event));
  } else if (isEvent(OrderCancelled, event)) {
    await restoreOrderBenefits(trx, { orderId: payloadOf(OrderCancelled, event).orderId });
  }
}

/** The loyalty reaction to One ID: a merge settles the survivor's tier and debts; an unmerge both members' debts. */
export async function handleMemberEvent(trx: Trx, event: PublishedEvent): Promise<void> {
  if (isEvent(MemberMerged, event)) {
    const merged = payloadOf(MemberMerged, event);
    await settleTierAfterMerge(trx, merged.memberId, merged.mergedFrom);
    await settleDebts(trx, merged.memberId);
  } else if (isEvent(MemberUnmerged, event)) {
    const unmerged = payloadOf(MemberUnmerged, event);
    await settleDebts(trx, unmerged.memberId);
    await settleDebts(trx, unmerged.restoredMemberId);
  }
}
