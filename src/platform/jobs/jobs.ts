import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { OutageBackoff } from '../db/faults.js';
import type { Database, Trx } from '../db/index.js';
import { insertRows } from '../db/index.js';
import { newId } from '../ids.js';
import { earlierOf, isoAfter, nowIso } from '../time.js';

/**
 * Anything that must happen later (a reservation expiring, a pickup deadline, points maturing) is a row here,
 * never a timer: a restart loses none of them.
 */
export interface JobRequest {
  kind: string;
  payload?: object;
  runAt: Date | string;
  /** Scheduling twice with one key keeps the first job (e.g. `reservation.expire:<id>`). */
  key?: string;
  maxAttempts?: number;
}

export interface Job {
  id: string;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  runAt: string;
}

/**
 * A job's work. It runs inside the transaction that also deletes the job, so its database writes and the
 * job's completion commit together: a crash in between runs it again rather than half. A recurring job (a
 * sweeper) answers `{ runAgainAt }` and is kept for that time instead of deleted.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: most handlers return nothing; a recurring one returns when to run again
export type JobHandler = (trx: Trx, job: Job) => Promise<void | { runAgainAt: string }>;

/** Schedules a job inside the caller's transaction: it exists exactly when the change that needs it commits. */
export function scheduleJob(trx: Trx, request: JobRequest): Promise<void> {
  return scheduleJobs(trx, [request]);
}

/** Schedules several jobs in one statement (a batch of reservations and their expiries). */
export async function scheduleJobs(trx: Trx, requests: readonly JobRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const now = nowIso();
  await insertRows(
    trx,
    'jobs',
    requests.map((request) => jobRow(request, now)),
    { onConflictDoNothing: 'key' },
  );
}

function jobRow(request: JobRequest, now: string) {
  return {
    id: newId('job'),
    kind: request.kind,
    key: request.key ?? null,
    payload: JSON.stringify(request.payload ?? {}),
    state: 'pending' as const,
    run_at: typeof request.runAt === 'string' ? request.runAt : request.runAt.toISOString(),
    attempts: 0,
    max_attempts: request.maxAttempts ?? 10,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * A recurring job (a sweeper, keyed by its kind) looks again at least every `idleMs`; a new deadline due sooner
 * than that brings it forward. A later deadline writes nothing — which is the point: the hottest paths (placing
 * an order, reserving stock) would otherwise write a job row each.
 */
export async function bringForward(trx: Trx, kind: string, runAt: string, idleMs: number): Promise<void> {
  if (runAt > isoAfter(idleMs)) return;
  await trx
    .insertInto('jobs')
    .values(jobRow({ kind, key: kind, runAt, maxAttempts: 1_000_000 }, nowIso()))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        run_at: sql`case when excluded.run_at < jobs.run_at then excluded.run_at else jobs.run_at end`,
        state: 'pending',
      }),
    )
    .execute();
}

/**
 * One round of a sweeper over rows with deadlines: handles the due ones (up to `batch`) and says when to look
 * again — at once when the batch was full, else at the next deadline or after `idleMs`, whichever comes first.
 */
export async function sweepRound(sweep: {
  due(now: string, limit: number): Promise<string[]>;
  handle(id: string): Promise<void>;
  nextDeadline(): Promise<string | null>;
  batch: number;
  idleMs: number;
}): Promise<{ runAgainAt: string }> {
  const now = nowIso();
  const due = await sweep.due(now, sweep.batch);
  for (const id of due) await sweep.handle(id);
  if (due.length === sweep.batch) return { runAgainAt: now };
  const next = await sweep.nextDeadline();
  const idle = isoAfter(sweep.idleMs);
  return { runAgainAt: next === null ? idle : earlierOf(next, idle) };
}

/** Removes a pending job by key (the reservation was committed, so its expiry is moot). */
export async function cancelJob(trx: Trx, key: string): Promise<void> {
  await trx.deleteFrom('jobs').where('key', '=', key).execute();
}

/** Exponential back-off with jitter: 1 s, 2 s, 4 s … capped at one hour. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface JobWorkerOptions {
  pollMs?: number;
  batchSize?: number;
  /**
   * How long a claim holds before another worker may take the job over. A live worker renews the claims it still
   * holds every third of this, so only a worker that died (kill -9, a lost machine) lets its jobs wait, this long.
   */
  leaseMs?: number;
}

