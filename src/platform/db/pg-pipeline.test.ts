import { describe, expect, it } from 'vitest';
import { ENGINE } from '../../../test/helpers/database.js';
import { useMigratedDatabase } from '../../../test/helpers/migrated.js';
import { FAST_PATHS } from './fast-paths.js';
import { combineInserts, type PipelinedConnection } from './pg-pipeline.js';
import { insertRows } from './prepared.js';

describe('inserts combined into one statement', () => {
  it('renumbers each insert’s placeholders after the ones before it', () => {
    expect(
      combineInserts([
        { text: 'insert into "a" ("x", "y") values ($1, $2)', values: [1, 2] },
        { text: 'insert into "b" ("x") values ($1), ($2)', values: [3, 4] },
        { text: 'insert into "c" ("x") values ($1) on conflict ("x") do nothing', values: [5] },
      ]),
    ).toEqual({
      text: 'with i1 as (insert into "a" ("x", "y") values ($1, $2)), i2 as (insert into "b" ("x") values ($3), ($4)) insert into "c" ("x") values ($5) on conflict ("x") do nothing',
      values: [1, 2, 3, 4, 5],
    });
  });

  it('makes the inserts of one shape one multi-row insert, and keeps a conflict clause to its own shape', () => {
    expect(
      combineInserts([
        { text: 'insert into "a" ("x", "y") values ($1, $2)', values: [1, 2] },
        { text: 'insert into "b" ("x") values ($1)', values: [3] },
        { text: 'insert into "a" ("x", "y") values ($1, $2), ($3, $4)', values: [5, 6, 7, 8] },
        { text: 'insert into "b" ("x") values ($1) on conflict ("x") do nothing', values: [9] },
      ]),
    ).toEqual({
      text: 'with i1 as (insert into "a" ("x", "y") values ($1, $2), ($3, $4), ($5, $6)), i2 as (insert into "b" ("x") values ($7)) insert into "b" ("x") values ($8) on conflict ("x") do nothing',
      values: [1, 2, 5, 6, 7, 8, 3, 9],
    });
    expect(
      combineInserts([
        { text: 'insert into "a" ("x") values ($1)', values: [1] },
        { text: 'insert into "a" ("x") values ($1)', values: [2] },
      ]),
    ).toEqual({ text: 'insert into "a" ("x") values ($1), ($2)', values: [1, 2] });
  });
});

