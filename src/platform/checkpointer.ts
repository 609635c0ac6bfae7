import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints for the embedded SQLite database, done mostly off the node's JavaScript thread.
 *
 * In WAL mode every commit appends pages to the log; a checkpoint copies them back into the database file. SQLite
 * runs it inside the commit that crosses its threshold (1,000 pages) — on the one thread that also serves
 * requests, which then copy megabytes while requests queue. A second connection on a worker thread copies the
 * log back every few tens of milliseconds instead (PASSIVE: it never waits for, nor blocks, the writer). The
 * writer's own checkpoint at the threshold stays: it then finds little left to copy, and it is what lets the log
 * start over from the beginning, so the file stays bounded under any load.
 */
export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

// Evaluated as a CommonJS worker so that it runs the same from the TypeScript sources and from the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // The next round tries again; the writer's own checkpoint bounds the log meanwhile.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export function startBackgroundCheckpoints(path: string, intervalMs = 50): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
  // Housekeeping: it must neither keep the process alive nor take it down.
  worker.unref();
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop() {
      // Held from here on: a caller awaiting the stop must not see the process end under it (an unreferenced
      // worker would let the event loop drain while its exit is still pending).
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
