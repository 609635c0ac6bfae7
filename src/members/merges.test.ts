import { describe, expect, it } from 'vitest';
import { identify, lookup, newPhone, setUpMembersApp, t, uid, view } from './members.testkit.js';

setUpMembersApp();

describe('unmerge', () => {
  it('restores both members exactly as before, with every re-pointed row', async () => {
    const phone = newPhone();
    const unionid = uid('oUnion');
    const a = await identify([{ type: 'phone', value: phone, verified: true }], {
      traits: { name: '林静', skinType: 'dry' },
    });
    const b = await identify([{ type: 'unionid', value: unionid }], {
      traits: { name: '林小静', birthday: '1990-05-12', gender: 'female' },
    });
    const consent = await t.request({
      method: 'PUT',
      url: `/v1/members/${b.memberId}/consents/marketing`,
      body: { granted: true, channel: 'mini_program', source: '小程序授权弹窗' },
    });
    expect(consent.statusCode).toBe(200);
    const guide = await t.request({
      method: 'PUT',
      url: `/v1/members/${b.memberId}/guide`,
      body: { guide: 'sh01.guide', store: 'SH01' },
    });
    expect(guide.statusCode, guide.body).toBe(200);
    await t.request({
      method: 'PUT',
      url: `/v1/members/${a.memberId}/consents/personalization`,
      body: { granted: true, channel: 'online' },
    });
    const strip = ({ updatedAt: _u, ...rest }: Record<string, unknown>) => rest;
    const beforeA = strip(await view(a.memberId));
    const beforeB = strip(await view(b.memberId));

    const merged = await identify([
      { type: 'phone', value: phone, verified: true },
      { type: 'unionid', value: unionid },
    ]);
    expect(merged.mergedFrom).toEqual([b.memberId]);
    const during = await view(a.memberId);
    expect(during.identifiers).toHaveLength(2);
    expect(during.traits).toEqual({
      name: '林静',
      skinType: 'dry',
      birthday: '1990-05-12',
      gender: 'female',
    });
    expect(during.guide).toMatchObject({ guide: 'sh01.guide', store: 'SH01' });
    expect(during.consents.find((c: { purpose: string }) => c.purpose === 'marketing').granted).toBe(true);

    // Written after the merge: stays with the surviving member.
    const email = `${uid('after')}@example.com`;
    await identify([
      { type: 'phone', value: phone },
      { type: 'email', value: email },
    ]);

    const mergeId = (await t.request({ method: 'GET', url: `/v1/members/${a.memberId}/merges` })).json()
      .items[0].id;
    const undo = await t.request({
      method: 'POST',
      url: `/v1/members/${a.memberId}/unmerge`,
      body: { mergeId },
    });
    expect(undo.statusCode, undo.body).toBe(200);
    expect(undo.json()).toEqual({ memberId: a.memberId, restoredMemberId: b.memberId, mergeId });

    const afterA = strip(await view(a.memberId));
    const afterB = strip(await view(b.memberId));
    expect(afterB).toEqual(beforeB);
    const withoutEmail = {
      ...afterA,
      identifiers: (afterA.identifiers as { type: string }[]).filter((i) => i.type !== 'email'),
    };
    expect(withoutEmail).toEqual(beforeA);
    expect((await lookup('unionid', unionid)).json().id).toBe(b.memberId);
    expect((await lookup('email', email)).json().id).toBe(a.memberId);

    const again = await t.request({
      method: 'POST',
      url: `/v1/members/${a.memberId}/unmerge`,
      body: { mergeId },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('MEMBER.UNMERGE_BLOCKED');

    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('stream', '=', `member:${a.memberId}`)
      .execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['member.merged', 'member.unmerged']));
  });
});
