import { resolveMemberId } from '../members/index.js';
import { appendEvent, newEvent, newId, nowIso, type Trx } from '../platform/index.js';
import { LoyaltyErrors } from './loyalty.errors.js';
import { PointsExchanged, PointsRedeemed, PointsRestored } from './loyalty.events.js';
import { planSpend, pointsValue } from './loyalty.rules.js';
import type { LedgerKind } from './loyalty.schema.js';
import { getRules } from './loyalty.service.js';
import {
  ATTEMPTS,
  addLedgerEntry,
  balanceOf,
  ledgerExists,
  memberOfSpend,
  settleDebts,
} from './points.service.js';

/**
 * Spends points from the member's lots, soonest-expiring and oldest first, as one ledger entry unique by
 * `spendKey`. Each lot is taken by a conditional update, so two concurrent spends can never overdraw a lot; the
 * loser re-plans from a fresh read and, if the lots no longer hold enough, is refused.
 */
async function spendPoints(
  trx: Trx,
  input: {
    memberId: string;
    points: number;
    spendKey: string;
    kind: LedgerKind;
    orderId?: string;
    reference?: string;
  },
): Promise<boolean> {
  if (
    !(await addLedgerEntry(trx, {
      memberId: input.memberId,
      sourceKey: input.spendKey,
      kind: input.kind,
      points: -input.points,
      orderId: input.orderId ?? null,
      reference: input.reference ?? null,
    }))
  ) {
    return false;
  }
  await settleDebts(trx, input.memberId);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const lots = await trx
      .selectFrom('loyalty_points_lots')
      .select(['id', 'remaining', 'expires_at', 'earned_at'])
      .where('member_id', '=', input.memberId)
      .where('status', '=', 'available')
      .where('remaining', '>', 0)
      .execute();
    const spendable = lots.map((l) => ({
      id: l.id,
      remaining: Number(l.remaining),
      expiresAt: l.expires_at,
      earnedAt: l.earned_at,
    }));
    const plan = planSpend(spendable, input.points);
    if (!plan) {
      const { available } = await balanceOf(trx, input.memberId);
      throw LoyaltyErrors.insufficientPoints(
        `Member ${input.memberId} has ${available + input.points} points available; ${input.points} asked`,
        { extra: { available: available + input.points, requested: input.points } },
      );
    }
    const done: { lotId: string; points: number }[] = [];
    let lost = false;
    for (const part of plan) {
      const taken = await trx
        .updateTable('loyalty_points_lots')
        .set((eb) => ({ remaining: eb('remaining', '-', part.points) }))
        .where('id', '=', part.lotId)
        .where('status', '=', 'available')
        .where('remaining', '>=', part.points)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) !== 1) {
        lost = true;
        break;
      }
      done.push(part);
    }
    if (lost) {
      for (const part of done) {
        await trx
          .updateTable('loyalty_points_lots')
          .set((eb) => ({ remaining: eb('remaining', '+', part.points) }))
          .where('id', '=', part.lotId)
          .execute();
      }
      continue;
    }
    await trx
      .insertInto('loyalty_points_allocations')
      .values(
        plan.map((part, seq) => ({
          id: newId('pal'),
          spend_key: input.spendKey,
          lot_id: part.lotId,
          points: part.points,
          restored: 0,
          seq,
        })),
      )
      .execute();
    return true;
  }
  throw new Error(`The points of member ${input.memberId} kept changing; retry`);
}

/**
 * Points as part payment of an order, inside the order's transaction: spends the oldest lots first and returns
 * the points taken and their value in fen (`redeemPointsPerYuan` points = ¥1, 100 by default). Asking again for
 * the same order returns the first answer.
 */
export async function redeemPointsForOrder(
  trx: Trx,
  input: { orderId: string; memberId: string; points: number },
): Promise<{ points: number; amount: number }> {
  if (!Number.isInteger(input.points) || input.points <= 0) {
    throw LoyaltyErrors.invalidPoints('pointsToRedeem must be a whole number above 0', {
      errors: [{ path: 'pointsToRedeem', message: 'must be a whole number above 0' }],
    });
  }
  const existing = await trx
    .selectFrom('loyalty_points_redemptions')
    .select(['points', 'amount'])
    .where('order_id', '=', input.orderId)
    .executeTakeFirst();
  if (existing) return { points: Number(existing.points), amount: Number(existing.amount) };
  const memberId = (await resolveMemberId(trx, input.memberId)) ?? input.memberId;
  const rules = await getRules(trx);
  const value = pointsValue(rules, input.points);
  if (value.amount === 0) {
    throw LoyaltyErrors.insufficientPoints(
      `${input.points} points are worth less than 1 fen (${rules.redeemPointsPerYuan} points = ¥1)`,
    );
  }
  await spendPoints(trx, {
    memberId,
    points: value.points,
    spendKey: `redeem:${input.orderId}`,
    kind: 'redeem',
    orderId: input.orderId,
  });
  await trx
    .insertInto('loyalty_points_redemptions')
    .values({
      order_id: input.orderId,
      member_id: memberId,
      points: value.points,
      amount: value.amount,
      restored_points: 0,
      created_at: nowIso(),
    })
    .execute();
  await appendEvent(
    trx,
    newEvent(PointsRedeemed, {
      stream: `loyalty:${memberId}`,
      payload: { memberId, orderId: input.orderId, points: value.points, amount: value.amount },
    }),
  );
  return value;
}

