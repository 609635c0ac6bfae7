import { resolveMemberId } from '../members/index.js';
import { appendEvent, newEvent, newId, nowIso, scheduleJobs, type Trx } from '../platform/index.js';
import { PointsEarned } from './loyalty.events.js';
import { expiryFor, pointsForLine } from './loyalty.rules.js';
import { getRules, listTiers, tierOf, upgradeIfQualified } from './loyalty.service.js';
import { addLedgerEntry } from './points.service.js';
import { EXPIRE_JOB, MATURE_JOB } from './points-maturing.service.js';

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
    await appendEvent(
      trx,
      newEvent(PointsEarned, {
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
      }),
    );
  }
  return total;
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
