import type { Kysely, Selectable } from 'kysely';
import { resolveMemberId } from '../members/index.js';
import {
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newId,
  nowIso,
  scheduleJobs,
  type Trx,
} from '../platform/index.js';
import { LoyaltyErrors } from './loyalty.errors.js';
import {
  expiryFor,
  planSettlement,
  planSpend,
  pointsForLine,
  pointsValue,
  reversalFor,
  spendOrder,
} from './loyalty.rules.js';
import type {
  LedgerKind,
  LotKind,
  LotStatus,
  LoyaltyPointsLedgerTable,
  LoyaltyPointsLotsTable,
} from './loyalty.schema.js';
import { getRules, listTiers, tierOf, upgradeIfQualified } from './loyalty.service.js';

export const MATURE_JOB = 'loyalty.points.mature';
export const EXPIRE_JOB = 'loyalty.points.expire';

// A conditional update lost to a concurrent change (a spend, a return) is retried from a fresh read this often.
const ATTEMPTS = 8;

// ---------------------------------------------------------------------------------------------------------------
// The ledger

interface LedgerEntry {
  memberId: string;
  sourceKey: string;
  kind: LedgerKind;
  points?: number;
  pendingPoints?: number;
  lotId?: string | null;
  orderId?: string | null;
  reference?: string | null;
}

/**
 * Writes one ledger entry unless its source already wrote one (the unique source key decides, also between
 * concurrent transactions). Returns whether it was written: callers apply the entry's effects only then.
 */
