import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.js';
import { createUser } from '../platform/auth/users.service.js';
import { DEMO_MEMBER_COUNT, demoPhone, seedMembers } from './members.seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
  await t.runtime.database.transaction((trx) =>
    createUser(trx, { username: 'sh01.guide', password: 'password-1', role: 'guide', storeCode: 'SH01' }),
  );
});
afterAll(() => t.close());

describe('demo members', () => {
  it('seeds members across channels once, with a merge and a pending review', async () => {
    const first = await seedMembers(t.runtime.database, TEST_SECRET);
    expect(first).toEqual({ members: DEMO_MEMBER_COUNT + 1, identityReviews: 1 });
    expect(await seedMembers(t.runtime.database, TEST_SECRET)).toEqual({});

    const member = await t.request({
      method: 'GET',
      url: `/v1/members/lookup?type=phone&value=${demoPhone(1)}`,
    });
    expect(member.statusCode).toBe(200);
    expect(
      member
        .json()
        .identifiers.map((i: { type: string }) => i.type)
        .sort(),
    ).toEqual(['openid', 'phone', 'unionid']);
    const reviews = (await t.request({ method: 'GET', url: '/v1/identity/reviews?status=pending' })).json()
      .items;
    expect(reviews).toHaveLength(1);
    const merged = await t.request({
      method: 'GET',
      url: `/v1/members/lookup?type=phone&value=${demoPhone(11)}`,
    });
    expect(merged.json().identifiers).toHaveLength(4);
    const list = await t.request({ method: 'GET', url: '/v1/members?limit=200' });
    expect(list.json().items).toHaveLength(DEMO_MEMBER_COUNT);
  });
});
