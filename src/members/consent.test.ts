import { describe, expect, it } from 'vitest';
import { guideOf } from '../../test/helpers/app.js';
import { identifyAs as identify, newPhone, setUpMembersApp, t } from './members.testkit.js';

setUpMembersApp();

describe('consent', () => {
  it('keeps the history, takes withdrawal at once and announces it', async () => {
    const { memberId } = await identify({
      identifiers: [{ type: 'phone', value: newPhone() }],
      channel: 'pos',
    });
    const grant = await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/consents/marketing`,
      body: { granted: true, channel: 'pos', source: '门店纸质会员卡申请表 v3' },
      as: guideOf('SH01'),
    });
    expect(grant.statusCode, grant.body).toBe(200);
    const withdraw = await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/consents/marketing`,
      body: { granted: false, channel: 'mini_program' },
    });
    const consents = withdraw.json();
    expect(consents.current.find((c: { purpose: string }) => c.purpose === 'marketing')).toMatchObject({
      granted: false,
      channel: 'mini_program',
    });
    expect(consents.current.find((c: { purpose: string }) => c.purpose === 'personalization')).toMatchObject({
      granted: false,
      recordedAt: null,
    });
    expect(consents.history).toEqual([
      expect.objectContaining({ purpose: 'marketing', granted: false, channel: 'mini_program' }),
      expect.objectContaining({
        purpose: 'marketing',
        granted: true,
        source: '门店纸质会员卡申请表 v3',
        recordedBy: 'guide:sh01.guide',
      }),
    ]);
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('type', '=', 'member.consent_changed')
      .where('stream', '=', `member:${memberId}`)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => JSON.parse(e.payload))).toEqual([
      expect.objectContaining({ memberId, purpose: 'marketing', granted: true }),
      expect.objectContaining({ memberId, purpose: 'marketing', granted: false }),
    ]);
    const bad = await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/consents/spam`,
      body: { granted: true, channel: 'pos' },
    });
    expect(bad.statusCode).toBe(400);
  });
});
