import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { buildApp } from './app.js';
import { TokenSigner } from './platform/auth/tokens.js';
import type { Config } from './platform/config.js';
import { type Database, migrateToLatest, openDatabase, plannerStatistics } from './platform/db/index.js';
import { EventDispatcher } from './platform/events/dispatcher.js';
import { connectNats, type NatsBridge } from './platform/events/nats.js';
import type { AppContext } from './platform/http/context.js';
import { JobWorker } from './platform/jobs/jobs.js';

export interface Runtime extends AppContext {
  app: FastifyInstance;
  logger: Logger;
  /** Starts the event dispatcher, the job worker and (when configured) the NATS bridge. */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  logger?: Logger;
  /** Bring the schema up to date first (default true). */
  migrate?: boolean;
  dispatcherPollMs?: number;
  jobPollMs?: number;
}

/**
 * What a request log line says about the request. Query strings are left out: they carry personal data
 * (`/v1/members/lookup?type=phone&value=…`) and tokens (`/v1/stream?token=…`) that must not reach the logs.
 */
function requestForLog(request: { method?: string; url?: string; id?: string; ip?: string }) {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return {
    method: request.method,
    url: query === -1 ? url : `${url.slice(0, query)}?…`,
    remoteAddress: request.ip,
  };
}

/** Opens the database, builds the app and its workers: one OmniLoop node. */
export async function createRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const logger = options.logger ?? pino({ level: config.logLevel, serializers: { req: requestForLog } });
  const database: Database = openDatabase(config.database, { backgroundCheckpoints: true });
  let nats: NatsBridge | undefined;
  try {
    if (options.migrate !== false) await migrateToLatest(database.db);
    if (database.engine === 'sqlite') {
      const statistics = await plannerStatistics(database.db);
      if (statistics.length > 0)
        logger.warn(
          { tables: statistics },
          'This SQLite file holds planner statistics from an ANALYZE; OmniLoop runs without them, and some statements run several times slower with them. Drop these tables (README, Storage).',
        );
    }
    const dispatcher = new EventDispatcher(
      database,
      logger.child({ component: 'events' }),
      options.dispatcherPollMs,
    );
    const jobs = new JobWorker(database, logger.child({ component: 'jobs' }), { pollMs: options.jobPollMs });
    database.onCommit(() => dispatcher.kick());
    const ctx: AppContext = { config, database, dispatcher, jobs, tokens: new TokenSigner(config.secret) };
    const app = await buildApp(ctx, { logger: logger.child({ component: 'http' }) });
    return {
      ...ctx,
      app,
      logger,
      async startWorkers() {
        if (config.natsUrl && !nats) {
          nats = await connectNats(config.natsUrl, config.natsReplicas);
          dispatcher.addForwarder(nats.forwarder);
        }
        await dispatcher.start();
        jobs.start();
      },
      async close() {
        await app.close();
        await jobs.stop();
        await dispatcher.stop();
        await nats?.close();
        await database.close();
      },
    };
  } catch (error) {
    await nats?.close();
    await database.close();
    throw error;
  }
}
