import { appendEvent, newEvent, newId, nowIso, type Trx } from '../platform/index.js';
import { PointsReversed } from './loyalty.events.js';
import { reversalFor } from './loyalty.rules.js';
import { ATTEMPTS, addLedgerEntry, memberOfSpend, settleDebts } from './points.service.js';
import { givePointsBack } from './points-spending.service.js';

export interface ReturnLine {
  lineNo: number;
  quantity: number;
  /** Fen of the returned units that had been paid with points. */
  pointsAmount: number;
}

/**
 * A return of some lines: the points those units earned are taken back — from the pending lot, from what is left
 * of it, and beyond that as a debt (a negative balance later earnings settle); points that had already expired
 * are not taken twice. Points used to pay for the units come back. Qualifying spend drops by the money refunded.
 */
export async function reversePointsForReturn(
  trx: Trx,
  input: { returnId: string; orderId: string; lines: ReturnLine[] },
): Promise<{ pointsReversed: number; pointsRestored: number }> {
  let reversedTotal = 0;
  const members = new Set<string>();
  for (const line of input.lines) {
    const sourceKey = `return:${input.returnId}:${line.lineNo}`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const lot = await trx
        .selectFrom('loyalty_points_lots')
        .selectAll()
        .where('order_id', '=', input.orderId)
        .where('line_no', '=', line.lineNo)
        .where('kind', '=', 'earn')
        .executeTakeFirst();
      if (!lot) break;
      const r = reversalFor(
        {
          status: lot.status,
          quantity: Number(lot.quantity),
          points: Number(lot.points),
          reversedQuantity: Number(lot.reversed_quantity),
          reversedPoints: Number(lot.reversed_points),
          remaining: Number(lot.remaining),
          expiredPoints: Number(lot.expired_points),
        },
        line.quantity,
      );
      if (r.quantity === 0) break;
      const updated = await trx
        .updateTable('loyalty_points_lots')
        .set({
          reversed_points: Number(lot.reversed_points) + r.points,
          reversed_quantity: Number(lot.reversed_quantity) + r.quantity,
          remaining: Number(lot.remaining) - r.fromRemaining,
          expired_points: Number(lot.expired_points) - r.fromExpired,
        })
        .where('id', '=', lot.id)
        .where('status', '=', lot.status)
        .where('remaining', '=', lot.remaining)
        .where('reversed_points', '=', lot.reversed_points)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) continue;
      const memberId = lot.member_id;
      members.add(memberId);
      if (r.points > 0) {
        await addLedgerEntry(trx, {
          memberId,
          sourceKey,
          kind: 'reverse',
          points: -(r.fromRemaining + r.debt),
          pendingPoints: -r.fromPending,
          lotId: lot.id,
          orderId: input.orderId,
          reference: input.returnId,
        });
      }
      if (r.debt > 0) {
        await trx
          .insertInto('loyalty_points_lots')
          .values({
            id: newId('lot'),
            member_id: memberId,
            source_key: `debt:${input.returnId}:${line.lineNo}`,
            kind: 'debt',
            order_id: input.orderId,
            line_no: line.lineNo,
            sku: lot.sku,
            quantity: 0,
            paid_amount: 0,
            points: 0,
            reversed_points: 0,
            reversed_quantity: 0,
            remaining: -r.debt,
            expired_points: 0,
            status: 'available',
            earned_at: nowIso(),
            available_at: nowIso(),
            expires_at: null,
          })
          .execute();
      }
      const quantity = Number(lot.quantity);
      const paid = Number(lot.paid_amount);
      const before = Math.floor((paid * Number(lot.reversed_quantity)) / quantity);
      const after =
        Number(lot.reversed_quantity) + r.quantity >= quantity
          ? paid
          : Math.floor((paid * (Number(lot.reversed_quantity) + r.quantity)) / quantity);
      await trx
        .insertInto('loyalty_spend')
        .values({
          id: newId('lsp'),
          member_id: memberId,
          source_key: sourceKey,
          order_id: input.orderId,
          amount: -(after - before),
          occurred_at: nowIso(),
        })
        .onConflict((oc) => oc.column('source_key').doNothing())
        .execute();
      reversedTotal += r.points;
      break;
    }
  }
  let restored = 0;
  const pointsAmount = input.lines.reduce((s, l) => s + l.pointsAmount, 0);
  if (pointsAmount > 0) {
    const redemption = await trx
      .selectFrom('loyalty_points_redemptions')
      .selectAll()
      .where('order_id', '=', input.orderId)
      .executeTakeFirst();
    if (redemption && Number(redemption.amount) > 0) {
      const left = Number(redemption.points) - Number(redemption.restored_points);
      const points = Math.min(
        left,
        Math.round((pointsAmount * Number(redemption.points)) / Number(redemption.amount)),
      );
      const memberId = await memberOfSpend(trx, `redeem:${input.orderId}`, redemption.member_id);
      restored = await givePointsBack(trx, {
        memberId,
        spendKey: `redeem:${input.orderId}`,
        points,
        sourceKey: `return:${input.returnId}:restore`,
        orderId: input.orderId,
      });
      await trx
        .updateTable('loyalty_points_redemptions')
        .set({ restored_points: Number(redemption.restored_points) + restored })
        .where('order_id', '=', input.orderId)
        .execute();
    }
  }
  for (const memberId of members) {
    await settleDebts(trx, memberId);
    await appendEvent(
      trx,
      newEvent(PointsReversed, {
        stream: `loyalty:${memberId}`,
        payload: { memberId, orderId: input.orderId, returnId: input.returnId, points: reversedTotal },
      }),
    );
  }
  return { pointsReversed: reversedTotal, pointsRestored: restored };
}
