// Transfers (调拨) between two locations: asked of another store (accepted or declined by it), requested,
// shipped, received or cancelled.

import { type Kysely, type Selectable, sql } from 'kysely';
import {
  appendEvents,
  type DB,
  type Engine,
  type NewEvent,
  newEvent,
  newId,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { Transfer } from './inventory.contract.js';
import { TransferErrors } from './inventory.errors.js';
import {
  TransferAsked,
  TransferCancelled,
  TransferDeclined,
  TransferReceived,
  TransferRequested,
  TransferShipped,
} from './inventory.events.js';
import {
  assertStockable,
  ensureLevels,
  insufficient,
  levelChangedEvents,
  lockLevels,
  type Movement,
  recordMovements,
  type StockLevel,
  toStockLevel,
} from './inventory.rows.js';
import {
  compareLevels,
  nextTransferStatus,
  normaliseLines,
  type TransferMove,
  transferHoldsStock,
} from './inventory.rules.js';
import type { TransferStatus, TransfersTable } from './inventory.schema.js';
import { getLevel } from './levels.service.js';

function toTransfer(row: Selectable<TransfersTable>): Transfer {
  return {
    id: row.id,
    sku: row.sku,
    from: row.from_location,
    to: row.to_location,
    quantity: Number(row.quantity),
    status: row.status,
    reference: row.reference,
    createdAt: row.created_at,
    shippedAt: row.shipped_at,
    receivedAt: row.received_at,
  };
}

/** The event of a transfer's new status (in transit: shipped). */
const TRANSFER_STEPS = {
  awaiting_source: TransferAsked,
  requested: TransferRequested,
  in_transit: TransferShipped,
  received: TransferReceived,
  cancelled: TransferCancelled,
  declined: TransferDeclined,
} as const;

function transferEvent(transfer: Transfer): NewEvent {
  return newEvent(TRANSFER_STEPS[transfer.status], {
    stream: `transfer:${transfer.id}`,
    // A request waits on the source store, so its staff see it in their stream; the rest concern the destination.
    location: transfer.status === 'awaiting_source' ? transfer.from : transfer.to,
    payload: transfer,
  });
}

export async function getTransfer(db: Kysely<DB>, id: string): Promise<Transfer> {
  const row = await db.selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw TransferErrors.notFound(`No transfer ${id}`);
  return toTransfer(row);
}

export async function listTransfers(
  db: Kysely<DB>,
  filter: {
    location?: string | undefined;
    status?: TransferStatus | undefined;
    reference?: string | undefined;
    limit: number;
  },
): Promise<Transfer[]> {
  let query = db.selectFrom('transfers').selectAll().orderBy('created_at', 'desc').limit(filter.limit);
  if (filter.location !== undefined) {
    const location = filter.location;
    query = query.where((eb) =>
      eb.or([eb('from_location', '=', location), eb('to_location', '=', location)]),
    );
  }
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.reference !== undefined) query = query.where('reference', '=', filter.reference);
  return (await query.execute()).map(toTransfer);
}

/** The source's units held for a transfer; refused when the source cannot spare them. */
async function reserveAtSource(
  trx: Trx,
  input: { sku: string; from: string; quantity: number },
): Promise<StockLevel> {
  const row = await trx
    .updateTable('stock_levels')
    .set((eb) => ({ reserved: eb('reserved', '+', input.quantity), updated_at: nowIso() }))
    .where('sku', '=', input.sku)
    .where('location', '=', input.from)
    .where(sql<number>`on_hand - reserved - safety_stock`, '>=', input.quantity)
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const level = await getLevel(trx, input.sku, input.from);
    throw insufficient({ sku: input.sku, location: input.from, quantity: input.quantity }, level?.available);
  }
  return toStockLevel(row);
}

/**
 * 调拨: the units are reserved at the source at once (they cannot be sold while waiting for the truck), leave it
 * when shipped (in transit at the destination), and arrive when received. On hand + in transit is conserved.
 * A transfer asked of another store (`startsAs` awaiting_source) reserves nothing until that store accepts it.
 */
