import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import type { DatabaseTarget } from '../config.js';

// `omniloop backup` and `omniloop restore`. SQLite is copied online with SQLite's own backup API (a consistent
// copy while the node keeps serving); PostgreSQL is dumped and restored with the server's own pg_dump and
// pg_restore (custom format, so that a restore can drop and recreate every object). The embedded mode's generated
// secret travels with its database: without it the personal data in the copy could not be read.

const ALL_PAGES = 0x7fffffff;

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupReport {
  engine: DatabaseTarget['engine'];
  file: string;
  bytes: number;
  /** The secret file copied beside the backup (embedded mode), if there was one. */
  secretFile: string | null;
}

/** Writes a consistent copy of the database to `file` (refused if it exists, unless `overwrite`). */
export async function backupDatabase(
  target: DatabaseTarget,
  file: string,
  { overwrite = false }: { overwrite?: boolean } = {},
): Promise<BackupReport> {
  if (existsSync(file) && !overwrite) throw new BackupError(`${file} exists: choose another file or --force`);
  if (target.engine === 'sqlite') {
    if (target.path === ':memory:') throw new BackupError('An in-memory database has nothing to back up');
    if (!existsSync(target.path)) throw new BackupError(`No database at ${target.path}`);
    const source = new Sqlite(target.path, { readonly: true, fileMustExist: true });
    try {
      // All pages in one step, under one read snapshot: in WAL mode the serving node goes on writing meanwhile,
      // and the copy is the database as of one moment. (Copied in small steps, every write of another connection
      // would restart the copy, and a busy node would never let it finish.)
      await source.backup(`${file}.partial`, { progress: () => ALL_PAGES });
    } finally {
      source.close();
    }
    renameSync(`${file}.partial`, file);
    const secretFile = copySecret(`${target.path}.secret`, `${file}.secret`);
    return { engine: 'sqlite', file, bytes: statSync(file).size, secretFile };
  }
  await run('pg_dump', [
    '--format=custom',
    '--no-owner',
    '--no-privileges',
    `--file=${file}.partial`,
    target.url,
  ]);
  renameSync(`${file}.partial`, file);
  return { engine: 'postgres', file, bytes: statSync(file).size, secretFile: null };
}

/**
 * Replaces the database with the copy in `file`. The nodes must be stopped: a node writing meanwhile would mix
 * its writes into the restored state. A SQLite target that exists is only replaced with `overwrite`.
 */
export async function restoreDatabase(
  target: DatabaseTarget,
  file: string,
  { overwrite = false }: { overwrite?: boolean } = {},
): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`No backup at ${file}`);
  if (target.engine === 'sqlite') {
    if (target.path === ':memory:') throw new BackupError('Restore into a file, not into memory');
    if (existsSync(target.path) && !overwrite)
      throw new BackupError(`${target.path} exists: stop every node, then restore with --force`);
    const copy = new Sqlite(file, { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new BackupError(`${file} is damaged: ${String(check)}`);
      await copy.backup(`${target.path}.restoring`, { progress: () => ALL_PAGES });
    } finally {
      copy.close();
    }
    // The old database's journal belongs to the old pages: it must not be replayed over the restored ones.
    for (const suffix of ['-wal', '-shm']) rmSync(`${target.path}${suffix}`, { force: true });
    renameSync(`${target.path}.restoring`, target.path);
    copySecret(`${file}.secret`, `${target.path}.secret`);
    return;
  }
  await run('pg_restore', [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--no-privileges',
    '--single-transaction',
    '--exit-on-error',
    `--dbname=${target.url}`,
    file,
  ]);
}

function copySecret(from: string, to: string): string | null {
  if (!existsSync(from)) return null;
  copyFileSync(from, to);
  return to;
}

/** Runs one of PostgreSQL's client programs; its errors are reported as they were written. */
function run(program: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${program} was not found: install PostgreSQL's client programs (the server's major version or newer)`
            : `${program} failed to start: ${error.message}`,
        ),
      ),
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${program} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}
