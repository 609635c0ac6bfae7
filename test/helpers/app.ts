import type { LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import type { Principal } from '../../src/platform/auth/principal.js';
import { loadConfig } from '../../src/platform/config.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { recordExamples } from './examples.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export interface TestApp {
  runtime: Runtime;
  database: TestDatabase;
  /** An Authorization header for a principal (tokens are signed directly; no user rows needed). */
  auth(principal: Principal | 'admin'): { authorization: string };
  request(options: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
    url: string;
    body?: unknown;
    as?: Principal | 'admin' | null;
    headers?: Record<string, string>;
  }): Promise<LightMyRequestResponse & { body: string; json<T = any>(): T }>;
  /** Closes the node; the database stays unless `drop` is true (to restart on it). */
  close(options?: { drop?: boolean }): Promise<void>;
}

export interface TestAppOptions {
  /** Reuse a database (a restart); otherwise a fresh one is made and dropped on close. */
  database?: TestDatabase;
  /** Start the event dispatcher and the job worker (default true). */
  workers?: boolean;
  env?: Record<string, string>;
  /**
   * Whether its answers may become the document's examples (`npm run api:examples`); off for tests that feed the
   * platform odd input on purpose (a 300-character address is no example of a store).
   */
  examples?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const target = database.target;
  const config = loadConfig({
    db: target.engine === 'sqlite' ? target.path : target.url,
    port: 0,
    host: '127.0.0.1',
    env: {
      OMNILOOP_SECRET: TEST_SECRET,
      OMNILOOP_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'silent',
      ...options.env,
    },
  });
  const runtime = await createRuntime(config, {
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    dispatcherPollMs: 50,
    jobPollMs: 50,
  });
  const recorded =
    process.env.OMNILOOP_RECORD_EXAMPLES && options.examples !== false
      ? recordExamples(runtime.app, process.env.OMNILOOP_RECORD_EXAMPLES)
      : undefined;
  if (options.workers !== false) await runtime.startWorkers();

  const auth = (principal: Principal | 'admin') => ({
    authorization: `Bearer ${principal === 'admin' ? ADMIN_TOKEN : runtime.tokens.sign(principal, 3600).token}`,
  });

  return {
    runtime,
    database,
    auth,
    async request({ method, url, body, as = 'admin', headers = {} }) {
      const response = await runtime.app.inject({
        method,
        url,
        headers: { ...(as === null ? {} : auth(as)), ...headers },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return response as LightMyRequestResponse & { body: string; json<T = any>(): T };
    },
    async close({ drop = options.database === undefined } = {}) {
      recorded?.();
      await runtime.close();
      if (drop) await database.drop();
    },
  };
}

export const guideOf = (storeCode: string): Principal => ({
  role: 'guide',
  subject: `${storeCode.toLowerCase()}.guide`,
  storeCode,
});
export const managerOf = (storeCode: string): Principal => ({
  role: 'store_manager',
  subject: `${storeCode.toLowerCase()}.manager`,
  storeCode,
});
export const OPS: Principal = { role: 'ops', subject: 'ops', storeCode: null };
export const channelOf = (channel: string): Principal => ({
  role: 'channel',
  subject: `key_${channel}`,
  channel,
  storeCode: null,
});