export async function requestTransfer(
  trx: Trx,
  input: { sku: string; from: string; to: string; quantity: number; reference?: string | null | undefined },
  startsAs: 'requested' | 'awaiting_source' = 'requested',
): Promise<Transfer> {
  if (input.from === input.to)
    throw TransferErrors.sameLocation(`A transfer from ${input.from} to itself moves nothing`);
  // Both ends must exist before any unit is reserved at the source.
  await assertStockable(trx, [
    { sku: input.sku, location: input.from },
    { sku: input.sku, location: input.to },
  ]);
  const held = startsAs === 'requested' ? [await reserveAtSource(trx, input)] : [];
  const now = nowIso();
  const transfer: Transfer = {
    id: newId('trf'),
    sku: input.sku,
    from: input.from,
    to: input.to,
    quantity: input.quantity,
    status: startsAs,
    reference: input.reference ?? null,
    createdAt: now,
    shippedAt: null,
    receivedAt: null,
  };
  await trx
    .insertInto('transfers')
    .values({
      id: transfer.id,
      sku: transfer.sku,
      from_location: transfer.from,
      to_location: transfer.to,
      quantity: transfer.quantity,
      status: transfer.status,
      reference: transfer.reference,
      created_at: now,
      shipped_at: null,
      received_at: null,
      updated_at: now,
    })
    .execute();
  await appendEvents(trx, [...levelChangedEvents(held), transferEvent(transfer)]);
  return transfer;
}

export async function moveTransfer(
  trx: Trx,
  engine: Engine,
  id: string,
  move: TransferMove,
  actor: string | null,
): Promise<Transfer> {
  const transfer = await getTransfer(trx, id);
  const next = nextTransferStatus(transfer.status, move);
  if (next === undefined) {
    throw TransferErrors.invalidTransition(`Transfer ${id} is ${transfer.status}: it cannot ${move}`, {
      extra: { status: transfer.status },
    });
  }
  const now = nowIso();
  const claimed = await trx
    .updateTable('transfers')
    .set({
      status: next,
      updated_at: now,
      ...(move === 'ship' ? { shipped_at: now } : {}),
      ...(move === 'receive' ? { received_at: now } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', transfer.status)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) {
    throw TransferErrors.invalidTransition(`Transfer ${id} changed meanwhile; read it again`);
  }
  const q = transfer.quantity;
  const changed: StockLevel[] = [];
  const movements: Movement[] = [];
  const source = { sourceType: 'transfer', sourceId: id, actor };
  if (move === 'accept') {
    changed.push(await reserveAtSource(trx, transfer));
  } else if (move === 'decline' || (move === 'cancel' && !transferHoldsStock(transfer.status))) {
    // Nothing was held at the source.
  } else if (move === 'cancel') {
    const row = await trx
      .updateTable('stock_levels')
      .set((eb) => ({ reserved: eb('reserved', '-', q), updated_at: now }))
      .where('sku', '=', transfer.sku)
      .where('location', '=', transfer.from)
      .returningAll()
      .executeTakeFirstOrThrow();
    changed.push(toStockLevel(row));
  } else if (move === 'ship') {
    // Both rows of one SKU, in location order (the lock order).
    await ensureLevels(trx, [{ sku: transfer.sku, location: transfer.to }]);
    await lockLevels(
      trx,
      engine,
      normaliseLines([
        { sku: transfer.sku, location: transfer.from, quantity: 0 },
        { sku: transfer.sku, location: transfer.to, quantity: 0 },
      ]),
    );
    const out = await trx
      .updateTable('stock_levels')
      .set((eb) => ({ on_hand: eb('on_hand', '-', q), reserved: eb('reserved', '-', q), updated_at: now }))
      .where('sku', '=', transfer.sku)
      .where('location', '=', transfer.from)
      .returningAll()
      .executeTakeFirstOrThrow();
    const incoming = await trx
      .updateTable('stock_levels')
      .set((eb) => ({ in_transit: eb('in_transit', '+', q), updated_at: now }))
      .where('sku', '=', transfer.sku)
      .where('location', '=', transfer.to)
      .returningAll()
      .executeTakeFirstOrThrow();
    changed.push(toStockLevel(out), toStockLevel(incoming));
    movements.push({
      sku: transfer.sku,
      location: transfer.from,
      delta: -q,
      onHandAfter: Number(out.on_hand),
      reason: 'transfer_out',
      ...source,
    });
  } else {
    const arrived = await trx
      .updateTable('stock_levels')
      .set((eb) => ({
        in_transit: eb('in_transit', '-', q),
        on_hand: eb('on_hand', '+', q),
        updated_at: now,
      }))
      .where('sku', '=', transfer.sku)
      .where('location', '=', transfer.to)
      .returningAll()
      .executeTakeFirstOrThrow();
    changed.push(toStockLevel(arrived));
    movements.push({
      sku: transfer.sku,
      location: transfer.to,
      delta: q,
      onHandAfter: Number(arrived.on_hand),
      reason: 'transfer_in',
      ...source,
    });
  }
  await recordMovements(trx, movements);
  const moved: Transfer = {
    ...transfer,
    status: next,
    shippedAt: move === 'ship' ? now : transfer.shippedAt,
    receivedAt: move === 'receive' ? now : transfer.receivedAt,
  };
  await appendEvents(trx, [...levelChangedEvents(changed.sort(compareLevels)), transferEvent(moved)]);
  return moved;
}

export type { Transfer };
