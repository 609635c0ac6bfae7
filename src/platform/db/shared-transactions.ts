import type { Kysely } from 'kysely';
import type { DB, Queryable, Trx } from './database.js';
import { withPipeline } from './pg-pipeline.js';

interface SharedWork {
  fn: (trx: Trx) => Promise<unknown>;
  /** Run together once already, in a transaction another work failed. */
  again?: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** At most this many works share one transaction: its statements stay far under the bind and lock limits. */
const MAX_WORKS = 64;
/** Transactions of shared work one node has open at once: while one waits on the server, the other's works run. */
const MAX_OPEN = 2;

/**
 * Group commit for PostgreSQL, for work that is safe together (see `Database.transactionShared`). A transaction
 * of its own costs a PostgreSQL order a begin, a commit that waits for the log to reach the disk, and a round trip
 * for each step; the server and the node spent most of an order's time on that. So the works asked for while a
 * transaction of shared work runs wait for it, and then run together in the next one, each step of every work
 * pipelined on one connection (pg-pipeline.ts) — their reads leave in one round trip, their writes in another,
 * and all of them commit once.
 *
 * Works in one transaction see each other's writes, so they must write only through statements that check what
 * they change (a conditional update, a unique index): a clash then fails one of them rather than losing a write.
 * When any work fails, or the commit does, the transaction is rolled back: the work that failed runs again alone,
 * in a transaction of its own, so its caller gets exactly what it would have got alone, and the others go together
 * again (once more at most), so a bad request does not make the ones beside it run alone. The works' row locks on
 * stock are taken all at once, in one global order (`Gathering`), so two shared transactions, or one and a work
 * alone, never wait for each other in a circle.
 */
export function sharedTransactions(
  db: Kysely<DB>,
  runAlone: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>,
  committed: () => void,
) {
  const queue: SharedWork[] = [];
  let open = 0;

  async function runTogether(works: SharedWork[]): Promise<void> {
    const outcomes: unknown[] = new Array(works.length);
    const failed: boolean[] = new Array(works.length).fill(false);
    let done = false;
    try {
      await db.transaction().execute(async (trx) => {
        const gathering = new Gathering(works.length);
        const shared: Trx = Object.defineProperty(await withPipeline(trx), 'gathering', { value: gathering });
        await Promise.all(
          works.map(async (work, i) => {
            try {
              outcomes[i] = await work.fn(shared);
            } catch {
              failed[i] = true;
            } finally {
              gathering.leave();
            }
          }),
        );
        if (failed.includes(true)) throw ROLL_BACK;
      });
      done = true;
    } catch {
      // Rolled back: nothing of any work is written.
    }
    if (done) {
      committed();
      works.forEach((work, i) => {
        work.resolve(outcomes[i]);
      });
      return;
    }
    // The works that failed run alone: what they get then is their answer. The others go together again, once;
    // when the commit itself failed, whose work that was is unknown, and every work runs alone.
    const someFailed = failed.includes(true);
    const alone: SharedWork[] = [];
    const again: SharedWork[] = [];
    works.forEach((work, i) => {
      (someFailed && !failed[i] && !work.again ? again : alone).push(work);
    });
    for (const work of again) work.again = true;
    queue.unshift(...again);
    start();
    await Promise.all(alone.map((work) => runAlone(work.fn).then(work.resolve, work.reject)));
  }

  function start(): void {
    while (queue.length > 0 && open < MAX_OPEN) {
      const works = queue.splice(0, MAX_WORKS);
      open++;
      const run =
        works.length === 1
          ? runAlone(works[0]!.fn).then(works[0]!.resolve, works[0]!.reject)
          : runTogether(works);
      void run.finally(() => {
        open--;
        start();
      });
    }
  }

  return function transactionShared<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      // On the next turn of the event loop, so that everything asked for in this turn goes together.
      if (queue.length === 1) setImmediate(start);
    });
  };
}

const ROLL_BACK = new Error('A shared transaction is rolled back for its works to run alone');

interface GatheringRound {
  items: unknown[];
  callers: { from: number; count: number; resolve(answers: unknown[]): void; reject(error: unknown): void }[];
  run: (items: unknown[]) => Promise<unknown[]>;
}

/**
 * Where the works of a shared transaction meet to take their row locks in one global order: each brings its
 * items and waits; once every work still running has brought its own, one call runs them all, sorted, and each
 * work gets the answers to its own items. A work that ends without coming is not waited for.
 */
export class Gathering {
  #running: number;
  #round: GatheringRound | undefined;
  readonly #reads = new Map<string, Promise<unknown>>();

  constructor(works: number) {
    this.#running = works;
  }

  /** `run` is given every work's items (in the order they came) and answers each, in that order. */
  gather<I, A>(items: readonly I[], run: (all: I[]) => Promise<A[]>): Promise<A[]> {
    if (!this.#round) this.#round = { items: [], callers: [], run: run as GatheringRound['run'] };
    const round = this.#round;
    return new Promise<A[]>((resolve, reject) => {
      round.callers.push({
        from: round.items.length,
        count: items.length,
        resolve: resolve as (answers: unknown[]) => void,
        reject,
      });
      round.items.push(...items);
      this.#close();
    });
  }

  /** The answer of a read that every work makes alike (see `readOnce`), read once for them all. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let answer = this.#reads.get(key);
    if (!answer) {
      answer = read();
      this.#reads.set(key, answer);
    }
    return answer as Promise<T>;
  }

  /** A work has ended. */
  leave(): void {
    this.#running--;
    this.#close();
  }

  #close(): void {
    const round = this.#round;
    if (!round || round.callers.length < this.#running) return;
    this.#round = undefined;
    round.run(round.items).then(
      (answers) => {
        for (const caller of round.callers)
          caller.resolve(answers.slice(caller.from, caller.from + caller.count));
      },
      (error: unknown) => {
        for (const caller of round.callers) caller.reject(error);
      },
    );
  }
}

/**
 * A read that every work of a shared transaction makes alike, of rows none of them writes (the catalog's
 * generation, the day's load of each location): in a shared transaction, made once for all its works.
 */
export function readOnce<T>(db: Queryable, key: string, read: () => Promise<T>): Promise<T> {
  return db.gathering ? db.gathering.once(key, read) : read();
}
