import { describe, expect, it } from 'vitest';
import { ENGINE } from '../../test/helpers/database.js';
import { useMigratedDatabase } from '../../test/helpers/migrated.js';
import type { SegmentRule } from './segments.contract.js';
import { readMembers } from './segments.members.js';

// The per-member statement is built once per set of segments and then filled for each event: the windows must move
// with now, the constants stay, and every member of the chunk is hers, exactly as a statement built anew.

describe('re-evaluating some members against every segment', () => {
  const database = useMigratedDatabase();
  const at = '2026-03-01T10:00:00.000Z';

  const rules: SegmentRule[] = [
    { event: 'order.completed', within: 'P30D' },
    { trait: 'lastOrderAt', op: '>=', value: 'P30D' },
    { trait: 'lastOrderAt', op: '>=', value: '2026-02-01T00:00:00Z' },
    {
      all: [
        { trait: 'orderCount', op: '>=', value: 2 },
        { not: { event: 'order.completed', within: 'PT12H' } },
      ],
    },
    { event: 'order.completed', within: 'P60D', count: { op: '>=', value: 2 } },
    { any: [{ tag: 'vip' }, { trait: 'tier', op: '=', value: 'regular' }] },
    {
      sequence: {
        did: { event: 'order.completed' },
        thenNot: { event: 'order.completed', where: { channel: 'online' } },
        within: 'P7D',
      },
    },
  ];

  it('moves the windows with now and keeps each member apart, the same as a statement built anew', async () => {
    const db = database().db;
    for (const id of ['mem_t1', 'mem_t2', 'mem_t3'])
      await db
        .insertInto('members')
        .values({
          id,
          status: 'active',
          channel: 'pos',
          traits: '{}',
          created_at: at,
          updated_at: at,
        } as never)
        .execute();
    await db
      .insertInto('member_traits')
      .values([
        { member_id: 'mem_t1', last_order_at: at, order_count: 2, updated_at: at },
        { member_id: 'mem_t2', last_order_at: '2026-01-10T10:00:00.000Z', order_count: 1, updated_at: at },
      ] as never)
      .execute();
    await db
      .insertInto('member_activity')
      .values(
        ['2026-02-20T10:00:00.000Z', at].map((occurred_at, i) => ({
          member_id: 'mem_t1',
          type: 'order.completed',
          channel: 'pos',
          ref: `ord_t${i}`,
          occurred_at,
          received_at: occurred_at,
        })),
      )
      .execute();
    // No member has a tier row: everyone is in the base tier.
    const everyone = ['mem_t1', 'mem_t2', 'mem_t3'];
    const ctx = (now: string) => ({ engine: ENGINE, now: new Date(now), latestRuns: {} });
    const read = async (now: string) => {
      const { matched, stored } = await readMembers(
        db,
        rules,
        ctx(now),
        ['mem_t1', 'mem_t2', 'mem_t3'],
        ['seg_none'],
      );
      return { matched: matched.map((set) => [...set].sort()), stored: stored.map((set) => [...set]) };
    };
    // Six hours after her second order, then 40 days later (the same statement, other values).
    expect(await read('2026-03-01T16:00:00.000Z')).toEqual({
      // The week after her first order ended without an online order in it: the sequence holds for a week.
      matched: [['mem_t1'], ['mem_t1'], ['mem_t1'], [], ['mem_t1'], everyone, ['mem_t1']],
      stored: [[]],
    });
    expect(await read('2026-04-10T16:00:00.000Z')).toEqual({
      matched: [[], [], ['mem_t1'], ['mem_t1'], ['mem_t1'], everyone, []],
      stored: [[]],
    });
    expect(await read('2026-05-10T16:00:00.000Z')).toEqual({
      matched: [[], [], ['mem_t1'], ['mem_t1'], [], everyone, []],
      stored: [[]],
    });
  });
});
