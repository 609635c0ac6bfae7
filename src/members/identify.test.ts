import { describe, expect, it } from 'vitest';
import { channelOf } from '../../test/helpers/app.js';
import { identify, lookup, newPhone, setUpMembersApp, t, uid, view } from './members.testkit.js';

setUpMembersApp();

describe('identify: resolution', () => {
  it('creates a member for identifiers nobody holds, and finds it by any spelling of the phone', async () => {
    const national = newPhone();
    const first = await identify([{ type: 'phone', value: national, verified: true }]);
    expect(first.created).toBe(true);
    expect(first.memberId).toMatch(/^mem_/);
    const spaced = `+86 ${national.slice(0, 3)} ${national.slice(3, 7)} ${national.slice(7)}`;
    for (const spelling of [national, spaced, `0086${national}`, `+86-${national}`]) {
      const res = await lookup('phone', spelling);
      expect(res.statusCode, spelling).toBe(200);
      expect(res.json().id).toBe(first.memberId);
    }
    const again = await identify([{ type: 'phone', value: spaced }]);
    expect(again).toMatchObject({ memberId: first.memberId, created: false, mergedFrom: [] });
  });

  it('refuses garbage with 400 naming the field', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: {
        identifiers: [
          { type: 'phone', value: newPhone() },
          { type: 'phone', value: '12ab' },
          { type: 'email', value: 'not-an-email' },
          { type: 'openid', value: 'oAbcdef123' },
        ],
        channel: 'online',
      },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.code).toBe('MEMBER.INVALID_IDENTIFIER');
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual([
      'identifiers[1].value',
      'identifiers[2].value',
      'identifiers[3].value',
    ]);
    const unknownLookup = await lookup('phone', '12ab');
    expect(unknownLookup.statusCode).toBe(400);
    const nobody = await lookup('phone', newPhone());
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().code).toBe('MEMBER.NOT_FOUND');
  });

  it('attaches new identifiers to the one member that holds a known one', async () => {
    const phone = newPhone();
    const email = `${uid('Alice')}@Example.COM`;
    const a = await identify([{ type: 'phone', value: phone }]);
    const b = await identify([
      { type: 'phone', value: phone },
      { type: 'email', value: `  ${email} ` },
    ]);
    expect(b).toMatchObject({ memberId: a.memberId, created: false, mergedFrom: [] });
    const res = await lookup('email', email.toLowerCase());
    expect(res.json().id).toBe(a.memberId);
    expect(
      res
        .json()
        .identifiers.map((i: { type: string }) => i.type)
        .sort(),
    ).toEqual(['email', 'phone']);
  });

  it('keeps openids apart per app', async () => {
    const openid = uid('oOpen');
    const a = await identify([{ type: 'openid', value: openid, appId: 'wx_app_one' }]);
    const b = await identify([{ type: 'openid', value: openid, appId: 'wx_app_two' }]);
    expect(b.memberId).not.toBe(a.memberId);
    expect((await lookup('openid', openid, 'wx_app_two')).json().id).toBe(b.memberId);
  });

  it('merges two members into the oldest', async () => {
    const phone = newPhone();
    const unionid = uid('oUnion');
    const a = await identify([{ type: 'phone', value: phone, verified: true }]);
    const b = await identify([{ type: 'unionid', value: unionid }]);
    const merged = await identify([
      { type: 'unionid', value: unionid },
      { type: 'phone', value: phone, verified: true },
    ]);
    expect(merged).toMatchObject({ memberId: a.memberId, created: false, mergedFrom: [b.memberId] });
    expect((await lookup('unionid', unionid)).json().id).toBe(a.memberId);
    const old = await view(b.memberId);
    expect(old).toMatchObject({ id: a.memberId, requestedId: b.memberId });
    const merges = await t.request({ method: 'GET', url: `/v1/members/${a.memberId}/merges` });
    expect(merges.json().items).toEqual([
      expect.objectContaining({
        memberId: a.memberId,
        mergedFrom: b.memberId,
        reason: 'identify',
        undoneAt: null,
      }),
    ]);
  });

  it('merges three members at once', async () => {
    const phone = newPhone();
    const openid = uid('oMp');
    const email = `${uid('c')}@example.com`;
    const a = await identify([{ type: 'phone', value: phone }]);
    const b = await identify([{ type: 'openid', value: openid, appId: 'wx_mp' }]);
    const c = await identify([{ type: 'email', value: email }]);
    const merged = await identify([
      { type: 'email', value: email },
      { type: 'openid', value: openid, appId: 'wx_mp' },
      { type: 'phone', value: phone },
    ]);
    expect(merged.memberId).toBe(a.memberId);
    expect(merged.mergedFrom).toEqual([b.memberId, c.memberId]);
    expect((await view(a.memberId)).identifiers).toHaveLength(3);
  });

  it('never merges two members holding different verified phones: a review instead', async () => {
    const p1 = newPhone();
    const p2 = newPhone();
    const unionid = uid('oUnion');
    const a = await identify([
      { type: 'phone', value: p1, verified: true },
      { type: 'unionid', value: unionid },
    ]);
    const b = await identify([{ type: 'phone', value: p2, verified: true }]);
    const openid = uid('oMp');
    const result = await identify([
      { type: 'phone', value: p2, verified: true },
      { type: 'unionid', value: unionid },
      { type: 'openid', value: openid, appId: 'wx_mp' },
    ]);
    expect(result.mergedFrom).toEqual([]);
    expect(result.memberId).toBe(a.memberId);
    expect(result.review).toEqual({ id: expect.stringMatching(/^idr_/), reason: 'conflicting_phone' });
    expect((await lookup('phone', p2)).json().id).toBe(b.memberId);
    // The same conflict seen again is the same review.
    const again = await identify([
      { type: 'phone', value: p2, verified: true },
      { type: 'unionid', value: unionid },
    ]);
    expect(again.review?.id).toBe(result.review?.id);

    const pending = await t.request({ method: 'GET', url: '/v1/identity/reviews?status=pending' });
    const review = pending.json().items.find((r: { id: string }) => r.id === result.review?.id);
    expect(review).toMatchObject({ status: 'pending', memberIds: [a.memberId, b.memberId] });

    const decided = await t.request({
      method: 'POST',
      url: `/v1/identity/reviews/${result.review?.id}/merge`,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'merged', mergeIds: [expect.stringMatching(/^mrg_/)] });
    expect((await lookup('phone', p2)).json().id).toBe(a.memberId);
    const twice = await t.request({
      method: 'POST',
      url: `/v1/identity/reviews/${result.review?.id}/reject`,
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('MEMBER.REVIEW_DECIDED');
  });

  it('holds back a second unionid for a member instead of attaching it; reject drops it', async () => {
    const phone = newPhone();
    const u1 = uid('oUnion');
    const u2 = uid('oUnion');
    const a = await identify([
      { type: 'phone', value: phone, verified: true },
      { type: 'unionid', value: u1 },
    ]);
    const result = await identify([
      { type: 'phone', value: phone, verified: true },
      { type: 'unionid', value: u2 },
    ]);
    expect(result.memberId).toBe(a.memberId);
    expect(result.review?.reason).toBe('conflicting_unionid');
    expect((await lookup('unionid', u2)).statusCode).toBe(404);
    const reviews = (await t.request({ method: 'GET', url: '/v1/identity/reviews' })).json().items;
    const review = reviews.find((r: { id: string }) => r.id === result.review?.id);
    expect(review.identifiers).toEqual([
      { type: 'unionid', appId: '', masked: expect.stringContaining('***') },
    ]);
    const rejected = await t.request({ method: 'POST', url: `/v1/identity/reviews/${review.id}/reject` });
    expect(rejected.json().status).toBe('rejected');
    expect((await lookup('unionid', u2)).statusCode).toBe(404);

    // The same case again, and this time a person says it is the same customer: the unionid is attached.
    const second = await identify([
      { type: 'phone', value: phone, verified: true },
      { type: 'unionid', value: u2 },
    ]);
    expect(second.review?.id).not.toBe(review.id);
    await t.request({ method: 'POST', url: `/v1/identity/reviews/${second.review?.id}/merge` });
    expect((await lookup('unionid', u2)).json().id).toBe(a.memberId);
  });

  it('ignores junk and blocklisted values instead of merging strangers through them', async () => {
    const a = await identify([
      { type: 'phone', value: newPhone() },
      { type: 'phone', value: '00000000000' },
      { type: 'openid', value: 'undefined', appId: 'wx_mp' },
    ]);
    const b = await identify([
      { type: 'phone', value: newPhone() },
      { type: 'phone', value: '000 0000 0000' },
      { type: 'openid', value: 'undefined', appId: 'wx_mp' },
    ]);
    expect(b.memberId).not.toBe(a.memberId);
    expect(b.ignored).toEqual([
      { type: 'phone', appId: '', reason: 'blocklisted' },
      { type: 'openid', appId: 'wx_mp', reason: 'blocklisted' },
    ]);
    expect((await lookup('phone', '00000000000')).statusCode).toBe(404);

    const ipad = uid('ipad-counter');
    const blocked = await t.request({
      method: 'POST',
      url: '/v1/identity/blocklist',
      body: { type: 'device', value: ipad, reason: 'shared counter iPad' },
    });
    expect(blocked.statusCode, blocked.body).toBe(201);
    const c = await identify([
      { type: 'phone', value: newPhone() },
      { type: 'device', value: ipad },
    ]);
    const d = await identify([
      { type: 'phone', value: newPhone() },
      { type: 'device', value: ipad },
    ]);
    expect(d.memberId).not.toBe(c.memberId);
    expect(d.ignored).toEqual([{ type: 'device', appId: '', reason: 'blocklisted' }]);
    const onlyJunk = await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'device', value: ipad }], channel: 'pos' },
    });
    expect(onlyJunk.statusCode).toBe(400);
  });

  it('enforces per-type limits on attach and on merge', async () => {
    const phone = newPhone();
    const devices = [uid('dev'), uid('dev'), uid('dev'), uid('dev')];
    const a = await identify([
      { type: 'phone', value: phone },
      ...devices.slice(0, 3).map((value) => ({ type: 'device', value })),
    ]);
    const more = await identify([
      { type: 'phone', value: phone },
      { type: 'device', value: devices[3]! },
    ]);
    expect(more.memberId).toBe(a.memberId);
    expect(more.ignored).toEqual([{ type: 'device', appId: '', reason: 'limit_reached' }]);
    expect((await lookup('device', devices[3]!)).statusCode).toBe(404);

    // Two members with two devices each: merging would give one person four devices — a shared device, not a person.
    const x = await identify([
      { type: 'device', value: uid('dev') },
      { type: 'device', value: uid('devx') },
    ]);
    const xView = await view(x.memberId);
    const y = await identify([
      { type: 'device', value: uid('dev') },
      { type: 'device', value: uid('devy') },
    ]);
    const yView = await view(y.memberId);
    const result = await identify([
      { type: 'device', value: xView.identifiers[0].value },
      { type: 'device', value: yView.identifiers[0].value },
    ]);
    expect(result.mergedFrom).toEqual([]);
    expect(result.review?.reason).toBe('too_many_device');
  });
});

