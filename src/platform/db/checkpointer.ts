import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints for the embedded SQLite database, done mostly off the node's JavaScript thread.
 *
 * In WAL mode every commit appends pages to the log; a checkpoint copies them back into the database file. SQLite
 * runs it inside the commit that crosses its threshold (1,000 pages) — on the one thread that also serves
 * requests, which then copy megabytes while requests queue. A second connection on a worker thread
 * (`checkpoint.worker.js`) copies the log back every few tens of milliseconds instead (PASSIVE: it never waits
 * for, nor blocks, the writer). The writer's own checkpoint at the threshold stays: it then finds little left to
 * copy, and it is what lets the log start over from the beginning, so the file stays bounded under any load.
 */
export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * `writerPages`: the writer's own checkpoint threshold (`wal_autocheckpoint`), at which the worker stands aside
 * for `asideMs` to let the writer's checkpoint run and the log start over.
 */
export function startBackgroundCheckpoints(
  path: string,
  options: { writerPages: number; intervalMs?: number; asideMs?: number },
): BackgroundCheckpoints {
  const workerData = {
    path,
    writerPages: options.writerPages,
    intervalMs: options.intervalMs ?? 50,
    asideMs: options.asideMs ?? 250,
  };
  const worker = new Worker(new URL('./checkpoint.worker.js', import.meta.url), { workerData });
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
