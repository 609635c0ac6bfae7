import { afterAll, beforeAll } from 'vitest';
import { type Database, migrateToLatest, openDatabase } from '../../src/platform/db/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/**
 * A migrated, empty database of the engine under test for the tests of the block it is called in: made before
 * them, dropped after. Read it through the function it returns.
 */
export function useMigratedDatabase(): () => Database {
  let target: TestDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    target = await createTestDatabase();
    database = openDatabase(target.target);
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.close();
    await target?.drop();
  });
  return () => {
    if (!database) throw new Error('The database is made before the tests run');
    return database;
  };
}
