import type { Selectable } from 'kysely';
import { appendEvent, newEvent, type Trx } from '../platform/index.js';
import { PointsExpired, PointsMatured } from './loyalty.events.js';
import type { LoyaltyPointsLotsTable } from './loyalty.schema.js';
import { ATTEMPTS, addLedgerEntry, settleDebts } from './points.service.js';

export const MATURE_JOB = 'loyalty.points.mature';
export const EXPIRE_JOB = 'loyalty.points.expire';

/** The return window of an order closed: its pending lots become spendable, each exactly once. */
export async function maturePoints(trx: Trx, orderId: string): Promise<number> {
  const lots = await trx
    .selectFrom('loyalty_points_lots')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('kind', '=', 'earn')
    .where('status', '=', 'pending')
    .orderBy('line_no')
    .execute();
  let total = 0;
  const members = new Set<string>();
  for (const seen of lots) {
    let lot: Selectable<LoyaltyPointsLotsTable> | undefined = seen;
    for (let attempt = 0; lot && lot.status === 'pending' && attempt < ATTEMPTS; attempt++) {
      const points = Number(lot.points) - Number(lot.reversed_points);
      const moved = await trx
        .updateTable('loyalty_points_lots')
        .set({ status: 'available', remaining: points })
        .where('id', '=', lot.id)
        .where('status', '=', 'pending')
        .where('reversed_points', '=', lot.reversed_points)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 1) {
        if (points > 0) {
          await addLedgerEntry(trx, {
            memberId: lot.member_id,
            sourceKey: `mature:${lot.id}`,
            kind: 'mature',
            points,
            pendingPoints: -points,
            lotId: lot.id,
            orderId,
          });
        }
        total += points;
        members.add(lot.member_id);
        break;
      }
      lot = await trx
        .selectFrom('loyalty_points_lots')
        .selectAll()
        .where('id', '=', seen.id)
        .executeTakeFirst();
    }
  }
  for (const memberId of members) {
    await settleDebts(trx, memberId);
    await appendEvent(
      trx,
      newEvent(PointsMatured, {
        stream: `loyalty:${memberId}`,
        payload: { memberId, orderId, points: total },
      }),
    );
  }
  return total;
}

/** A lot reached its expiry date: what is left of it expires, exactly once. */
export async function expireLot(trx: Trx, lotId: string): Promise<number> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const lot = await trx
      .selectFrom('loyalty_points_lots')
      .selectAll()
      .where('id', '=', lotId)
      .executeTakeFirst();
    if (!lot || (lot.status !== 'available' && lot.status !== 'pending') || lot.kind !== 'earn') return 0;
    const pending = lot.status === 'pending' ? Number(lot.points) - Number(lot.reversed_points) : 0;
    const available = lot.status === 'available' ? Math.max(0, Number(lot.remaining)) : 0;
    const expired = await trx
      .updateTable('loyalty_points_lots')
      .set({
        status: 'expired',
        remaining: 0,
        expired_points: Number(lot.expired_points) + pending + available,
      })
      .where('id', '=', lot.id)
      .where('status', '=', lot.status)
      .where('remaining', '=', lot.remaining)
      .where('reversed_points', '=', lot.reversed_points)
      .executeTakeFirst();
    if (Number(expired.numUpdatedRows) !== 1) continue;
    if (pending + available > 0) {
      await addLedgerEntry(trx, {
        memberId: lot.member_id,
        sourceKey: `expire:${lot.id}`,
        kind: 'expire',
        points: -available,
        pendingPoints: -pending,
        lotId: lot.id,
        orderId: lot.order_id,
      });
      await appendEvent(
        trx,
        newEvent(PointsExpired, {
          stream: `loyalty:${lot.member_id}`,
          payload: { memberId: lot.member_id, lotId: lot.id, points: pending + available },
        }),
      );
    }
    return pending + available;
  }
  throw new Error(`Lot ${lotId} kept changing while it expired; the job will retry`);
}
