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
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  // Named statements for the hot paths, and a transaction's inserts sent with its next statement.
  if (FAST_PATHS) pool.on('connect', tuneClient);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return kyselyTransactions('postgres', db);
}
