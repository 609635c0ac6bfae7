import { createHash } from 'node:crypto';
import { appendEvents, type Database, nowIso } from '../platform/index.js';
import { levelChangedEvents, toStockLevel } from './inventory.rows.js';

/** A stable number in [0, 1) from a text, so that the demo's stock is the same on every machine. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The demo brand's opening stock, received once: warehouses carry every SKU in depth; a store carries about two
 * thirds of the range a few units deep (a lipstick wall is shallow), keeps one unit of safety stock, and has
 * a few SKUs sold out — so that sourcing, transfers and "nearby stores" have something real to decide.
 * Skips levels that exist already.
 */
export async function seedStock(
  database: Database,
  skus: readonly string[],
  locations: readonly { code: string; kind: 'warehouse' | 'store' }[],
): Promise<number> {
  const existing = new Set(
    (await database.db.selectFrom('stock_levels').select(['sku', 'location']).execute()).map(
      (r) => `${r.sku}|${r.location}`,
    ),
  );
  const rows: { sku: string; location: string; on_hand: number; safety_stock: number }[] = [];
  for (const location of locations) {
    for (const sku of skus) {
      if (existing.has(`${sku}|${location.code}`)) continue;
      const h = unitHash(`${sku}@${location.code}`);
      if (location.kind === 'warehouse') {
        rows.push({ sku, location: location.code, on_hand: 150 + Math.floor(h * 650), safety_stock: 10 });
      } else if (h < 0.66) {
        rows.push({
          sku,
          location: location.code,
          // About one level in a hundred sold out: enough to show the alerts, not a wall of them on a fresh demo.
          on_hand: h < 0.012 ? 0 : 2 + Math.floor(h * 17),
          safety_stock: 1,
        });
      }
    }
  }
  const now = nowIso();
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await database.transaction(async (trx) => {
      const inserted = await trx
        .insertInto('stock_levels')
        .values(chunk.map((r) => ({ ...r, reserved: 0, in_transit: 0, updated_at: now })))
        .returningAll()
        .execute();
      const received = chunk.filter((r) => r.on_hand > 0);
      if (received.length > 0) {
        await trx
          .insertInto('stock_movements')
          .values(
            received.map((r) => ({
              sku: r.sku,
              location: r.location,
              delta: r.on_hand,
              on_hand_after: r.on_hand,
              reason: 'receipt',
              source_type: 'seed',
              source_id: 'demo-opening-stock',
              note: null,
              actor: 'seed',
              occurred_at: now,
            })),
          )
          .execute();
      }
      await appendEvents(trx, levelChangedEvents(inserted.map(toStockLevel)));
    });
  }
  return rows.length;
}
