// What a failure of the database itself (not of the request) looks like on each engine, so that the HTTP layer
// can answer 503 or 507 and the workers can wait and retry, instead of a 500 or a dead process.

/** PostgreSQL SQLSTATEs of a server that went away or will not take us now (class 08, 57P0x, 53300). */
const PG_UNAVAILABLE = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '57P01', // admin_shutdown: terminated by an administrator, a failover or a reaper
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);

/** Socket-level failures on the way to a database server. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/** What node-postgres says when a connection dies or cannot be had in time (it gives these no code). */
const PG_CLIENT_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Cannot use a pool after calling end on the pool',
  // 55000 from a database closed to connections (maintenance, a failover in progress).
  'is not currently accepting connections',
];

export type DatabaseFault = 'unavailable' | 'storage_full';

/**
 * `unavailable`: the database cannot be reached or is busy right now; the same request may succeed in a moment.
 * `storage_full`: the disk (or SQLite's page limit) is full; nothing was written. Null for any other error.
 */
export function databaseFault(error: unknown): DatabaseFault | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === 'SQLITE_FULL' || code === '53100' /* disk_full */) return 'storage_full';
    if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
      return 'unavailable';
    if (PG_UNAVAILABLE.has(code) || NETWORK_CODES.has(code)) return 'unavailable';
  }
  if (PG_CLIENT_MESSAGES.some((message) => error.message.includes(message))) return 'unavailable';
  return null;
}

/**
 * A background worker's view of a database outage. While the database is away, the worker waits longer and
 * longer between rounds (1 s, doubling to 30 s) and says so once, not every round; the first round that works
 * again resumes the normal pace.
 */
export class OutageBackoff {
  #until = 0;
  #delay = 0;

  constructor(
    private readonly log: { warn(object: object, message: string): void; info(message: string): void },
    private readonly worker: string,
  ) {}

  /** Whether a round may run now. */
  ready(now = Date.now()): boolean {
    return now >= this.#until;
  }

  /** After a failed round: true when the database was away (the worker waits; logged once per outage). */
  failed(error: unknown, now = Date.now()): boolean {
    if (databaseFault(error) !== 'unavailable') return false;
    if (this.#delay === 0)
      this.log.warn({ err: error }, `${this.worker}: database unavailable; waiting for it`);
    this.#delay = Math.min(30_000, this.#delay === 0 ? 1_000 : this.#delay * 2);
    this.#until = now + this.#delay;
    return true;
  }

  succeeded(): void {
    if (this.#delay === 0) return;
    this.#delay = 0;
    this.#until = 0;
    this.log.info(`${this.worker}: database back; resuming`);
  }

  /** The current wait between rounds (0 when the database is there). */
  get delayMs(): number {
    return this.#delay;
  }
}
