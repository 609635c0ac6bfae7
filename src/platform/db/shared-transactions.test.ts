import { describe, expect, it } from 'vitest';
import { ENGINE } from '../../../test/helpers/database.js';
import { useMigratedDatabase } from '../../../test/helpers/migrated.js';
import type { Trx } from './database.js';
import { FAST_PATHS } from './fast-paths.js';
import { insertRows, runPrepared } from './prepared.js';
import { Gathering, readOnce } from './shared-transactions.js';

describe('a gathering of the works of a shared transaction', () => {
  it('runs every work’s items once, all together, and gives each work the answers to its own', async () => {
    const gathering = new Gathering(3);
    const runs: string[][] = [];
    const run = async (all: string[]) => {
      runs.push(all);
      return all.map((item) => item.toUpperCase());
    };
    const answers = Promise.all([
      gathering.gather(['b', 'a'], run),
      gathering.gather(['c'], run),
      gathering.gather(['e', 'd'], run),
    ]);
    expect(await answers).toEqual([['B', 'A'], ['C'], ['E', 'D']]);
    expect(runs).toEqual([['b', 'a', 'c', 'e', 'd']]);
  });

  it('does not wait for a work that ended without coming, and meets again for a later round', async () => {
    const gathering = new Gathering(3);
    const run = async (all: number[]) => all.map((n) => n * 10);
    const first = gathering.gather([1], run);
    const second = gathering.gather([2], run);
    gathering.leave();
    expect(await Promise.all([first, second])).toEqual([[10], [20]]);
    // A second round: one work has ended, the other is still running and must come or end.
    const again = gathering.gather([3], run);
    let answered = false;
    void again.then(() => {
      answered = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    gathering.leave();
    expect(await again).toEqual([30]);
  });

  it('gives every work the failure of the run', async () => {
    const gathering = new Gathering(2);
    const run = async () => {
      throw new Error('the database went away');
    };
    const results = await Promise.allSettled([gathering.gather([1], run), gathering.gather([2], run)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('reads what every work reads alike once', async () => {
    const gathering = new Gathering(2);
    let reads = 0;
    const read = async () => ++reads;
    expect(await Promise.all([gathering.once('g', read), gathering.once('g', read)])).toEqual([1, 1]);
    expect(reads).toBe(1);
  });
});

describe('work in shared transactions', () => {
  const database = useMigratedDatabase();

  const consumer = (name: string, position: number) => ({ name, position, updated_at: 'x' });
  const positions = async (prefix: string) =>
    (
      await database()
        .db.selectFrom('event_consumers')
        .select(['name', 'position'])
        .where('name', 'like', `${prefix}%`)
        .orderBy('name')
        .execute()
    ).map((row) => [row.name, Number(row.position)]);

  it('asked for together commits together, and each caller gets its own answer', async () => {
    let commits = 0;
    const stop = database().onCommit(() => commits++);
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          database().transactionShared(async (trx) => {
            await insertRows(trx, 'event_consumers', [consumer(`a-${String(i).padStart(2, '0')}`, i)]);
            return i * 2;
          }),
        ),
      );
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    } finally {
      stop();
    }
    expect(await positions('a-')).toHaveLength(20);
    // Far fewer commits than works (SQLite's group commit shares them as well); one each with the fast paths off.
    if (FAST_PATHS) expect(commits).toBeLessThan(10);
    else expect(commits).toBe(20);
  });

  it('that fails fails alone: its caller gets its error, nothing of it is written, the others commit', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        database().transactionShared(async (trx) => {
          await insertRows(trx, 'event_consumers', [consumer(`b-${i}`, i)]);
          if (i === 4) throw new Error('out of stock');
          return i;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
    );
    expect((results[4] as PromiseRejectedResult).reason).toMatchObject({ message: 'out of stock' });
    expect((await positions('b-')).map(([name]) => name)).toEqual([
      'b-0',
      'b-1',
      'b-2',
      'b-3',
      'b-5',
      'b-6',
      'b-7',
      'b-8',
      'b-9',
    ]);
  });

  it('that clashes with another of its transaction on a unique key gets the clash, as it would alone', async () => {
    const results = await Promise.allSettled(
      [1, 2, 3].map((position) =>
        database().transactionShared((trx) =>
          insertRows(trx, 'event_consumers', [consumer('c-same', position)]),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected'))
      expect((result as PromiseRejectedResult).reason).toMatchObject(
        ENGINE === 'postgres' ? { code: '23505' } : { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' },
      );
    expect(await positions('c-')).toHaveLength(1);
  });

  it('sends its reads together and gets each its own answer; a read all make alike is made once', async () => {
    const select = (trx: Trx, name: string) =>
      runPrepared(trx, 'shared.test.position', [name], () =>
        trx.selectFrom('event_consumers').select('position').where('name', '=', name),
      ).then(({ rows }) => Number(rows[0]?.position));
    let alike = 0;
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        database().transactionShared(async (trx) => {
          const [own, shared] = await Promise.all([
            select(trx, `a-${String(i).padStart(2, '0')}`),
            readOnce(trx, 'shared.test', async () => {
              alike++;
              return select(trx, 'a-19');
            }),
          ]);
          return [own, shared];
        }),
      ),
    );
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => [i, 19]));
    // Once per shared transaction on PostgreSQL; SQLite's transactions read it each.
    if (ENGINE === 'postgres' && FAST_PATHS) expect(alike).toBeLessThan(12);
  });
});
