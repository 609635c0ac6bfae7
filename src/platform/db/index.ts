// The database, as the rest of the platform and the contexts use it. The fast paths behind it are listed in
// fast-paths.ts; only this folder knows them.

export { type BulkSelect, insertInBulk, selectInBulk } from './bulk.js';
export type { Database, DB, Engine, OpenDatabaseOptions, Queryable, Trx } from './database.js';
export { migrateToLatest, openDatabase } from './database.js';
export { FAST_PATHS, type FastPathsSetting, fastPathsSetting } from './fast-paths.js';
export type { WriterSession } from './group-commit.js';
export { insertRows, runPrepared, runRepeated } from './prepared.js';
export { readOnce } from './shared-transactions.js';
export { plannerStatistics, WRITER_CHECKPOINT_PAGES } from './sqlite.js';
export { readConsistently } from './transactions.js';
