import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import autocannon, { type Request as CannonRequest } from 'autocannon';
import { pino } from 'pino';
import type { Principal } from '../src/platform/auth/principal.js';
import { type DatabaseTarget, loadConfig } from '../src/platform/config.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database.js';

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
  const port = await freePort();
  const db = target.engine === 'sqlite' ? target.path : target.url;
  const child = spawn(
    process.execPath,
    [
      // e.g. BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server under load.
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...(process.env.BENCH_DIST ? ['dist/src/cli/main.js'] : ['--import', 'tsx', 'src/cli/main.ts']),
      'serve',
      '--db',
      db,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        OMNILOOP_SECRET: BENCH_SECRET,
        OMNILOOP_ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        NATS_URL: '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${url}/livez`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
