// Levels and the movement ledger: reading levels (one, a page, what sourcing plans over), counts, batches of
// adjustments, and the ledger of one level.

import { type Kysely, sql } from 'kysely';
import {
  appendEvents,
  type DB,
  decodeCursor,
  type Engine,
  encodeCursor,
  nowIso,
  runPrepared,
  type Trx,
} from '../platform/index.js';
import type {
  Adjustment,
  LevelQuery as LevelFilter,
  Movement as MovementView,
} from './inventory.contract.js';
import { InventoryErrors } from './inventory.errors.js';
import {
  ensureLevels,
  levelChangedEvents,
  lockLevels,
  type Movement,
  recordMovements,
  type StockLevel,
  toStockLevel,
} from './inventory.rows.js';
import {
  compareLevels,
  type LevelQuantities,
  type MovementReason,
  normaliseLines,
} from './inventory.rules.js';

export async function getLevel(
  db: Kysely<DB>,
  sku: string,
  location: string,
): Promise<StockLevel | undefined> {
  const row = await db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .where('location', '=', location)
    .executeTakeFirst();
  return row ? toStockLevel(row) : undefined;
}

/** Levels by location then SKU, for a store's stock list and stock alerts; the cursor holds the last row's location and SKU. */
export async function listLevels(
  db: Kysely<DB>,
  filter: LevelFilter,
): Promise<{ items: StockLevel[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('stock_levels')
    .selectAll()
    .orderBy('location')
    .orderBy('sku')
    .limit(filter.limit + 1);
  if (filter.location !== undefined) query = query.where('location', '=', filter.location);
  if (filter.sku !== undefined) query = query.where('sku', '=', filter.sku);
  if (filter.availableAtMost !== undefined) {
    query = query.where(sql<number>`on_hand - reserved - safety_stock`, '<=', filter.availableAtMost);
  }
  const after = decodeCursor(filter.cursor, ['string', 'string']);
  if (after) {
    const [location, sku] = after;
    query = query.where((eb) =>
      eb.or([eb('location', '>', location), eb.and([eb('location', '=', location), eb('sku', '>', sku)])]),
    );
  }
  const rows = await query.execute();
  const items = rows.slice(0, filter.limit).map(toStockLevel);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > filter.limit && last ? encodeCursor([last.location, last.sku]) : null,
  };
}

/** What sourcing reads of a level: enough to tell what a location can give, nothing more (every order reads it). */
export interface SourcingLevel extends LevelQuantities {
  sku: string;
  location: string;
}

/** The levels of these SKUs at every location that has a row for them. */
export async function levelsForSkus(db: Kysely<DB>, skus: readonly string[]): Promise<SourcingLevel[]> {
  if (skus.length === 0) return [];
  const parameters = [...skus];
  const { rows } = await runPrepared(db, `inventory.levelsForSkus x${parameters.length}`, parameters, () =>
    db
      .selectFrom('stock_levels')
      .select(['sku', 'location', 'on_hand', 'reserved', 'safety_stock'])
      .where('sku', 'in', parameters),
  );
  return rows.map((row) => ({
    sku: row.sku,
    location: row.location,
    onHand: Number(row.on_hand),
    reserved: Number(row.reserved),
    safetyStock: Number(row.safety_stock),
  }));
}

export interface CountInput {
  sku: string;
  location: string;
  onHand: number;
  safetyStock?: number | undefined;
  reason?: MovementReason | undefined;
  actor: string | null;
}

/** A count (盘点): sets on hand to what was counted; the ledger records the difference. */
export async function countLevel(trx: Trx, engine: Engine, input: CountInput): Promise<StockLevel> {
  const reason = input.reason ?? 'count';
  if (reason === 'transfer_in' || reason === 'transfer_out') {
    throw InventoryErrors.invalidReason(
      `A count cannot be recorded as ${reason}: transfers move stock through /v1/transfers`,
    );
  }
  await ensureLevels(trx, [input]);
  const current = (await lockLevels(trx, engine, [input])).values().next().value as StockLevel;
  if (input.onHand < current.reserved) {
    throw InventoryErrors.negativeStock(
      `${input.sku} at ${input.location}: counted ${input.onHand} but ${current.reserved} are reserved — release or re-source those reservations first`,
    );
  }
  const row = await trx
    .updateTable('stock_levels')
    .set({
      on_hand: input.onHand,
      safety_stock: input.safetyStock ?? current.safetyStock,
      updated_at: nowIso(),
    })
    .where('sku', '=', input.sku)
    .where('location', '=', input.location)
    .where('reserved', '<=', input.onHand)
    .returningAll()
    .executeTakeFirst();
  if (!row)
    throw InventoryErrors.negativeStock(
      `${input.sku} at ${input.location}: on hand cannot go below what is reserved`,
    );
  const level = toStockLevel(row);
  await recordMovements(trx, [
    {
      sku: input.sku,
      location: input.location,
      delta: level.onHand - current.onHand,
      onHandAfter: level.onHand,
      reason,
      sourceType: 'count',
      sourceId: null,
      actor: input.actor,
    },
  ]);
  await appendEvents(trx, levelChangedEvents([level]));
  return level;
}

