import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../../schema.js';
import type { Database } from './database.js';
import { FAST_PATHS } from './fast-paths.js';
import { tuneClient } from './pg-pipeline.js';
import { kyselyTransactions } from './transactions.js';

// int8 (bigint) columns and count(*) arrive from pg as strings; every number we keep fits in 2^53, so parse
// them once here instead of in every mapper.
pg.types.setTypeParser(20, (value) => Number(value));

export function openPostgres(url: string, poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 20)): Database {
  // A request waits at most this long for a connection: with the server away, it fails (503) rather than hangs.
  // Pipelined connections (pg-pipeline.ts) with the fast paths: a statement is sent without waiting for the last.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5_000,
    pipeline: FAST_PATHS,
    // No JIT compilation: it pays off for long analytical scans, and misfires on the statements a node runs. The
    // planner cannot estimate an intersection of sets (a segment's tag and recent event), takes it for five times
    // its size, and the compiling then cost a segment count over a million members half as much again as the
    // count itself (636 against 413 ms); a million-member RFM run was no slower without it.
    options: '-c jit=off',
  });
  // A connection the server drops (a restart, a failover, an idle-connection reaper) emits 'error' on its client;
  // unheard, that kills the process. An idle client's error reaches the pool's listener; a checked-out client's
  // reaches only the client, so every client gets its own. The query it was running fails (the request answers
  // 503) and the pool, told the client is broken when it is released, opens a new one for the next.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  // Named statements for the hot paths, and a transaction's inserts sent with its next statement.
  if (FAST_PATHS) pool.on('connect', tuneClient);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return kyselyTransactions('postgres', db);
}
