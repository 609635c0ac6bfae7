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
//
// Only the writer's own checkpoint lets the log start over: it runs between two of its transactions, so it
// copies everything and the next transaction begins on an empty log. Two checkpoints cannot run at once, and
// under writes without pause one of this worker's (slower: it is always behind) would keep meeting the writer's.
// So once the log holds the writer's threshold, the worker stands aside until the writer has done it.
// The log file's size tells when that is (the writer truncates the file to that size each time the log starts
// over), without a checkpoint to ask.
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const logLimit = workerData.writerPages * db.pragma('page_size', { simple: true });
const logPath = workerData.path + '-wal';
let asideUntil = 0;
const timer = setInterval(() => {
  if (Date.now() < asideUntil) return;
  try {
    let size = 0;
    try {
      size = statSync(logPath).size;
    } catch {
      // No log yet.
    }
    if (size <= logLimit) {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      if (!result || result.log < workerData.writerPages) return;
    }
    asideUntil = Date.now() + workerData.asideMs;
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

/**
 * `writerPages`: the writer's own checkpoint threshold (`wal_autocheckpoint`), at which this worker stands aside
 * for `asideMs` to let the writer's checkpoint run and the log start over.
 */
export function startBackgroundCheckpoints(
  path: string,
  options: { writerPages: number; intervalMs?: number; asideMs?: number },
): BackgroundCheckpoints {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = {
    path,
    driver,
    writerPages: options.writerPages,
    intervalMs: options.intervalMs ?? 50,
    asideMs: options.asideMs ?? 250,
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
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
