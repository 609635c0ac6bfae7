import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/database.js';
import { type Database, migrateToLatest, openDatabase } from '../platform/db/index.js';
import { type RfmInput, scoreRfm } from './rfm.rules.js';
import { insertQuintileScores, traitsPopulation } from './rfm.sql.js';

// The quintile scheme in SQL gives exactly the scores of rfm.rules.ts (the specification, proven against pandas):
// random populations with shared values, numeric cards with leading zeros, text cards and none, tiny populations —
// on the engine under test.

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = openDatabase(testDb.target);
  await migrateToLatest(database.db);
});
afterAll(async () => {
  await database.close();
  await testDb.drop();
});

const ASOF = '2025-12-31T00:00:00.000Z';
const card = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 999 }).map((n) => String(n)),
  fc.integer({ min: 0, max: 99 }).map((n) => `00${n}`),
  fc.constantFrom('A-1', 'B-22', 'CARD-9', 'Z'),
);
const member = fc.record({
  card,
  // Whole days and odd milliseconds: recency floors across midnight the way the rules do.
  lastMs: fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse(ASOF) }),
  frequency: fc.integer({ min: 1, max: 4 }),
  total: fc.integer({ min: 1, max: 5 }).map((n) => n * 1000),
});

describe('quintiles in SQL', () => {
  it('score as the rules do, whatever the population', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(member, { minLength: 1, maxLength: 40 }),
        fc.constantFrom('total' as const, 'average' as const),
        async (people, monetary) => {
          run++;
          const inputs: RfmInput[] = people.map((p, i) => ({
            memberId: `mem_${String(i).padStart(3, '0')}_${run}`,
            card: p.card,
            lastPurchaseAt: new Date(p.lastMs).toISOString(),
            frequency: p.frequency,
            monetaryTotal: p.total,
          }));
          const runId = `run_${run}`;
          await database.transaction(async (trx) => {
            await trx.deleteFrom('member_traits').execute();
            await trx
              .insertInto('member_traits')
              .values(
                inputs.map((m) => ({
                  member_id: m.memberId,
                  card: m.card,
                  first_order_at: m.lastPurchaseAt,
                  last_order_at: m.lastPurchaseAt,
                  order_count: m.frequency,
                  spend: m.monetaryTotal,
                  spend_365: 0,
                  average_order: 0,
                  units_bought: 1,
                  units_returned: 0,
                  returned_amount: 0,
                  return_rate: 0,
                  channels: '[]',
                  stores: '[]',
                  top_categories: '[]',
                  home_store: null,
                  city: null,
                  trial_count: 0,
                  last_trial_at: null,
                  last_seen_at: null,
                  updated_at: ASOF,
                })),
              )
              .execute();
            await insertQuintileScores(trx, database.engine, runId, traitsPopulation(), ASOF, monetary);
          });
          const stored = await database.db
            .selectFrom('rfm_scores')
            .selectAll()
            .where('run_id', '=', runId)
            .orderBy('member_id')
            .execute();
          const expected = scoreRfm(inputs, { scheme: 'quintile', asOf: ASOF, monetary })
            .map((s) => ({
              member_id: s.memberId,
              recency: s.recency,
              frequency: s.frequency,
              monetary: s.monetary,
              r_score: s.rScore,
              f_score: s.fScore,
              m_score: s.mScore,
              segment: s.segment,
            }))
            .sort((a, b) => (a.member_id < b.member_id ? -1 : 1));
          expect(
            stored.map(({ run_id: _, ...s }) => ({
              ...s,
              recency: Number(s.recency),
              frequency: Number(s.frequency),
              monetary: Number(s.monetary),
              r_score: Number(s.r_score),
              f_score: Number(s.f_score),
              m_score: Number(s.m_score),
            })),
          ).toEqual(expected);
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  });
});
