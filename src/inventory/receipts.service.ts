// Receipts of units customers bring back (after-sales), at whichever location receives them.

import { appendEvents, nowIso, type Trx } from '../platform/index.js';
import {
  ensureLevels,
  levelChangedEvents,
  recordMovements,
  type StockLevel,
  toStockLevel,
} from './inventory.rows.js';

export interface ReturnReceipt {
  sku: string;
  location: string;
  quantity: number;
  condition: 'resellable' | 'damaged';
  /** The return (after-sales) that brought the units. */
  source: string;
  actor: string | null;
}

/**
 * Units a customer brought back, at whichever location received them. Resellable units go back on hand (ledger
 * `return`); damaged ones come in and are written off at once (ledger `return` then `damage`) into quarantine,
 * so they are accounted for but never sold.
 */
export async function receiveReturn(trx: Trx, input: ReturnReceipt): Promise<StockLevel> {
  await ensureLevels(trx, [input]);
  const now = nowIso();
  const q = input.quantity;
  const row = await trx
    .updateTable('stock_levels')
    .set((eb) =>
      input.condition === 'resellable'
        ? { on_hand: eb('on_hand', '+', q), updated_at: now }
        : { quarantined: eb('quarantined', '+', q), updated_at: now },
    )
    .where('sku', '=', input.sku)
    .where('location', '=', input.location)
    .returningAll()
    .executeTakeFirstOrThrow();
  const level = toStockLevel(row);
  const source = { sourceType: 'return', sourceId: input.source, actor: input.actor };
  await recordMovements(
    trx,
    input.condition === 'resellable'
      ? [
          {
            sku: input.sku,
            location: input.location,
            delta: q,
            onHandAfter: level.onHand,
            reason: 'return',
            ...source,
          },
        ]
      : [
          {
            sku: input.sku,
            location: input.location,
            delta: q,
            onHandAfter: level.onHand + q,
            reason: 'return',
            ...source,
          },
          {
            sku: input.sku,
            location: input.location,
            delta: -q,
            onHandAfter: level.onHand,
            reason: 'damage',
            note: 'quarantined',
            ...source,
          },
        ],
  );
  await appendEvents(trx, levelChangedEvents([level]));
  return level;
}