/** Spends points for a coupon taken in exchange (`exchange:<couponCode>`). */
export async function spendPointsForExchange(
  trx: Trx,
  memberId: string,
  points: number,
  couponCode: string,
): Promise<void> {
  await spendPoints(trx, {
    memberId,
    points,
    spendKey: `exchange:${couponCode}`,
    kind: 'exchange',
    reference: couponCode,
  });
  await appendEvent(
    trx,
    newEvent(PointsExchanged, {
      stream: `loyalty:${memberId}`,
      payload: { memberId, points, coupon: couponCode },
    }),
  );
}

/**
 * Gives spent points back to the lots they came from, newest allocation first, up to `points`. Points whose lot
 * has expired meanwhile come back and expire at once (a refund does not extend a lot's life); both show in the
 * ledger.
 */
export async function givePointsBack(
  trx: Trx,
  input: { memberId: string; spendKey: string; points: number; sourceKey: string; orderId: string },
): Promise<number> {
  if (input.points <= 0 || (await ledgerExists(trx, input.sourceKey))) return 0;
  const allocations = await trx
    .selectFrom('loyalty_points_allocations')
    .innerJoin('loyalty_points_lots', 'loyalty_points_lots.id', 'loyalty_points_allocations.lot_id')
    .select([
      'loyalty_points_allocations.id',
      'loyalty_points_allocations.lot_id',
      'loyalty_points_allocations.points',
      'loyalty_points_allocations.restored',
      'loyalty_points_lots.status',
    ])
    .where('loyalty_points_allocations.spend_key', '=', input.spendKey)
    .orderBy('loyalty_points_allocations.seq', 'desc')
    .execute();
  let left = input.points;
  let expired = 0;
  for (const a of allocations) {
    if (left === 0) break;
    const back = Math.min(left, Number(a.points) - Number(a.restored));
    if (back <= 0) continue;
    await trx
      .updateTable('loyalty_points_allocations')
      .set({ restored: Number(a.restored) + back })
      .where('id', '=', a.id)
      .where('restored', '=', a.restored)
      .execute();
    if (a.status === 'expired') {
      await trx
        .updateTable('loyalty_points_lots')
        .set((eb) => ({ expired_points: eb('expired_points', '+', back) }))
        .where('id', '=', a.lot_id)
        .execute();
      expired += back;
    } else {
      await trx
        .updateTable('loyalty_points_lots')
        .set((eb) => ({ remaining: eb('remaining', '+', back) }))
        .where('id', '=', a.lot_id)
        .execute();
    }
    left -= back;
  }
  const restored = input.points - left;
  if (restored === 0) return 0;
  await addLedgerEntry(trx, {
    memberId: input.memberId,
    sourceKey: input.sourceKey,
    kind: 'restore',
    points: restored,
    orderId: input.orderId,
  });
  if (expired > 0) {
    await addLedgerEntry(trx, {
      memberId: input.memberId,
      sourceKey: `${input.sourceKey}:expired`,
      kind: 'expire',
      points: -expired,
      orderId: input.orderId,
    });
  }
  await settleDebts(trx, input.memberId);
  await appendEvent(
    trx,
    newEvent(PointsRestored, {
      stream: `loyalty:${input.memberId}`,
      payload: { memberId: input.memberId, orderId: input.orderId, points: restored, expired },
    }),
  );
  return restored;
}

/** An order was cancelled: the points it was paid with come back (once). */
export async function restorePointsForOrder(trx: Trx, orderId: string): Promise<number> {
  const redemption = await trx
    .selectFrom('loyalty_points_redemptions')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  if (!redemption) return 0;
  const points = Number(redemption.points) - Number(redemption.restored_points);
  const memberId = await memberOfSpend(trx, `redeem:${orderId}`, redemption.member_id);
  const restored = await givePointsBack(trx, {
    memberId,
    spendKey: `redeem:${orderId}`,
    points,
    sourceKey: `restore:${orderId}`,
    orderId,
  });
  await trx
    .updateTable('loyalty_points_redemptions')
    .set({ restored_points: Number(redemption.restored_points) + restored })
    .where('order_id', '=', orderId)
    .execute();
  return restored;
}