export class JobWorker {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly workerId = `${hostname()}:${process.pid}:${newId('w')}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly outage: OutageBackoff;
  /** The jobs this worker has claimed and not finished: their leases are renewed while it lives. */
  private readonly claimed = new Set<string>();
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    options: JobWorkerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
    this.batchSize = options.batchSize ?? 50;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.outage = new OutageBackoff(log, 'job worker');
  }

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`A handler for job kind "${kind}" is already registered`);
    this.handlers.set(kind, handler);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => void this.runDue(), this.pollMs);
    this.timer.unref();
    this.renewal = setInterval(() => void this.renewLeases(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.renewal.unref();
    void this.runDue();
  }

  /** Keeps the claims of jobs still waiting in this worker's round (a long batch outlives one lease). */
  private async renewLeases(): Promise<void> {
    if (this.claimed.size === 0) return;
    try {
      await this.database.db
        .updateTable('jobs')
        .set({ locked_until: isoAfter(this.leaseMs) })
        .where('id', 'in', [...this.claimed])
        .where('locked_by', '=', this.workerId)
        .execute();
    } catch (error) {
      // The database is away: the round fails too; its jobs are claimed again once the lease lapses.
      this.log.warn({ err: error }, 'could not renew job leases');
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // The round under way still holds its claims until it ends.
    await this.running;
    if (this.renewal) clearInterval(this.renewal);
    this.renewal = undefined;
  }

  /** Claims and runs every due job; one round at a time per worker. Returns the number run. */
  runDue(): Promise<void> {
    if (this.running) return this.running;
    if (!this.outage.ready()) return Promise.resolve();
    this.running = (async () => {
      try {
        for (;;) {
          const jobs = await this.claim();
          for (const job of jobs) this.claimed.add(job.id);
          for (const job of jobs) {
            try {
              await this.execute(job);
            } finally {
              this.claimed.delete(job.id);
            }
          }
          if (jobs.length < this.batchSize || !this.started) break;
        }
        this.outage.succeeded();
      } catch (error) {
        this.claimed.clear();
        if (!this.outage.failed(error)) this.log.error({ err: error }, 'job worker round failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * Claims due jobs with a lease. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several nodes claim side by side
   * without taking the same job; SQLite has one writer, so the update itself is the claim.
   */
  private async claim(): Promise<Job[]> {
    const now = nowIso();
    const until = isoAfter(this.leaseMs);
    const lock = this.database.engine === 'postgres' ? sql`for update skip locked` : sql``;
    const rows = await sql<{
      id: string;
      kind: string;
      key: string | null;
      payload: string;
      attempts: number;
      run_at: string;
    }>`
      update jobs set locked_by = ${this.workerId}, locked_until = ${until}, updated_at = ${now}
      where id in (
        select id from jobs
        where state = 'pending' and run_at <= ${now} and (locked_until is null or locked_until < ${now})
        order by run_at limit ${this.batchSize} ${lock})
      returning id, kind, key, payload, attempts, run_at`.execute(this.database.db);
    return rows.rows
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        key: r.key,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        attempts: Number(r.attempts),
        runAt: r.run_at,
      }))
      .sort((a, b) => (a.runAt < b.runAt ? -1 : a.runAt > b.runAt ? 1 : 0));
  }

  private async execute(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`No handler for job kind "${job.kind}"`);
      await this.database.transaction(async (trx) => {
        const outcome = await handler(trx, job);
        const done = outcome
          ? await trx
              .updateTable('jobs')
              .set({
                run_at: outcome.runAgainAt,
                attempts: 0,
                locked_by: null,
                locked_until: null,
                last_error: null,
                updated_at: nowIso(),
              })
              .where('id', '=', job.id)
              .where('locked_by', '=', this.workerId)
              .executeTakeFirst()
              .then((r) => Number(r.numUpdatedRows))
          : await trx
              .deleteFrom('jobs')
              .where('id', '=', job.id)
              .where('locked_by', '=', this.workerId)
              .executeTakeFirst()
              .then((r) => Number(r.numDeletedRows));
        if (done !== 1) {
          // Either the handler cancelled its own job (fine: it is done), or our lease ran out and another worker
          // took the job: then undo our run, theirs counts.
          const still = await trx
            .selectFrom('jobs')
            .select('locked_by')
            .where('id', '=', job.id)
            .executeTakeFirst();
          if (still !== undefined) throw new LeaseLost(job.id);
        }
      });
    } catch (error) {
      if (error instanceof LeaseLost) {
        this.log.warn({ job: job.id }, 'job lease lost; another worker runs it');
        return;
      }
      await this.recordFailure(job, error);
    }
  }

  private async recordFailure(job: Job, error: unknown): Promise<void> {
    const attempts = job.attempts + 1;
    const row = await this.database.db
      .selectFrom('jobs')
      .select('max_attempts')
      .where('id', '=', job.id)
      .executeTakeFirst();
    const exhausted = row === undefined || attempts >= row.max_attempts;
    const message = error instanceof Error ? error.message : String(error);
    await this.database.db
      .updateTable('jobs')
      .set({
        attempts,
        state: exhausted ? 'failed' : 'pending',
        run_at: isoAfter(retryDelayMs(attempts)),
        locked_by: null,
        locked_until: null,
        last_error: message.slice(0, 2000),
        updated_at: nowIso(),
      })
      .where('id', '=', job.id)
      .where('locked_by', '=', this.workerId)
      .execute();
    this.log[exhausted ? 'error' : 'warn'](
      { job: job.id, kind: job.kind, attempts, err: error },
      exhausted ? 'job failed for good' : 'job failed; retrying later',
    );
  }
}

class LeaseLost extends Error {
  constructor(id: string) {
    super(`lease lost on job ${id}`);
  }
}
