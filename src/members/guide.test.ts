import { describe, expect, it } from 'vitest';
import { guideOf, managerOf } from '../../test/helpers/app.js';
import { identifyAs as identify, newPhone, setUpMembersApp, t } from './members.testkit.js';

setUpMembersApp();

describe('exclusive guide', () => {
  it('store staff assign guides of their own store only', async () => {
    const { memberId } = await identify({
      identifiers: [{ type: 'phone', value: newPhone() }],
      channel: 'pos',
    });
    const ok = await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/guide`,
      body: { guide: 'sh01.guide', store: 'SH01' },
      as: managerOf('SH01'),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const other = await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/guide`,
      body: { guide: 'sh02.guide', store: 'SH02' },
      as: managerOf('SH01'),
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('AUTH.STORE_FORBIDDEN');
    const unknown = await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/guide`,
      body: { guide: 'sh02.guide', store: 'SH01' },
    });
    expect(unknown.statusCode).toBe(422);
    const view = await t.request({ method: 'GET', url: `/v1/members/${memberId}`, as: guideOf('SH01') });
    expect(view.json().guide).toMatchObject({
      guide: 'sh01.guide',
      store: 'SH01',
      boundBy: 'store_manager:sh01.manager',
    });
  });
});
