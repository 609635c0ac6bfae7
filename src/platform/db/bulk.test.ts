import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINE } from '../../../test/helpers/database.js';
import { useMigratedDatabase } from '../../../test/helpers/migrated.js';
import { type BulkValue, copyField, copyLines, fieldOfCopy, insertInBulk, selectInBulk } from './bulk.js';
import { insertRows } from './prepared.js';

describe('COPY’s text format', () => {
  it('escapes what would end a value or a row, and says NULL as \\N', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(-12)).toBe('-12');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect([...copyLines({ items: [['x', 1, null]], values: (row) => row as BulkValue[] })]).toEqual([
      'x\t1\t\\N\n',
    ]);
  });

  it('reads back what it wrote, and COPY TO’s other escapes', () => {
    for (const value of ['a\tb\nc\rd\\e', '\\N', '上海静安店', ''])
      expect(fieldOfCopy(copyField(value))).toBe(value);
    expect(fieldOfCopy('\\N')).toBeNull();
    expect(fieldOfCopy('\\b\\f\\v\\q')).toBe('\b\f\vq');
  });
});

describe('bulk reads and writes', () => {
  const database = useMigratedDatabase();
  const now = '2026-01-01T00:00:00.000Z';
  const awkward = ['tab\there', 'line\nbreak', 'back\\slash', '\\N', '会员卡 ✓', null];

  const traitsRows = (from: number, to: number, card: (i: number) => BulkValue) =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return [`mem_${String(i).padStart(7, '0')}`, card(i), i % 9, now] as BulkValue[];
    });

  it('writes rows and reads them back in key order, every value as written, over several chunks', async () => {
    const rows = traitsRows(0, 120_000, (i) => (i < awkward.length ? awkward[i]! : `C${i}`));
    // Written in reverse: the read orders them by the key.
    await database().transaction((trx) =>
      insertInBulk(
        trx,
        ENGINE,
        'member_traits',
        ['member_id', 'card', 'order_count', 'updated_at'],
        [...rows].reverse(),
        (row) => row,
      ),
    );
    const read = await database().transaction((trx) =>
      selectInBulk(
        trx,
        ENGINE,
        {
          columns: ['member_id', 'card', 'order_count'],
          from: 'member_traits',
          where: 'order_count > 0',
          key: 'member_id',
        },
        (values) => values,
      ),
    );
    const expected = rows.filter((r) => Number(r[2]) > 0);
    expect(read.length).toBe(expected.length);
    expect(read.map(([id, card, count]) => [id, card, Number(count)])).toEqual(
      expected.map(([id, card, count]) => [id, card, count]),
    );
  });

  it('writes in the caller’s transaction: after its earlier inserts, and not at all when it rolls back', async () => {
    const before = await database()
      .db.selectFrom('member_traits')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      database().transaction(async (trx) => {
        // The other columns have their defaults (the generated row type asks for every one).
        await insertRows(trx, 'member_traits', [
          { member_id: 'mem_a_first', order_count: 1, updated_at: now } as never,
        ]);
        await insertInBulk(
          trx,
          ENGINE,
          'member_traits',
          ['member_id', 'order_count', 'updated_at'],
          [['mem_b_bulk', 2, now]],
          (row) => row,
        );
        const { rows } = await sql<{ member_id: string }>`select member_id from member_traits
          where member_id in ('mem_a_first', 'mem_b_bulk') order by member_id`.execute(trx);
        expect(rows.map((r) => r.member_id)).toEqual(['mem_a_first', 'mem_b_bulk']);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const after = await database()
      .db.selectFrom('member_traits')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('fails the transaction with the database’s own error when a row breaks a constraint', async () => {
    await expect(
      database().transaction((trx) =>
        insertInBulk(
          trx,
          ENGINE,
          'member_traits',
          ['member_id', 'order_count', 'updated_at'],
          [['mem_0000007', 1, now]],
          (row) => row,
        ),
      ),
    ).rejects.toMatchObject({ code: ENGINE === 'postgres' ? '23505' : 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    // The connection serves the next transaction.
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from member_traits where member_id = 'mem_0000007'`.execute(database().db);
    expect(Number(rows[0]!.n)).toBe(1);
  });
});