/**
 * A batch of adjustments from the ERP, RFID or a POS sync: all or nothing. With a `batchId` the batch is applied
 * once; sending it again returns the current levels without applying it twice.
 */
export async function adjustStock(
  trx: Trx,
  input: {
    adjustments: Adjustment[];
    batchId?: string | undefined;
    requestHash: string;
    actor: string | null;
  },
): Promise<{ levels: StockLevel[]; replayed: boolean }> {
  const keys = normaliseLines(
    input.adjustments.map((a) => ({ sku: a.sku, location: a.location, quantity: 0 })),
  );
  if (input.batchId !== undefined) {
    const inserted = await trx
      .insertInto('stock_adjustment_batches')
      .values({ batch_id: input.batchId, request_hash: input.requestHash, created_at: nowIso() })
      .onConflict((oc) => oc.column('batch_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const batch = await trx
        .selectFrom('stock_adjustment_batches')
        .selectAll()
        .where('batch_id', '=', input.batchId)
        .executeTakeFirstOrThrow();
      if (batch.request_hash !== input.requestHash) {
        throw InventoryErrors.batchReused(
          `Batch ${input.batchId} was already applied with different adjustments`,
        );
      }
      const rows = await trx
        .selectFrom('stock_levels')
        .selectAll()
        .where((eb) =>
          eb(
            eb.refTuple('sku', 'location'),
            'in',
            keys.map((k) => eb.tuple(k.sku, k.location)),
          ),
        )
        .orderBy('sku')
        .orderBy('location')
        .execute();
      return { levels: rows.map(toStockLevel), replayed: true };
    }
  }
  await ensureLevels(trx, keys);
  // Applied in lock order (a stable sort keeps same-row adjustments in the order they were sent).
  const ordered = [...input.adjustments].sort(compareLevels);
  const final = new Map<string, StockLevel>();
  const movements: Movement[] = [];
  for (const adjustment of ordered) {
    const row = await trx
      .updateTable('stock_levels')
      .set((eb) => ({ on_hand: eb('on_hand', '+', adjustment.delta), updated_at: nowIso() }))
      .where('sku', '=', adjustment.sku)
      .where('location', '=', adjustment.location)
      .where(sql<number>`on_hand + ${adjustment.delta}`, '>=', sql<number>`reserved`)
      .returningAll()
      .executeTakeFirst();
    if (!row) {
      throw InventoryErrors.negativeStock(
        `${adjustment.sku} at ${adjustment.location}: ${adjustment.delta} would take on hand below zero or below what is reserved`,
        { extra: { sku: adjustment.sku, location: adjustment.location } },
      );
    }
    const level = toStockLevel(row);
    final.set(`${level.sku}\u0000${level.location}`, level);
    movements.push({
      sku: adjustment.sku,
      location: adjustment.location,
      delta: adjustment.delta,
      onHandAfter: level.onHand,
      reason: adjustment.reason,
      sourceType: 'adjustment',
      sourceId: input.batchId ?? null,
      note: adjustment.note ?? null,
      actor: input.actor,
    });
  }
  await recordMovements(trx, movements);
  const levels = [...final.values()].sort(compareLevels);
  await appendEvents(trx, levelChangedEvents(levels));
  return { levels, replayed: false };
}

/** The ledger of one level, newest first; the cursor holds the last row's id. */
export async function listMovements(
  db: Kysely<DB>,
  sku: string,
  location: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: MovementView[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('stock_movements')
    .selectAll()
    .where('sku', '=', sku)
    .where('location', '=', location)
    .orderBy('seq', 'desc')
    .limit(page.limit + 1);
  const after = decodeCursor(page.cursor, ['number']);
  if (after) query = query.where('seq', '<', after[0]);
  const rows = await query.execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    id: Number(r.seq),
    sku: r.sku,
    location: r.location,
    delta: Number(r.delta),
    onHandAfter: Number(r.on_hand_after),
    reason: r.reason,
    source: { type: r.source_type, id: r.source_id },
    note: r.note,
    actor: r.actor,
    occurredAt: r.occurred_at,
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > page.limit && last ? encodeCursor([last.id]) : null };
}

export type { Adjustment, LevelFilter, MovementView };
