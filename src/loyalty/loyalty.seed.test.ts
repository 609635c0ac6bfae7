import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.js';
import { seedCatalog } from '../catalog/index.js';
import { seedLocations } from '../locations/index.js';
import { demoPhone, seedMembers } from '../members/members.seed.js';
import { seedLoyalty } from './loyalty.seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
  await seedLocations(t.runtime.database);
  await seedCatalog(t.runtime.database);
  await seedMembers(t.runtime.database, TEST_SECRET);
});
afterAll(() => t.close());

describe('demo loyalty', () => {
  it('seeds tiers, rules, templates, balances, coupons and trials once', async () => {
    const first = await seedLoyalty(t.runtime.database);
    expect(first).toMatchObject({
      tiers: 4,
      rules: 1,
      couponTemplates: 6,
      pointsBalances: 40,
      coupons: 32,
      trials: 12,
    });
    expect(await seedLoyalty(t.runtime.database)).toEqual({});

    const member = (
      await t.request({ method: 'GET', url: `/v1/members/lookup?type=phone&value=${demoPhone(1)}` })
    ).json();
    expect(member.points.available).toBeGreaterThan(0);
    expect(member.coupons.map((c: { template: string }) => c.template).sort()).toEqual([
      'TRIAL50',
      'WELCOME20',
    ]);
    expect(member.experiences).toHaveLength(1);
    const tiers = await t.runtime.database.db
      .selectFrom('loyalty_member_tiers')
      .select(['tier', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('tier')
      .execute();
    expect(tiers.map((r) => r.tier).sort()).toEqual(['black_diamond', 'gold', 'silver']);
    const trial = (await t.request({ method: 'GET', url: '/v1/coupon-templates/TRIAL50' })).json();
    expect(trial).toMatchObject({ channels: ['online', 'mini_program'], issuableInStore: true });
  });
});