// PostgreSQL only: SQLite's statements are calls in this process, with no round trip to save.
describe.skipIf(ENGINE !== 'postgres')(
  'a PostgreSQL transaction’s inserts, sent with its next statement',
  () => {
    const database = useMigratedDatabase();

    const level = (sku: string, location: string, onHand: number) => ({
      sku,
      location,
      on_hand: onHand,
      reserved: 0,
      safety_stock: 0,
      in_transit: 0,
      updated_at: '2026-12-02T00:00:00.000Z',
    });
    const onHand = async (sku: string) =>
      (
        await database()
          .db.selectFrom('stock_levels')
          .select(['location', 'on_hand'])
          .where('sku', '=', sku)
          .orderBy('location')
          .execute()
      ).map((row) => [row.location, Number(row.on_hand)]);

    it('are all there for the statement after them and after the commit, in the same transaction', async () => {
      const seen = await database().transaction(async (trx) => {
        await insertRows(trx, 'stock_levels', [level('PG-A', 'L1', 1), level('PG-A', 'L2', 2)]);
        await insertRows(trx, 'stock_levels', [level('PG-A', 'L3', 3)]);
        await insertRows(trx, 'order_timeline', [
          {
            order_id: 'ord_pg',
            at: '2026-12-02T00:00:00.000Z',
            kind: 'status',
            from_status: null,
            to_status: 'paid',
            message: 'm',
            actor: null,
            data: null,
            code: 'order.paid',
            params: '{}',
          },
        ]);
        return (await trx.selectFrom('stock_levels').select('location').where('sku', '=', 'PG-A').execute())
          .length;
      });
      expect(seen).toBe(3);
      // Inserts last in a transaction go with its commit.
      await database().transaction(async (trx) => {
        await insertRows(trx, 'stock_levels', [level('PG-A', 'L4', 4)]);
        await insertRows(trx, 'stock_levels', [level('PG-A', 'L5', 5)]);
      });
      expect(await onHand('PG-A')).toEqual([
        ['L1', 1],
        ['L2', 2],
        ['L3', 3],
        ['L4', 4],
        ['L5', 5],
      ]);
    });

    it('fail the statement that carries them with their own error, and leave nothing behind', async () => {
      await insertRows(database().db, 'stock_levels', [level('PG-B', 'L1', 1)]);
      // The clash surfaces at the next statement, as the unique violation it is.
      await expect(
        database().transaction(async (trx) => {
          await insertRows(trx, 'stock_levels', [level('PG-B', 'L2', 2)]);
          await insertRows(trx, 'stock_levels', [level('PG-B', 'L1', 9)]);
          await trx.selectFrom('stock_levels').select('sku').execute();
        }),
      ).rejects.toMatchObject({ code: '23505' });
      // …or at the commit, when nothing follows them.
      await expect(
        database().transaction(async (trx) => {
          await insertRows(trx, 'stock_levels', [level('PG-B', 'L3', 3)]);
          await insertRows(trx, 'stock_levels', [level('PG-B', 'L1', 9)]);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      // A check constraint too (on hand may not be negative).
      await expect(
        database().transaction(async (trx) => {
          await insertRows(trx, 'stock_levels', [level('PG-B', 'L4', -1)]);
        }),
      ).rejects.toMatchObject({ code: '23514' });
      expect(await onHand('PG-B')).toEqual([['L1', 1]]);
      // The connections are fine afterwards.
      await database().transaction((trx) => insertRows(trx, 'stock_levels', [level('PG-B', 'L5', 5)]));
      expect(await onHand('PG-B')).toEqual([
        ['L1', 1],
        ['L5', 5],
      ]);
    });

    it('are dropped by a rollback, and run at once outside a transaction', async () => {
      await expect(
        database().transaction(async (trx) => {
          await insertRows(trx, 'stock_levels', [level('PG-C', 'L1', 1)]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await onHand('PG-C')).toEqual([]);
      await insertRows(database().db, 'stock_levels', [level('PG-C', 'L2', 2)]);
      expect(await onHand('PG-C')).toEqual([['L2', 2]]);
    });

    // With the fast paths off a transaction has no pipelined connection.
    it.skipIf(!FAST_PATHS)(
      'send statements that do not wait on each other at once, each answered in turn, until the end',
      async () => {
        let kept: PipelinedConnection | undefined;
        const answers = await database().transaction(async (trx) => {
          kept = trx.pipeline;
          const pipeline = kept!;
          return Promise.all(
            Array.from({ length: 30 }, (_, i) =>
              pipeline.execute<{ n: number }>('select $1::int as n', [i]).then(({ rows }) => rows[0]!.n),
            ),
          );
        });
        expect(answers).toEqual(Array.from({ length: 30 }, (_, i) => i));
        // The connection went back to the pool with the commit: the transaction's hold on it is gone.
        await expect(kept!.execute('select 1', [])).rejects.toThrow('has ended');
      },
    );

    it('answer the same insert run through Kysely at once, with what it did', async () => {
      const row = { name: 'pg-e', position: 1, updated_at: 'x' };
      const inserted = await database().transaction(async (trx) => {
        // insertRows' own insert may wait for the next statement; the same text from Kysely, whose answer is read
        // (a code taken or not), must not.
        await insertRows(trx, 'event_consumers', [row], { onConflictDoNothing: 'name' });
        const again = await trx
          .insertInto('event_consumers')
          .values(row)
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        return Number(again.numInsertedOrUpdatedRows ?? 0n);
      });
      expect(inserted).toBe(0);
    });

    it('let an insert that skips conflicts see an earlier one into the same table', async () => {
      await database().transaction(async (trx) => {
        await insertRows(trx, 'event_consumers', [{ name: 'pg-d', position: 1, updated_at: 'x' }]);
        await insertRows(trx, 'event_consumers', [{ name: 'pg-d', position: 2, updated_at: 'y' }], {
          onConflictDoNothing: 'name',
        });
      });
      const row = await database()
        .db.selectFrom('event_consumers')
        .select('position')
        .where('name', '=', 'pg-d')
        .executeTakeFirstOrThrow();
      expect(Number(row.position)).toBe(1);
    });
  },
);