describe('identify: concurrency', () => {
  it('20 concurrent requests carrying the same new phone create one member', async () => {
    const phone = newPhone();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/v1/identify',
          body: {
            identifiers: [
              { type: 'phone', value: phone, verified: true },
              { type: 'openid', value: `oConc_${phone}_${i % 5}`, appId: 'wx_mp' },
            ],
            channel: 'mini_program',
          },
        }),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const ids = new Set(results.map((r) => r.json().memberId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.json().created)).toHaveLength(1);
    const member = (await lookup('phone', phone)).json();
    expect(member.identifiers).toHaveLength(6);
    const count = await t.runtime.database.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', [...ids])
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });
});

describe('who may identify', () => {
  it("a channel app identifies for its own channel only; a guide's view is masked", async () => {
    const phone = newPhone();
    const own = await t.request({
      method: 'POST',
      url: '/v1/identify',
      as: channelOf('mini_program'),
      body: { identifiers: [{ type: 'phone', value: phone }], channel: 'mini_program' },
    });
    expect(own.statusCode).toBe(200);
    const other = await t.request({
      method: 'POST',
      url: '/v1/identify',
      as: channelOf('mini_program'),
      body: { identifiers: [{ type: 'phone', value: phone }], channel: 'pos' },
    });
    expect(other.statusCode).toBe(403);
  });
});
