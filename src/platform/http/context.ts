import type { TokenSigner } from '../auth/tokens.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { EventDispatcher } from '../events/dispatcher.js';
import type { JobWorker } from '../jobs/jobs.js';

/** What a context's routes, jobs and reactions are given: the shared, long-lived parts of a running node. */
export interface AppContext {
  config: Config;
  database: Database;
  dispatcher: EventDispatcher;
  jobs: JobWorker;
  tokens: TokenSigner;
}
