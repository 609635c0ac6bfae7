import type { Kysely, Selectable } from 'kysely';
import { type DB, decodeCursor, encodeCursor, newId, nowIso, type Trx } from '../platform/index.js';
import type { PointsLot } from './loyalty.contract.js';
import { planSettlement, spendOrder } from './loyalty.rules.js';
import type { LedgerKind, LoyaltyPointsLedgerTable, LoyaltyPointsLotsTable } from './loyalty.schema.js';

// A conditional update lost to a concurrent change (a spend, a return) is retried from a fresh read this often.
export const ATTEMPTS = 8;

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
export async function addLedgerEntry(trx: Trx, entry: LedgerEntry): Promise<boolean> {
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

export async function ledgerExists(trx: Trx, sourceKey: string): Promise<boolean> {
  const row = await trx
    .selectFrom('loyalty_points_ledger')
    .select('id')
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
  return row !== undefined;
}

// The ledger entry moves with merges, so it knows who holds the points now.
export async function memberOfSpend(trx: Trx, spendKey: string, fallback: string): Promise<string> {
  const row = await trx
    .selectFrom('loyalty_points_ledger')
    .select('member_id')
    .where('source_key', '=', spendKey)
    .executeTakeFirst();
  return row?.member_id ?? fallback;
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
// Reading

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

export type { PointsLot };
