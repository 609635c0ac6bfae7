import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import Sqlite from 'better-sqlite3';
import { pino } from 'pino';
import type { Principal } from '../src/platform/auth/principal.js';
import { type DatabaseTarget, loadConfig } from '../src/platform/config.js';
import { migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database.js';
import { startNodeProcess } from '../test/helpers/node-process.js';

export interface BenchContext {
  quick: boolean;
  /** Records a figure under its name (printed now, written to bench/out/<suite>.json at the end). */
  record(name: string, value: number, unit?: string): void;
}

export type Suite = (ctx: BenchContext) => Promise<void>;

export function writeResults(
  suite: string,
  metrics: Record<string, number>,
  extra: Record<string, unknown> = {},
): string {
  const dir = join(import.meta.dirname, 'out');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ suite, at: new Date().toISOString(), metrics, ...extra }, null, 2)}\n`,
  );
  return file;
}

export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

export interface BenchNode {
  runtime: Runtime;
  database: TestDatabase;
  url: string;
  token(principal?: Principal): string;
  close(): Promise<void>;
}

/** A listening OmniLoop node on a fresh database of the given engine, workers running, logging off. */
export async function startNode(engine: 'sqlite' | 'postgres'): Promise<BenchNode> {
  const database = await createTestDatabase(engine);
  const target = database.target;
  const config = loadConfig({
    db: target.engine === 'sqlite' ? target.path : target.url,
    port: 0,
    host: '127.0.0.1',
    env: { OMNILOOP_SECRET: BENCH_SECRET, LOG_LEVEL: 'silent' },
  });
  const runtime = await createRuntime(config, { logger: pino({ level: 'silent' }) });
  await runtime.startWorkers();
  const url = await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    runtime,
    database,
    url,
    token: (principal = { role: 'admin', subject: 'bench', storeCode: null }) =>
      runtime.tokens.sign(principal, 3600).token,
    async close() {
      await runtime.close();
      await database.drop();
    },
  };
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  /** One request body per call, so that each request can differ (another SKU, another key). */
  body?: () => string;
}

export interface LoadResult {
  perSecond: number;
  statusCounts: Record<string, number>;
  latencyP99Ms: number;
}

/** Drives a route with autocannon and returns completed requests per second and the status codes seen. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const statusCounts: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        method: options.method ?? 'GET',
        headers: { 'content-type': 'application/json', ...options.headers },
        ...(options.body
          ? {
              requests: [
                { setupRequest: (request: CannonRequest) => ({ ...request, body: options.body!() }) },
              ],
            }
          : {}),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode) => {
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
  const total = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  return { perSecond: total / options.seconds, statusCounts, latencyP99Ms: result.latency.p99 };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * An OmniLoop server in its own process (as in production), so that the load generator in this process does not
 * share its event loop. Request logging is off (LOG_LEVEL=warn), as a production node behind a load balancer
 * would run it under load.
 */
export async function startServerProcess(target: DatabaseTarget): Promise<ServerProcess> {
  const node = await startNodeProcess(target, {
    secret: BENCH_SECRET,
    adminToken: BENCH_ADMIN_TOKEN,
    // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server under load.
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
    fromBuild: Boolean(process.env.BENCH_DIST),
  });
  return { url: node.url, stop: node.stop };
}

/**
 * An empty, migrated SQLite database opened raw (better-sqlite3 with the node's WAL and synchronous settings), for
 * the loops that measure a write's own limit with nothing of the platform around it.
 */
export async function rawSqlite(): Promise<{ db: Sqlite.Database; drop(): Promise<void> }> {
  const testDb = await createTestDatabase('sqlite');
  const database = openDatabase(testDb.target);
  await migrateToLatest(database.db);
  await database.close();
  if (testDb.target.engine !== 'sqlite') throw new Error('a raw loop runs on SQLite');
  const db = new Sqlite(testDb.target.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return {
    db,
    async drop() {
      db.close();
      await testDb.drop();
    },
  };
}
