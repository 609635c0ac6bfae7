// What every capability of the inventory hub shares: a level as the domain sees it (its one row mapper), the
// event that carries a level's new state, the level rows' writes every change goes through — making sure a row
// exists, locking rows in lock order, the movement ledger — and the refusal when a level cannot give a quantity.

import type { Selectable } from 'kysely';
import { CatalogErrors } from '../catalog/index.js';
import { LocationErrors } from '../locations/index.js';
import { type Engine, insertRows, type NewEvent, newEvent, nowIso, type Trx } from '../platform/index.js';
import type { StockLevel } from './inventory.contract.js';
import { InventoryErrors } from './inventory.errors.js';
import { LevelChanged } from './inventory.events.js';
import { availableOf, type MovementReason, type StockLine } from './inventory.rules.js';
import type { StockLevelsTable } from './inventory.schema.js';

export function toStockLevel(row: Selectable<StockLevelsTable>): StockLevel {
  const level: StockLevel = {
    sku: row.sku,
    location: row.location,
    onHand: Number(row.on_hand),
    reserved: Number(row.reserved),
    safetyStock: Number(row.safety_stock),
    inTransit: Number(row.in_transit),
    quarantined: Number(row.quarantined ?? 0),
    available: 0,
    updatedAt: row.updated_at,
  };
  level.available = availableOf(level);
  return level;
}

/** `inventory.level_changed` for each level's new state: the event carries the state, so a reader never adds up deltas. */
export function levelChangedEvents(levels: readonly StockLevel[]): NewEvent[] {
  const occurredAt = nowIso();
  return levels.map((level) =>
    newEvent(LevelChanged, {
      stream: `inventory:${level.sku}:${level.location}`,
      location: level.location,
      payload: {
        sku: level.sku,
        location: level.location,
        onHand: level.onHand,
        reserved: level.reserved,
        safetyStock: level.safetyStock,
        inTransit: level.inTransit,
        quarantined: level.quarantined,
        available: level.available,
        occurredAt,
      },
    }),
  );
}

export interface Movement {
  sku: string;
  location: string;
  delta: number;
  onHandAfter: number;
  reason: MovementReason;
  sourceType: string;
  sourceId: string | null;
  note?: string | null;
  actor: string | null;
}

export async function recordMovements(trx: Trx, movements: readonly Movement[]): Promise<void> {
  const real = movements.filter((m) => m.delta !== 0);
  if (real.length === 0) return;
  const occurredAt = nowIso();
  await insertRows(
    trx,
    'stock_movements',
    real.map((m) => ({
      sku: m.sku,
      location: m.location,
      delta: m.delta,
      on_hand_after: m.onHandAfter,
      reason: m.reason,
      source_type: m.sourceType,
      source_id: m.sourceId,
      note: m.note ?? null,
      actor: m.actor,
      occurred_at: occurredAt,
    })),
  );
}

/**
 * Makes sure the (sku, location) rows exist, so that later updates can be conditional updates. A level is a SKU
 * at a location: both must exist (a typo in a count or a transfer is a 404, never a new shelf).
 */
export async function ensureLevels(
  trx: Trx,
  keys: readonly { sku: string; location: string }[],
): Promise<void> {
  if (keys.length === 0) return;
  await assertStockable(trx, keys);
  const now = nowIso();
  // Several statements for a large batch: each stays under the engines' bind limits.
  for (let start = 0; start < keys.length; start += LEVELS_PER_INSERT) {
    await trx
      .insertInto('stock_levels')
      .values(
        keys.slice(start, start + LEVELS_PER_INSERT).map((k) => ({
          sku: k.sku,
          location: k.location,
          on_hand: 0,
          reserved: 0,
          safety_stock: 0,
          in_transit: 0,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['sku', 'location']).doNothing())
      .execute();
  }
}

const LEVELS_PER_INSERT = 2_000;

/** Refuses keys whose SKU is not in the catalog (404 CATALOG.SKU_NOT_FOUND) or whose location does not exist. */
export async function assertStockable(
  trx: Trx,
  keys: readonly { sku: string; location: string }[],
): Promise<void> {
  const skus = [...new Set(keys.map((k) => k.sku))];
  const locations = [...new Set(keys.map((k) => k.location))];
  const knownSkus = new Set(
    (await trx.selectFrom('skus').select('code').where('code', 'in', skus).execute()).map((r) => r.code),
  );
  const sku = skus.find((code) => !knownSkus.has(code));
  if (sku !== undefined)
    throw CatalogErrors.skuNotFound(`No SKU ${sku} in the catalog`, {
      errors: [{ path: 'sku', message: `${sku} is not a SKU of the catalog` }],
    });
  const knownLocations = new Set(
    (await trx.selectFrom('locations').select('code').where('code', 'in', locations).execute()).map(
      (r) => r.code,
    ),
  );
  const location = locations.find((code) => !knownLocations.has(code));
  if (location !== undefined)
    throw LocationErrors.notFound(`No location ${location}`, {
      errors: [{ path: 'location', message: `${location} is not a store or warehouse` }],
    });
}

/** Reads levels in lock order; on PostgreSQL the rows stay locked until the transaction ends. */
export async function lockLevels(
  trx: Trx,
  engine: Engine,
  keys: readonly { sku: string; location: string }[],
): Promise<Map<string, StockLevel>> {
  const levels = new Map<string, StockLevel>();
  if (keys.length === 0) return levels;
  let query = trx
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
    .orderBy('location');
  if (engine === 'postgres') query = query.forUpdate();
  for (const row of await query.execute()) levels.set(`${row.sku}\u0000${row.location}`, toStockLevel(row));
  return levels;
}

export function insufficient(line: StockLine, available: number | undefined): Error {
  return InventoryErrors.insufficientStock(
    `Only ${available ?? 0} of ${line.sku} available at ${line.location}; ${line.quantity} requested`,
    {
      extra: { sku: line.sku, location: line.location, requested: line.quantity, available: available ?? 0 },
    },
  );
}

export type { StockLevel };
