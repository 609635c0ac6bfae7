// @ts-check
// The worker thread of `checkpointer.ts`: a second connection that copies the write-ahead log back into the
// database file. Plain JavaScript (type-checked through its JSDoc), so that the same file runs from the sources
// and from the build, without a TypeScript loader in the worker.
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @typedef {{ path: string, writerPages: number, intervalMs: number, asideMs: number }} CheckpointSettings */

const settings = /** @type {CheckpointSettings} */ (workerData);
const port = parentPort;
if (!port) throw new Error('checkpoint.worker.js runs as a worker thread');

const db = new Database(settings.path, { fileMustExist: true });
const logLimit = settings.writerPages * Number(db.pragma('page_size', { simple: true }));
const logPath = `${settings.path}-wal`;
let asideUntil = 0;

// Only the writer's own checkpoint lets the log start over: it runs between two of its transactions, so it
// copies everything and the next transaction begins on an empty log. Two checkpoints cannot run at once, and
// under writes without pause one of this worker's (slower: it is always behind) would keep meeting the writer's.
// So once the log holds the writer's threshold, the worker stands aside until the writer has done it. The log
// file's size tells when that is (the writer truncates the file to that size each time the log starts over),
// without a checkpoint to ask.
const timer = setInterval(() => {
  if (Date.now() < asideUntil) return;
  try {
    if (logSize() <= logLimit) {
      const [result] = /** @type {{ log: number }[]} */ (db.pragma('wal_checkpoint(PASSIVE)'));
      if (!result || result.log < settings.writerPages) return;
    }
    asideUntil = Date.now() + settings.asideMs;
  } catch {
    // The next round tries again; the writer's own checkpoint bounds the log meanwhile.
  }
}, settings.intervalMs);

function logSize() {
  try {
    return statSync(logPath).size;
  } catch {
    return 0; // no log yet
  }
}

port.once('message', () => {
  clearInterval(timer);
  db.close();
  port.close();
});
