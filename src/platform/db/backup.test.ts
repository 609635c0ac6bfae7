import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createTestDatabase, ENGINE } from '../../../test/helpers/database.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../../test/helpers/inventory.js';
import { NETWORK, SKUS } from '../../inventory/inventory.testkit.js';
import { ulid } from '../ids.js';
import { BackupError, backupDatabase, restoreDatabase } from './backup.js';

// A backup taken while the node serves restores to a database that is whole: every level agrees with its
// ledger, and everything committed before the backup began is there.

let t: TestApp;
const files: string[] = [];
const tempFile = () => {
  const file = join(tmpdir(), `omniloop_backup_${ulid().toLowerCase()}`);
  // Opening the copy to check it leaves SQLite's log and shared-memory files beside it.
  files.push(file, `${file}.secret`, `${file}-wal`, `${file}-shm`);
  return file;
};

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, SKUS);
  await setStock(t, 'SKU-1', 'WH-T', 1000);
});
afterAll(async () => {
  await t.close();
  for (const file of files) rmSync(file, { force: true });
});

const count = (location: string, onHand: number) =>
  t.request({ method: 'PUT', url: `/v1/inventory/levels/SKU-1/${location}`, body: { onHand } });

describe(`backup and restore (${ENGINE})`, () => {
  it('copies the database while it is written to, and the copy restores whole', async () => {
    const committed = await count('ST-A', 7);
    expect(committed.statusCode).toBe(200);
    const file = tempFile();
    // Writes go on during the backup.
    let writing = true;
    const writer = (async () => {
      for (let n = 1; writing; n++) await count('ST-B', n);
    })();
    const report = await backupDatabase(t.database.target, file);
    writing = false;
    await writer;
    expect(report).toMatchObject({ engine: ENGINE, file });
    expect(report.bytes).toBeGreaterThan(0);

    const restoredDb = await createTestDatabase();
    try {
      await restoreDatabase(restoredDb.target, file);
      const restored = await startTestApp({ database: restoredDb });
      try {
        const level = await restored.request({ method: 'GET', url: '/v1/inventory/SKU-1' });
        expect(level.statusCode).toBe(200);
        const at = (location: string) =>
          level.json().levels.find((l: { location: string }) => l.location === location);
        expect(at('ST-A')).toMatchObject({ onHand: 7 });
        expect(at('WH-T')).toMatchObject({ onHand: 1000 });
        await expectInventoryInvariants(restored);
      } finally {
        await restored.close({ drop: false });
      }
    } finally {
      await restoredDb.drop();
    }
  });

  it('never overwrites a file or a database by accident', async () => {
    const file = tempFile();
    writeFileSync(file, 'something precious');
    await expect(backupDatabase(t.database.target, file)).rejects.toBeInstanceOf(BackupError);
    if (ENGINE === 'sqlite') {
      const good = tempFile();
      await backupDatabase(t.database.target, good);
      await expect(restoreDatabase(t.database.target, good)).rejects.toThrow(/--force/);
      // A file that is not a database is refused before anything is replaced.
      const target = await createTestDatabase();
      await expect(restoreDatabase(target.target, file)).rejects.toThrow();
      expect(existsSync((target.target as { path: string }).path)).toBe(false);
    }
  });

  it('is a command: omniloop backup --file', async () => {
    const file = tempFile();
    const db = t.database.target.engine === 'sqlite' ? t.database.target.path : t.database.target.url;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'backup', '--file', file, '--db', db],
      { env: { ...process.env, LOG_LEVEL: 'silent' } },
    );
    expect(stdout).toContain(`Backed up the ${ENGINE} database to ${file}`);
    expect(existsSync(file)).toBe(true);
  });
});
