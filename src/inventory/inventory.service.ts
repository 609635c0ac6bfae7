import { type Kysely, type Selectable, sql } from 'kysely';
import { listLocations } from '../locations/index.js';
import {
  appendEvents,
  bringForward,
  type DB,
  decodeCursor,
  distanceKm,
  type Engine,
  earlierOf,
  encodeCursor,
  type GeoPoint,
  insertRows,
  isoAfter,
  type NewEvent,
  newId,
  nowIso,
  runPrepared,
  sweepRound,
  type Trx,
} from '../platform/index.js';
import { InventoryErrors, ReservationErrors, TransferErrors } from './inventory.errors.js';
import {
  type ADJUSTMENT_REASONS,
  availableOf,
  type ChannelPolicy,
  channelAvailable,
  compareLevels,
  defaultChannelPolicy,
  type LevelQuantities,
  type MovementReason,
  nextTransferStatus,
  normaliseLines,
  type StockLine,
  type TransferMove,
} from './inventory.rules.js';
import type {
  ReservationStatus,
  StockLevelsTable,
  TransferStatus,
  TransfersTable,
} from './inventory.schema.js';

// ---------------------------------------------------------------------------------------------------------------
// Levels

export interface StockLevel {
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  inTransit: number;
  quarantined: number;
  available: number;
  updatedAt: string;
}

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
  return levels.map((level) => ({
    type: 'inventory.level_changed',
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
  }));
}

