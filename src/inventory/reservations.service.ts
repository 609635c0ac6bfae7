// Reservations: taken inside a caller's transaction (an order being placed) or through the group commit of the
// ReservationBatcher (the reservations API, where a hot SKU queues), ended once (committed, released or expired),
// and swept when due.

import { type Kysely, type Selectable, sql } from 'kysely';
import {
  appendEvents,
  bringForward,
  type DB,
  type Engine,
  earlierOf,
  insertRows,
  isoAfter,
  type NewEvent,
  newEvent,
  newId,
  nowIso,
  runPrepared,
  sweepRound,
  type Trx,
} from '../platform/index.js';
import type { Reservation } from './inventory.contract.js';
import { InventoryErrors, ReservationErrors } from './inventory.errors.js';
import { ReservationCommitted, ReservationExpired, ReservationReleased } from './inventory.events.js';
import {
  insufficient,
  levelChangedEvents,
  lockLevels,
  type Movement,
  recordMovements,
  type StockLevel,
  toStockLevel,
} from './inventory.rows.js';
import { compareLevels, type MovementReason, normaliseLines, type StockLine } from './inventory.rules.js';
import type { StockLevelsTable } from './inventory.schema.js';
import { getLevel } from './levels.service.js';

export const DEFAULT_RESERVATION_TTL_S = 15 * 60;
export const RESERVATION_EXPIRE_JOB = 'inventory.reservation.expire';

export interface ReservationRequest {
  lines: StockLine[];
  ttlSeconds?: number | undefined;
  reference?: string | null | undefined;
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
  const lines = reservations.length === 1 ? reservations[0]!.lines : reservations.flatMap((r) => r.lines);
  // In a transaction of shared work, every work's lines are taken together, in one lock order over them all.
  const taken = trx.gathering
    ? await trx.gathering.gather(lines, (all) => takeLines(trx, all))
    : await takeLines(trx, lines);
  const levels: StockLevel[] = [];
  for (const [i, row] of taken.entries()) {
    if (!row) {
      const line = lines[i]!;
      const level = await getLevel(trx, line.sku, line.location);
      throw insufficient(line, level?.available);
    }
    levels.push(toStockLevel(row));
  }
  await insertReservations(trx, reservations);
  if (events) events.push(...levelChangedEvents(levels));
  else await appendEvents(trx, levelChangedEvents(levels));
}

type LevelRow = Selectable<StockLevelsTable>;

/**
 * Takes each line from its level if the level has it available, in lock order (sku, then location); the answer
 * is each line's level after it, or none where it did not fit, in the order of `lines`. Every line is sent at
 * once: on PostgreSQL they leave in one round trip and run in the order sent.
 */
async function takeLines(trx: Trx, lines: readonly StockLine[]): Promise<(LevelRow | undefined)[]> {
  const order = lines.map((_, i) => i).sort((a, b) => compareLevels(lines[a]!, lines[b]!));
  const rows = await Promise.all(
    order.map(async (i) => {
      const line = lines[i]!;
      const parameters = [line.quantity, nowIso(), line.sku, line.location, line.quantity];
      const { rows } = await runPrepared(trx, 'inventory.reserveLine', parameters, () =>
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
      );
      return rows[0];
    }),
  );
  const answers: (LevelRow | undefined)[] = new Array(lines.length);
  order.forEach((i, k) => {
    answers[i] = rows[k];
  });
  return answers;
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

const RESERVATION_ENDINGS = {
  committed: ReservationCommitted,
  released: ReservationReleased,
  expired: ReservationExpired,
} as const;

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
  events.push(
    newEvent(RESERVATION_ENDINGS[ending], {
      stream: `reservation:${id}`,
      payload: { id, reference: reservation.reference, lines: reservation.lines },
    }),
  );
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

export type { Reservation };