async function addLedgerEntry(trx: Trx, entry: LedgerEntry): Promise<boolean> {
  const result = await trx
    .insertInto('loyalty_points_ledger')
    .values({
      id: newId('ple'),
      member_id: entry.memberId,
      source_key: entry.sourceKey,
      kind: entry.kind,
      points: entry.points ?? 0,
      pending_points: entry.pendingPoints ?? 0,
      lot_id: entry.lotId ?? null,
      order_id: entry.orderId ?? null,
      reference: entry.reference ?? null,
      created_at: nowIso(),
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

async function ledgerExists(trx: Trx, sourceKey: string): Promise<boolean> {
  const row = await trx
    .selectFrom('loyalty_points_ledger')
    .select('id')
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** Available and pending points: the sums of the ledger, by definition. */
export async function balanceOf(
  db: Kysely<DB>,
  memberId: string,
): Promise<{ available: number; pending: number }> {
  const row = await db
    .selectFrom('loyalty_points_ledger')
    .select((eb) => [
      eb.fn.sum<number>('points').as('available'),
      eb.fn.sum<number>('pending_points').as('pending'),
    ])
    .where('member_id', '=', memberId)
    .executeTakeFirst();
  return { available: Number(row?.available ?? 0), pending: Number(row?.pending ?? 0) };
}

// ---------------------------------------------------------------------------------------------------------------
// Earning

export interface CompletedOrderLine {
  lineNo: number;
  sku: string;
  category: string;
  quantity: number;
  unitPrice: number;
  discountAmount: number;
  pointsAmount: number;
  paidAmount: number;
}

export interface CompletedOrder {
  orderId: string;
  channel: string;
  storeCode: string | null;
  memberId: string | null;
  completedAt: string;
  lines: CompletedOrderLine[];
  paidAmount: number;
}

/**
 * Points for a completed order of any channel: one pending lot per order line (unique by order line, so the event
 * delivered twice earns once), maturing when the return window closes and expiring at the configured date, both
 * durable jobs. The order's money counts towards the tier at once.
 */
export async function earnForOrder(trx: Trx, order: CompletedOrder): Promise<number> {
  if (order.memberId === null) return 0;
  const memberId = await resolveMemberId(trx, order.memberId);
  if (memberId === null) return 0;
  // Points earn on what was paid in money: the part paid with points earns nothing.
  const moneyOf = (l: CompletedOrderLine) => Math.max(0, l.paidAmount - l.pointsAmount);
  const spend = await trx
    .insertInto('loyalty_spend')
    .values({
      id: newId('lsp'),
      member_id: memberId,
      source_key: `order:${order.orderId}`,
      order_id: order.orderId,
      amount: order.lines.reduce((s, l) => s + moneyOf(l), 0),
      occurred_at: order.completedAt,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .executeTakeFirst();
  if (Number(spend.numInsertedOrUpdatedRows ?? 0n) !== 1) return 0;

  const [rules, tiers] = await Promise.all([getRules(trx), listTiers(trx)]);
  const { tier } = await tierOf(trx, memberId, tiers);
  const completed = new Date(order.completedAt);
  const availableAt = new Date(completed.getTime() + rules.returnWindowSeconds * 1000).toISOString();
  const expiresAt = expiryFor(rules, completed).toISOString();
  const lots = order.lines
    .map((line) => ({
      line,
      points: pointsForLine(
        rules,
        { channel: order.channel, category: line.category, moneyPaid: moneyOf(line) },
        order.completedAt,
        tier.multiplier,
      ),
    }))
    .filter((l) => l.points > 0)
    .map(({ line, points }) => ({
      id: newId('lot'),
      member_id: memberId,
      source_key: `earn:${order.orderId}:${line.lineNo}`,
      kind: 'earn' as const,
      order_id: order.orderId,
      line_no: line.lineNo,
      sku: line.sku,
      quantity: line.quantity,
      paid_amount: moneyOf(line),
      points,
      reversed_points: 0,
      reversed_quantity: 0,
      remaining: 0,
      expired_points: 0,
      status: 'pending' as const,
      earned_at: order.completedAt,
      available_at: availableAt,
      expires_at: expiresAt,
    }));
  let total = 0;
  if (lots.length > 0) {
    const inserted = await trx
      .insertInto('loyalty_points_lots')
      .values(lots)
      .onConflict((oc) => oc.column('source_key').doNothing())
      .returning(['id', 'source_key', 'points'])
      .execute();
    const now = nowIso();
    if (inserted.length > 0) {
      await trx
        .insertInto('loyalty_points_ledger')
        .values(
          inserted.map((lot) => ({
            id: newId('ple'),
            member_id: memberId,
            source_key: lot.source_key,
            kind: 'earn' as const,
            points: 0,
            pending_points: Number(lot.points),
            lot_id: lot.id,
            order_id: order.orderId,
            reference: null,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.column('source_key').doNothing())
        .execute();
      total = inserted.reduce((s, l) => s + Number(l.points), 0);
      await scheduleJobs(trx, [
        {
          kind: MATURE_JOB,
          runAt: availableAt,
          payload: { orderId: order.orderId },
          key: `${MATURE_JOB}:${order.orderId}`,
        },
        ...inserted.map((lot) => ({
          kind: EXPIRE_JOB,
          runAt: expiresAt,
          payload: { lotId: lot.id },
          key: `${EXPIRE_JOB}:${lot.id}`,
        })),
      ]);
    }
  }
  await upgradeIfQualified(trx, memberId, tiers, tier);
  if (total > 0) {
    await appendEvent(trx, {
      type: 'loyalty.points_earned',
      stream: `loyalty:${memberId}`,
      location: order.storeCode,
      payload: {
        memberId,
        orderId: order.orderId,
        channel: order.channel,
        points: total,
        availableAt,
        expiresAt,
      },
    });
  }
  return total;
}

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
    await appendEvent(trx, {
      type: 'loyalty.points_matured',
      stream: `loyalty:${memberId}`,
      payload: { memberId, orderId, points: total },
    });
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
      await appendEvent(trx, {
        type: 'loyalty.points_expired',
        stream: `loyalty:${lot.member_id}`,
        payload: { memberId: lot.member_id, lotId: lot.id, points: pending + available },
      });
    }
    return pending + available;
  }
  throw new Error(`Lot ${lotId} kept changing while it expired; the job will retry`);
}

// ---------------------------------------------------------------------------------------------------------------
// Debts

/**
 * Pays debts (negative lots a return left behind) from the member's spendable lots. The sum of the lots stays
 * the same, so the ledger has nothing to record; only which lot holds the points changes.
 */
export async function settleDebts(trx: Trx, memberId: string): Promise<void> {
  const lots = await trx
    .selectFrom('loyalty_points_lots')
    .select(['id', 'remaining', 'expires_at', 'earned_at'])
    .where('member_id', '=', memberId)
    .where('status', '=', 'available')
    .where('remaining', '!=', 0)
    .execute();
  if (!lots.some((l) => Number(l.remaining) < 0)) return;
  const moves = planSettlement(
    lots.map((l) => ({
      id: l.id,
      remaining: Number(l.remaining),
      expiresAt: l.expires_at,
      earnedAt: l.earned_at,
    })),
  );
  for (const move of moves) {
    const taken = await trx
      .updateTable('loyalty_points_lots')
      .set((eb) => ({ remaining: eb('remaining', '-', move.points) }))
      .where('id', '=', move.from)
      .where('remaining', '>=', move.points)
      .executeTakeFirst();
    // Someone spent from this lot meanwhile; the next settlement picks the debt up again.
    if (Number(taken.numUpdatedRows) !== 1) return;
    await trx
      .updateTable('loyalty_points_lots')
      .set((eb) => ({ remaining: eb('remaining', '+', move.points) }))
      .where('id', '=', move.to)
      .execute();
  }
  await trx
    .updateTable('loyalty_points_lots')
    .set({ status: 'settled' })
    .where('member_id', '=', memberId)
    .where('kind', '=', 'debt')
    .where('status', '=', 'available')
    .where('remaining', '=', 0)
    .execute();
}

// ---------------------------------------------------------------------------------------------------------------
// Spending

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
  await appendEvent(trx, {
    type: 'loyalty.points_redeemed',
    stream: `loyalty:${memberId}`,
    payload: { memberId, orderId: input.orderId, points: value.points, amount: value.amount },
  });
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
  await appendEvent(trx, {
    type: 'loyalty.points_exchanged',
    stream: `loyalty:${memberId}`,
    payload: { memberId, points, coupon: couponCode },
  });
}

/**
 * Gives spent points back to the lots they came from, newest allocation first, up to `points`. Points whose lot
 * has expired meanwhile come back and expire at once (a refund does not extend a lot's life); both show in the
 * ledger.
 */
async function givePointsBack(
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
  await appendEvent(trx, {
    type: 'loyalty.points_restored',
    stream: `loyalty:${input.memberId}`,
    payload: { memberId: input.memberId, orderId: input.orderId, points: restored, expired },
  });
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

// The ledger entry moves with merges, so it knows who holds the points now.
async function memberOfSpend(trx: Trx, spendKey: string, fallback: string): Promise<string> {
  const row = await trx
    .selectFrom('loyalty_points_ledger')
    .select('member_id')
    .where('source_key', '=', spendKey)
    .executeTakeFirst();
  return row?.member_id ?? fallback;
}

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
    await appendEvent(trx, {
      type: 'loyalty.points_reversed',
      stream: `loyalty:${memberId}`,
      payload: { memberId, orderId: input.orderId, returnId: input.returnId, points: reversedTotal },
    });
  }
  return { pointsReversed: reversedTotal, pointsRestored: restored };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export interface PointsLot {
  id: string;
  kind: LotKind;
  status: LotStatus;
  orderId: string | null;
  lineNo: number | null;
  sku: string | null;
  points: number;
  reversedPoints: number;
  /** Spendable now (negative: owed). */
  remaining: number;
  /** Waiting for the return window. */
  pending: number;
  expiredPoints: number;
  earnedAt: string;
  availableAt: string;
  expiresAt: string | null;
}

export interface LedgerEntryView {
  id: string;
  kind: LedgerKind;
  points: number;
  pendingPoints: number;
  lotId: string | null;
  orderId: string | null;
  reference: string | null;
  source: string;
  createdAt: string;
}

function toLot(row: Selectable<LoyaltyPointsLotsTable>): PointsLot {
  const pending = row.status === 'pending' ? Number(row.points) - Number(row.reversed_points) : 0;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    orderId: row.order_id,
    lineNo: row.line_no === null ? null : Number(row.line_no),
    sku: row.sku,
    points: Number(row.points),
    reversedPoints: Number(row.reversed_points),
    remaining: Number(row.remaining),
    pending,
    expiredPoints: Number(row.expired_points),
    earnedAt: row.earned_at,
    availableAt: row.available_at,
    expiresAt: row.expires_at,
  };
}

function toLedgerEntry(row: Selectable<LoyaltyPointsLedgerTable>): LedgerEntryView {
  return {
    id: row.id,
    kind: row.kind,
    points: Number(row.points),
    pendingPoints: Number(row.pending_points),
    lotId: row.lot_id,
    orderId: row.order_id,
    reference: row.reference,
    source: row.source_key,
    createdAt: row.created_at,
  };
}

/** Lots that still hold or owe points, in the order they will be spent. */
export async function openLots(db: Kysely<DB>, memberId: string): Promise<PointsLot[]> {
  const rows = await db
    .selectFrom('loyalty_points_lots')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('status', 'in', ['pending', 'available'])
    .execute();
  const lots = rows.map(toLot).filter((l) => l.remaining !== 0 || l.pending !== 0);
  return spendOrder(lots.map((l) => ({ ...l, earnedAt: l.earnedAt })));
}

/** `GET /v1/members/{id}/points`: balances, open lots, and the ledger newest first (paged by `cursor`). */
export async function pointsOf(
  db: Kysely<DB>,
  memberId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{
  memberId: string;
  available: number;
  pending: number;
  lots: PointsLot[];
  ledger: LedgerEntryView[];
  nextCursor: string | null;
}> {
  let query = db
    .selectFrom('loyalty_points_ledger')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1);
  const after = decodeCursor(page.cursor, ['string', 'string']);
  if (after) {
    const [at, id] = after;
    query = query.where((eb) =>
      eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
    );
  }
  const rows = await query.execute();
  const more = rows.length > page.limit;
  const ledger = rows.slice(0, page.limit).map(toLedgerEntry);
  const last = ledger[ledger.length - 1];
  const [balance, lots] = await Promise.all([balanceOf(db, memberId), openLots(db, memberId)]);
  return {
    memberId,
    ...balance,
    lots,
    ledger,
    nextCursor: more && last ? encodeCursor([last.createdAt, last.id]) : null,
  };
}

/**
 * An opening balance carried over from a previous loyalty system (the brand's old CRM), with the qualifying spend
 * it recorded: spendable at once, expiring under today's rules. Once per member (`opening:<memberId>`).
 */
export async function grantOpeningBalance(
  trx: Trx,
  input: { memberId: string; points: number; qualifyingSpend: number; reference: string },
): Promise<boolean> {
  const sourceKey = `opening:${input.memberId}`;
  const lotId = newId('lot');
  if (
    !(await addLedgerEntry(trx, {
      memberId: input.memberId,
      sourceKey,
      kind: 'adjust',
      points: input.points,
      lotId,
      reference: input.reference,
    }))
  ) {
    return false;
  }
  const rules = await getRules(trx);
  const now = new Date();
  const expiresAt = expiryFor(rules, now).toISOString();
  await trx
    .insertInto('loyalty_points_lots')
    .values({
      id: lotId,
      member_id: input.memberId,
      source_key: sourceKey,
      kind: 'earn',
      order_id: null,
      line_no: null,
      sku: null,
      quantity: 0,
      paid_amount: 0,
      points: input.points,
      reversed_points: 0,
      reversed_quantity: 0,
      remaining: input.points,
      expired_points: 0,
      status: 'available',
      earned_at: now.toISOString(),
      available_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  await scheduleJobs(trx, [
    { kind: EXPIRE_JOB, runAt: expiresAt, payload: { lotId }, key: `${EXPIRE_JOB}:${lotId}` },
  ]);
  if (input.qualifyingSpend > 0) {
    await trx
      .insertInto('loyalty_spend')
      .values({
        id: newId('lsp'),
        member_id: input.memberId,
        source_key: sourceKey,
        order_id: input.reference,
        amount: input.qualifyingSpend,
        occurred_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('source_key').doNothing())
      .execute();
    await upgradeIfQualified(trx, input.memberId, await listTiers(trx));
  }
  return true;
}