interface Movement {
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

async function recordMovements(trx: Trx, movements: readonly Movement[]): Promise<void> {
  const real = movements.filter((m) => m.delta !== 0);
  if (real.length === 0) return;
  const occurredAt = nowIso();
  await trx
    .insertInto('stock_movements')
    .values(
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
    )
    .execute();
}

/** Makes sure the (sku, location) rows exist, so that later updates can be conditional updates. */
async function ensureLevels(trx: Trx, keys: readonly { sku: string; location: string }[]): Promise<void> {
  if (keys.length === 0) return;
  const now = nowIso();
  await trx
    .insertInto('stock_levels')
    .values(
      keys.map((k) => ({
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

/** Reads levels in lock order; on PostgreSQL the rows stay locked until the transaction ends. */
async function lockLevels(
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

export interface LevelFilter {
  location?: string | undefined;
  sku?: string | undefined;
  /** Only levels whose available is at or below this (stock alerts). */
  availableAtMost?: number | undefined;
  limit: number;
  cursor?: string | undefined;
}

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

/** The levels of some SKUs at every location, in lock order (what sourcing plans over). */
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

export interface SkuStock {
  sku: string;
  /** Across every location, or across the channel's locations when a channel is given. */
  available: number;
  channel: string | null;
  levels: StockLevel[];
}

/** One SKU across every location: what the inventory board and a channel's "in stock?" read. */
export async function getSkuStock(db: Kysely<DB>, sku: string, channel?: string): Promise<SkuStock> {
  const rows = await db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .orderBy('location')
    .execute();
  const levels = rows.map(toStockLevel);
  if (channel === undefined) {
    return { sku, available: levels.reduce((sum, l) => sum + l.available, 0), channel: null, levels };
  }
  const [policy, locations] = await Promise.all([getChannelPolicy(db, channel), listLocations(db)]);
  const kinds = new Map(locations.map((l) => [l.code, l.kind]));
  const available = levels.reduce((sum, l) => sum + channelAvailable(l, kinds.get(l.location), policy), 0);
  return { sku, available, channel, levels };
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

export interface Adjustment {
  sku: string;
  location: string;
  delta: number;
  reason: (typeof ADJUSTMENT_REASONS)[number];
  note?: string | undefined;
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

export interface MovementView {
  id: number;
  sku: string;
  location: string;
  delta: number;
  onHandAfter: number;
  reason: string;
  source: { type: string; id: string | null };
  note: string | null;
  actor: string | null;
  occurredAt: string;
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

// ---------------------------------------------------------------------------------------------------------------
// Reservations

export const DEFAULT_RESERVATION_TTL_S = 15 * 60;
export const RESERVATION_EXPIRE_JOB = 'inventory.reservation.expire';

export interface ReservationRequest {
  lines: StockLine[];
  ttlSeconds?: number | undefined;
  reference?: string | null | undefined;
}

export interface Reservation {
  id: string;
  status: ReservationStatus;
  reference: string | null;
  expiresAt: string;
  createdAt: string;
  endedAt: string | null;
  lines: StockLine[];
}

/** Validates and normalises a reservation request (merged lines, lock order). */
export function prepareReservation(request: ReservationRequest): {
  lines: StockLine[];
  ttlSeconds: number;
  reference: string | null;
} {
  if (request.lines.length === 0) {
    throw InventoryErrors.noLines('A reservation needs at least one line', {
      errors: [{ path: 'lines', message: 'must not be empty' }],
    });
  }
  request.lines.forEach((line, i) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      throw InventoryErrors.invalidQuantity('Quantities are whole numbers of at least 1', {
        errors: [{ path: `lines[${i}].quantity`, message: 'must be an integer ≥ 1' }],
      });
    }
  });
  return {
    lines: normaliseLines(request.lines),
    ttlSeconds: request.ttlSeconds ?? DEFAULT_RESERVATION_TTL_S,
    reference: request.reference ?? null,
  };
}

function insufficient(line: StockLine, available: number | undefined): Error {
  return InventoryErrors.insufficientStock(
    `Only ${available ?? 0} of ${line.sku} available at ${line.location}; ${line.quantity} requested`,
    {
      extra: { sku: line.sku, location: line.location, requested: line.quantity, available: available ?? 0 },
    },
  );
}

/** Writes the rows of reservations whose stock has already been taken: reservation, lines, expiry job. */
async function insertReservations(trx: Trx, reservations: readonly Reservation[]): Promise<void> {
  if (reservations.length === 0) return;
  await insertRows(
    trx,
    'reservations',
    reservations.map((r) => ({
      id: r.id,
      status: r.status,
      reference: r.reference,
      expires_at: r.expiresAt,
      created_at: r.createdAt,
      ended_at: null,
    })),
  );
  await insertRows(
    trx,
    'reservation_lines',
    reservations.flatMap((r) =>
      r.lines.map((line, i) => ({
        reservation_id: r.id,
        line_no: i + 1,
        sku: line.sku,
        location: line.location,
        quantity: line.quantity,
      })),
    ),
  );
  await bringForward(
    trx,
    RESERVATION_SWEEP_JOB,
    reservations.map((r) => r.expiresAt).reduce(earlierOf),
    SWEEP_IDLE_MS,
  );
}

/**
 * Expiry is one recurring job that frees every due reservation, rather than a job per reservation (which would
 * cost a row, and its deletion, on the hottest path there is). Every database has it from its migrations, and it
 * looks at least every SWEEP_IDLE_MS; a new reservation due sooner than that brings the sweep forward.
 */
export const RESERVATION_SWEEP_JOB = 'inventory.reservation.sweep';
// An idle sweeper looks again this often, so a reservation made while a sweep was deciding its next run (on
// PostgreSQL) is freed at most this late.
const SWEEP_IDLE_MS = 5000;

/** The sweeper: frees the due reservations (a batch at a time) and says when to look again. */
export function sweepReservations(trx: Trx): Promise<{ runAgainAt: string }> {
  const active = trx.selectFrom('reservations').where('status', '=', 'active');
  return sweepRound({
    due: async (now, limit) =>
      (
        await active.select('id').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).execute()
      ).map((row) => row.id),
    handle: (id) => endReservation(trx, id, 'expired', { onlyIfDue: true }).then(() => {}),
    nextDeadline: async () => {
      const row = await active.select((eb) => eb.fn.min('expires_at').as('next')).executeTakeFirst();
      return row?.next ? String(row.next) : null;
    },
    batch: 200,
    idleMs: SWEEP_IDLE_MS,
  });
}

function newReservation(prepared: ReturnType<typeof prepareReservation>, now = Date.now()): Reservation {
  return {
    id: newId('res'),
    status: 'active',
    reference: prepared.reference,
    expiresAt: isoAfter(prepared.ttlSeconds * 1000, now),
    createdAt: new Date(now).toISOString(),
    endedAt: null,
    lines: prepared.lines,
  };
}

/**
 * Reserves stock inside the caller's transaction (an order being placed): one conditional update per line, in
 * lock order — `reserved + q` only where `on_hand − reserved − safety_stock ≥ q`, which is atomic on both engines.
 * A short line throws, and the caller's rollback undoes the lines before it: all or nothing.
 * With `events`, the level changes are added there for the caller to append with its own (one outbox write).
 */
export async function reserveStock(
  trx: Trx,
  request: ReservationRequest,
  events?: NewEvent[],
): Promise<Reservation> {
  const reservation = planReservation(request);
  await takeReservedStock(trx, [reservation], events);
  return reservation;
}

/**
 * A reservation checked and given its id, its stock not taken yet: a caller that writes rows naming it first
 * (an order's fulfillment groups) takes the stock last, with `takeReservedStock`.
 */
export function planReservation(request: ReservationRequest): Reservation {
  return newReservation(prepareReservation(request));
}

/**
 * Takes the stock of planned reservations and writes them, as `reserveStock` does, with the lines of them all in
 * one lock order (sku, then location): two transactions taking several reservations each cannot deadlock on
 * PostgreSQL. Called as late as the caller can, the rows stay locked for as short a time as possible there: from
 * these updates to the commit, not while the rest of an order is written.
 */
export async function takeReservedStock(
  trx: Trx,
  reservations: readonly Reservation[],
  events?: NewEvent[],
): Promise<void> {
  const lines =
    reservations.length === 1
      ? reservations[0]!.lines
      : reservations.flatMap((r) => r.lines).sort(compareLevels);
  const levels: StockLevel[] = [];
  for (const line of lines) {
    const parameters = [line.quantity, nowIso(), line.sku, line.location, line.quantity];
    const [row] = (
      await runPrepared(trx, 'inventory.reserveLine', parameters, () =>
        trx
          .updateTable('stock_levels')
          .set((eb) => ({
            reserved: eb('reserved', '+', parameters[0] as number),
            updated_at: parameters[1] as string,
          }))
          .where('sku', '=', parameters[2] as string)
          .where('location', '=', parameters[3] as string)
          .where(sql<number>`on_hand - reserved - safety_stock`, '>=', parameters[4] as number)
          .returningAll(),
      )
    ).rows;
    if (!row) {
      const level = await getLevel(trx, line.sku, line.location);
      throw insufficient(line, level?.available);
    }
    levels.push(toStockLevel(row));
  }
  await insertReservations(trx, reservations);
  if (events) events.push(...levelChangedEvents(levels));
  else await appendEvents(trx, levelChangedEvents(levels));
}

interface PendingReservation {
  prepared: ReturnType<typeof prepareReservation>;
  inTransaction: ((trx: Trx, reservation: Reservation) => Promise<void>) | undefined;
  resolve(reservation: Reservation): void;
  reject(error: unknown): void;
}

/**
 * Group commit for reservations. While one transaction commits, the requests that arrive queue up; the next
 * transaction takes them all: it locks the levels they touch (in lock order), decides in arrival order which
 * requests fit — each whole or not at all; first come, first served, and a large request that does not fit does
 * not block the smaller ones behind it — applies one conditional update per level with the summed quantity and
 * writes every reservation with multi-row inserts. A hot SKU then costs one commit per batch instead of one per
 * request, and each caller still gets its own yes or no. The conditional update keeps the invariant in SQL even
 * so: if it ever does not match, the batch is rolled back and its requests run one by one.
 */
export class ReservationBatcher {
  private queue: PendingReservation[] = [];
  private flushing = false;

  constructor(
    private readonly database: { engine: Engine; transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> },
    private readonly maxBatch = database.engine === 'postgres' ? 256 : 512,
  ) {}

  /**
   * Reserves through the next batch. `inTransaction` runs inside the batch's transaction once the reservation is
   * granted (to store an idempotent answer with it).
   */
  reserve(
    request: ReservationRequest,
    inTransaction?: (trx: Trx, reservation: Reservation) => Promise<void>,
  ): Promise<Reservation> {
    const prepared = prepareReservation(request);
    return new Promise<Reservation>((resolve, reject) => {
      this.queue.push({ prepared, inTransaction, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Start on the next turn of the event loop: every request read from the sockets in this turn joins the
        // batch. (SQLite work is synchronous, so without this pause a batch would always hold one request.)
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.runBatch(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async runBatch(batch: PendingReservation[]): Promise<void> {
    let outcome: { granted: Map<PendingReservation, Reservation>; refused: Map<PendingReservation, Error> };
    try {
      outcome = await this.database.transaction((trx) => this.allocate(trx, batch));
    } catch (error) {
      if (!(error instanceof GuardMismatch) || batch.length === 1) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      // Something changed under us (cannot happen with the rows locked; kept as a safety net): one by one.
      for (const pending of batch) await this.runBatch([pending]);
      return;
    }
    for (const pending of batch) {
      const reservation = outcome.granted.get(pending);
      if (reservation) pending.resolve(reservation);
      else pending.reject(outcome.refused.get(pending));
    }
  }

  private async allocate(trx: Trx, batch: PendingReservation[]) {
    const keys = normaliseLines(batch.flatMap((p) => p.prepared.lines));
    const levels = await lockLevels(trx, this.database.engine, keys);
    const left = new Map<string, number>();
    for (const [key, level] of levels) left.set(key, level.available);

    const granted = new Map<PendingReservation, Reservation>();
    const refused = new Map<PendingReservation, Error>();
    const now = Date.now();
    for (const pending of batch) {
      const short = pending.prepared.lines.find(
        (line) => (left.get(`${line.sku}\u0000${line.location}`) ?? 0) < line.quantity,
      );
      if (short) {
        refused.set(pending, insufficient(short, left.get(`${short.sku}\u0000${short.location}`)));
        continue;
      }
      for (const line of pending.prepared.lines) {
        const key = `${line.sku}\u0000${line.location}`;
        left.set(key, (left.get(key) ?? 0) - line.quantity);
      }
      granted.set(pending, newReservation(pending.prepared, now));
    }
    if (granted.size === 0) return { granted, refused };

    const changed = await reserveTotals(trx, normaliseLines([...granted.values()].flatMap((r) => r.lines)));
    const reservations = [...granted.values()];
    await insertReservations(trx, reservations);
    await appendEvents(trx, levelChangedEvents(changed));
    for (const [pending, reservation] of granted) await pending.inTransaction?.(trx, reservation);
    return { granted, refused };
  }
}

/**
 * Adds each total to its level's reserved in one statement — `… where on_hand − reserved − safety_stock ≥ q` for
 * every row — and returns the new levels. Fewer rows back than asked means a guard did not hold.
 */
async function reserveTotals(trx: Trx, totals: readonly StockLine[]): Promise<StockLevel[]> {
  const values = sql.join(totals.map((t) => sql`(${t.sku}, ${t.location}, cast(${t.quantity} as integer))`));
  const result = await sql<Selectable<StockLevelsTable>>`
    with wanted (sku, location, quantity) as (values ${values})
    update stock_levels
    set reserved = stock_levels.reserved + wanted.quantity, updated_at = ${nowIso()}
    from wanted
    where stock_levels.sku = wanted.sku and stock_levels.location = wanted.location
      and stock_levels.on_hand - stock_levels.reserved - stock_levels.safety_stock >= wanted.quantity
    returning stock_levels.sku, stock_levels.location, stock_levels.on_hand, stock_levels.reserved,
      stock_levels.safety_stock, stock_levels.in_transit, stock_levels.quarantined, stock_levels.updated_at`.execute(
    trx,
  );
  if (result.rows.length !== totals.length) throw new GuardMismatch();
  return result.rows.map(toStockLevel).sort(compareLevels);
}

class GuardMismatch extends Error {
  constructor() {
    super('a level changed between lock and update');
  }
}

export async function getReservation(db: Kysely<DB>, id: string): Promise<Reservation | undefined> {
  const row = await db.selectFrom('reservations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const lines = await db
    .selectFrom('reservation_lines')
    .select(['sku', 'location', 'quantity'])
    .where('reservation_id', '=', id)
    .orderBy('line_no')
    .execute();
  return {
    id: row.id,
    status: row.status,
    reference: row.reference,
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    lines: lines.map((l) => ({ sku: l.sku, location: l.location, quantity: Number(l.quantity) })),
  };
}

export async function requireReservation(db: Kysely<DB>, id: string): Promise<Reservation> {
  const reservation = await getReservation(db, id);
  if (!reservation) throw ReservationErrors.notFound(`No reservation ${id}`);
  return reservation;
}

type Ending = 'committed' | 'released' | 'expired';

/**
 * Ends a reservation exactly once: the status moves from `active` in one conditional update, and only the
 * transaction that made that move touches the levels. `committed` means the goods left (on hand and reserved
 * both drop, the ledger says `sale`); `released` and `expired` free the units.
 */
async function endReservation(
  trx: Trx,
  id: string,
  ending: Ending,
  options: { actor?: string | null; reason?: MovementReason; onlyIfDue?: boolean } = {},
): Promise<Reservation> {
  const now = nowIso();
  let update = trx
    .updateTable('reservations')
    .set({ status: ending, ended_at: now })
    .where('id', '=', id)
    .where('status', '=', 'active');
  if (options.onlyIfDue) update = update.where('expires_at', '<=', now);
  const ended = await update.executeTakeFirst();
  if (Number(ended.numUpdatedRows) !== 1) {
    const existing = await getReservation(trx, id);
    if (!existing) throw ReservationErrors.notFound(`No reservation ${id}`);
    throw ReservationErrors.notActive(`Reservation ${id} is ${existing.status}`, {
      extra: { status: existing.status },
    });
  }
  const reservation = await requireReservation(trx, id);
  const changed: StockLevel[] = [];
  const movements: Movement[] = [];
  for (const line of normaliseLines(reservation.lines)) {
    const row = await trx
      .updateTable('stock_levels')
      .set((eb) =>
        ending === 'committed'
          ? {
              on_hand: eb('on_hand', '-', line.quantity),
              reserved: eb('reserved', '-', line.quantity),
              updated_at: now,
            }
          : { reserved: eb('reserved', '-', line.quantity), updated_at: now },
      )
      .where('sku', '=', line.sku)
      .where('location', '=', line.location)
      .returningAll()
      .executeTakeFirstOrThrow();
    const level = toStockLevel(row);
    changed.push(level);
    if (ending === 'committed') {
      movements.push({
        sku: line.sku,
        location: line.location,
        delta: -line.quantity,
        onHandAfter: level.onHand,
        reason: options.reason ?? 'sale',
        sourceType: 'reservation',
        sourceId: id,
        actor: options.actor ?? null,
      });
    }
  }
  await recordMovements(trx, movements);
  const events = levelChangedEvents(changed);
  events.push({
    type: `inventory.reservation_${ending}`,
    stream: `reservation:${id}`,
    payload: { id, reference: reservation.reference, lines: reservation.lines },
  });
  await appendEvents(trx, events);
  return { ...reservation, status: ending, endedAt: now };
}

export function commitReservation(
  trx: Trx,
  id: string,
  actor: string | null,
  reason: MovementReason = 'sale',
): Promise<Reservation> {
  return endReservation(trx, id, 'committed', { actor, reason });
}

export function releaseReservation(trx: Trx, id: string): Promise<Reservation> {
  return endReservation(trx, id, 'released');
}

/** Frees a reservation's units if it is still active and due; otherwise does nothing (also the handler of expiry jobs made before the sweeper). */
export async function expireReservation(trx: Trx, id: string): Promise<void> {
  const reservation = await getReservation(trx, id);
  if (reservation?.status !== 'active') return;
  if (reservation.expiresAt > nowIso()) {
    throw new Error(`Reservation ${id} is not due until ${reservation.expiresAt}`);
  }
  await endReservation(trx, id, 'expired', { onlyIfDue: true });
}

// ---------------------------------------------------------------------------------------------------------------
// Transfers

export interface Transfer {
  id: string;
  sku: string;
  from: string;
  to: string;
  quantity: number;
  status: TransferStatus;
  reference: string | null;
  createdAt: string;
  shippedAt: string | null;
  receivedAt: string | null;
}

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

function transferEvent(transfer: Transfer): NewEvent {
  return {
    type: `inventory.transfer_${transfer.status === 'in_transit' ? 'shipped' : transfer.status}`,
    stream: `transfer:${transfer.id}`,
    location: transfer.to,
    payload: transfer,
  };
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

/**
 * 调拨: the units are reserved at the source at once (they cannot be sold while waiting for the truck), leave it
 * when shipped (in transit at the destination), and arrive when received. On hand + in transit is conserved.
 */
export async function requestTransfer(
  trx: Trx,
  input: { sku: string; from: string; to: string; quantity: number; reference?: string | null | undefined },
): Promise<Transfer> {
  if (input.from === input.to)
    throw TransferErrors.sameLocation(`A transfer from ${input.from} to itself moves nothing`);
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
  const now = nowIso();
  const transfer: Transfer = {
    id: newId('trf'),
    sku: input.sku,
    from: input.from,
    to: input.to,
    quantity: input.quantity,
    status: 'requested',
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
  await appendEvents(trx, [...levelChangedEvents([toStockLevel(row)]), transferEvent(transfer)]);
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
  if (move === 'cancel') {
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

// ---------------------------------------------------------------------------------------------------------------
// Returns

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

// ---------------------------------------------------------------------------------------------------------------
// Nearby stores and channel policies

export interface NearbyStock {
  location: string;
  name: string;
  city: string;
  lat: number;
  lng: number;
  pickup: boolean;
  distanceKm: number;
  available: number;
}

/** Stores with the SKU available nearest a point: "in stock at stores near me" and the shelf-QR page. */
export async function nearbyStock(
  db: Kysely<DB>,
  sku: string,
  point: GeoPoint,
  radiusKm: number,
  limit = 20,
): Promise<NearbyStock[]> {
  const stores = (await listLocations(db, { kind: 'store', activeOnly: true }))
    .map((store) => ({ store, distanceKm: distanceKm(point, store) }))
    .filter((s) => s.distanceKm <= radiusKm);
  if (stores.length === 0) return [];
  const rows = await db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .where(
      'location',
      'in',
      stores.map((s) => s.store.code),
    )
    .execute();
  const available = new Map(rows.map((r) => [r.location, toStockLevel(r).available]));
  return stores
    .filter((s) => (available.get(s.store.code) ?? 0) > 0)
    .sort((a, b) => a.distanceKm - b.distanceKm || (a.store.code < b.store.code ? -1 : 1))
    .slice(0, limit)
    .map((s) => ({
      location: s.store.code,
      name: s.store.name,
      city: s.store.city,
      lat: s.store.lat,
      lng: s.store.lng,
      pickup: s.store.capabilities.pickup,
      distanceKm: Math.round(s.distanceKm * 100) / 100,
      available: available.get(s.store.code) ?? 0,
    }));
}

export async function getChannelPolicy(db: Kysely<DB>, channel: string): Promise<ChannelPolicy> {
  const parameters = [channel];
  const [row] = (
    await runPrepared(db, 'inventory.channelPolicy', parameters, () =>
      db.selectFrom('channel_stock_policies').selectAll().where('channel', '=', channel),
    )
  ).rows;
  if (!row) return defaultChannelPolicy(channel);
  return {
    channel,
    locationKinds: JSON.parse(row.location_kinds) as ChannelPolicy['locationKinds'],
    locations: row.locations === null ? null : (JSON.parse(row.locations) as string[]),
    extraSafetyStock: Number(row.extra_safety_stock),
  };
}

export async function putChannelPolicy(trx: Trx, policy: ChannelPolicy): Promise<ChannelPolicy> {
  const values = {
    channel: policy.channel,
    location_kinds: JSON.stringify(policy.locationKinds),
    locations: policy.locations === null ? null : JSON.stringify(policy.locations),
    extra_safety_stock: policy.extraSafetyStock,
    updated_at: nowIso(),
  };
  await trx
    .insertInto('channel_stock_policies')
    .values(values)
    .onConflict((oc) => oc.column('channel').doUpdateSet({ ...values }))
    .execute();
  return policy;
}
