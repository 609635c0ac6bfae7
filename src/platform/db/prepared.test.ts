import { describe, expect, it } from 'vitest';
import { useMigratedDatabase } from '../../../test/helpers/migrated.js';
import { FAST_PATHS, type Trx } from './index.js';
import { insertRows, runPrepared } from './prepared.js';

// The prepared paths must write and read exactly what Kysely's own builders would, on either engine.
describe('prepared queries', () => {
  const database = useMigratedDatabase();

  const level = (sku: string, onHand: number, quarantined?: number) => ({
    sku,
    location: 'WH',
    on_hand: onHand,
    reserved: 0,
    safety_stock: 0,
    in_transit: 0,
    updated_at: '2026-11-23T00:00:00.000Z',
    quarantined,
  });

  const levels = (skus: string[]) =>
    database()
      .db.selectFrom('stock_levels')
      .select(['sku', 'on_hand', 'quarantined'])
      .where('sku', 'in', skus)
      .orderBy('sku')
      .execute();

  it('inserts rows of one shape in one statement, for any number of rows', async () => {
    await insertRows(database().db, 'stock_levels', [level('P-1', 1)]);
    await insertRows(database().db, 'stock_levels', [level('P-2', 2), level('P-3', 3)]);
    await insertRows(database().db, 'stock_levels', [level('P-4', 4)]);
    expect((await levels(['P-1', 'P-2', 'P-3', 'P-4'])).map((l) => [l.sku, Number(l.on_hand)])).toEqual([
      ['P-1', 1],
      ['P-2', 2],
      ['P-3', 3],
      ['P-4', 4],
    ]);
  });

  it("writes a batch larger than one statement's bind limit in several, all of it", async () => {
    // 8 columns × 12,000 rows = 96,000 values: over both SQLite's (32,766) and PostgreSQL's (65,535) limits.
    const skus = Array.from({ length: 12_000 }, (_, i) => `BIG-${String(i).padStart(5, '0')}`);
    await database().transaction((trx) =>
      insertRows(
        trx,
        'stock_levels',
        skus.map((sku, i) => level(sku, i, 0)),
      ),
    );
    const written = await database()
      .db.selectFrom('stock_levels')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('on_hand').as('total')])
      .where('sku', 'like', 'BIG-%')
      .executeTakeFirstOrThrow();
    expect([Number(written.n), Number(written.total)]).toEqual([12_000, (11_999 * 12_000) / 2]);
  });

  it('leaves a column set to undefined to its default', async () => {
    await insertRows(database().db, 'stock_levels', [level('Q-1', 5)]);
    await insertRows(database().db, 'stock_levels', [level('Q-2', 6, 3), level('Q-3', 7, 1)]);
    expect((await levels(['Q-1', 'Q-2', 'Q-3'])).map((l) => [l.sku, Number(l.quarantined)])).toEqual([
      ['Q-1', 0],
      ['Q-2', 3],
      ['Q-3', 1],
    ]);
  });

  it('skips a clashing row when asked to', async () => {
    const job = (id: string, key: string) => ({
      id,
      kind: 'test.prepared',
      key,
      payload: '{}',
      state: 'pending' as const,
      run_at: '2099-01-01T00:00:00.000Z',
      attempts: 0,
      max_attempts: 1,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: '2026-11-23T00:00:00.000Z',
      updated_at: '2026-11-23T00:00:00.000Z',
    });
    await insertRows(database().db, 'jobs', [job('job-a', 'prepared-1')], { onConflictDoNothing: 'key' });
    await insertRows(database().db, 'jobs', [job('job-b', 'prepared-1'), job('job-c', 'prepared-2')], {
      onConflictDoNothing: 'key',
    });
    const rows = await database()
      .db.selectFrom('jobs')
      .select(['id', 'key'])
      .where('kind', '=', 'test.prepared')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: 'job-a', key: 'prepared-1' },
      { id: 'job-c', key: 'prepared-2' },
    ]);
  });

  it('runs a prepared query with each call’s parameters', async () => {
    const read = (sku: string) =>
      runPrepared(database().db, 'test.levelBySku', [sku], () =>
        database().db.selectFrom('stock_levels').select(['sku', 'on_hand']).where('sku', '=', sku),
      );
    expect((await read('P-2')).rows.map((r) => Number(r.on_hand))).toEqual([2]);
    expect((await read('P-4')).rows.map((r) => Number(r.on_hand))).toEqual([4]);
  });

  it('gives the same answers inside a transaction, and a failed one leaves nothing behind', async () => {
    // On SQLite the group commit runs a transaction's prepared statements straight on its connection; two
    // transactions asked for together share one batch, and the one that fails is rolled back alone.
    const bump = (trx: Trx, sku: string) =>
      runPrepared(trx, 'test.bump', [10, sku], () =>
        trx
          .updateTable('stock_levels')
          .set((eb) => ({ on_hand: eb('on_hand', '+', 10) }))
          .where('sku', '=', sku)
          .returning(['sku', 'on_hand']),
      );
    const [kept, failed] = await Promise.allSettled([
      database().transaction(async (trx) => {
        await insertRows(trx, 'stock_levels', [level('T-1', 1)]);
        const updated = await bump(trx, 'T-1');
        const missed = await runPrepared(trx, 'test.touch', [0, 'T-none'], () =>
          trx.updateTable('stock_levels').set({ safety_stock: 0 }).where('sku', '=', 'T-none'),
        );
        return { rows: updated.rows, missed: missed.numAffectedRows };
      }),
      database().transaction(async (trx) => {
        await insertRows(trx, 'stock_levels', [level('T-2', 2)]);
        await bump(trx, 'T-2');
        throw new Error('rolled back');
      }),
    ]);
    expect(kept).toEqual({
      status: 'fulfilled',
      value: { rows: [{ sku: 'T-1', on_hand: 11 }], missed: 0n },
    });
    expect(failed).toMatchObject({ status: 'rejected', reason: new Error('rolled back') });
    expect((await levels(['T-1', 'T-2'])).map((l) => [l.sku, Number(l.on_hand)])).toEqual([['T-1', 11]]);
  });

  // The check guards the compiled texts' cache: with the fast paths off the builder runs as it is.
  it.skipIf(!FAST_PATHS)(
    'refuses a shape whose builder does not take the parameters given, in their order',
    async () => {
      await expect(
        runPrepared(database().db, 'test.wrongOrder', ['WH', 'P-1'], () =>
          database()
            .db.selectFrom('stock_levels')
            .select('sku')
            .where('sku', '=', 'P-1')
            .where('location', '=', 'WH'),
        ),
      ).rejects.toThrow(/parameters differ/);
    },
  );
});
