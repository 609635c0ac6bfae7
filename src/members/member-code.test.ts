import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import type { Principal } from '../platform/index.js';
import { memberCodeOf } from './member-code.rules.js';
import { memberCodeKey } from './member-code.service.js';

// The member code (会员码): she shows it, the till scans it; another customer cannot make hers, an old one is refused.

let t: TestApp;
let memberId: string;
let her: Principal;

beforeAll(async () => {
  t = await startTestApp({ workers: false });
  memberId = (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: {
        identifiers: [{ type: 'phone', value: '13812345678' }],
        traits: { name: '王芳' },
        channel: 'mini_program',
      },
    })
  ).json().memberId;
  her = { role: 'customer', subject: memberId, memberId, storeCode: null };
});
afterAll(() => t.close());

describe('member codes', () => {
  it('she shows a code for this minute; a guide scans it and sees her, masked', async () => {
    const shown = await t.request({ method: 'POST', url: `/v1/members/${memberId}/code`, as: her });
    expect(shown.statusCode, shown.body).toBe(201);
    const { code, expiresAt, refreshAt } = shown.json();
    expect(code).toMatch(/^8\d{17}$/);
    expect(Date.parse(refreshAt)).toBeLessThan(Date.parse(expiresAt));
    // The same number every time she shows it (the rest changes with the minute).
    const again = (await t.request({ method: 'POST', url: `/v1/members/${memberId}/code`, as: her })).json();
    expect(again.code.slice(0, 10)).toBe(code.slice(0, 10));

    const scanned = await t.request({ method: 'GET', url: `/v1/member-codes/${code}`, as: guideOf('SH01') });
    expect(scanned.statusCode, scanned.body).toBe(200);
    expect(scanned.json()).toMatchObject({ id: memberId, masked: true });
    expect(JSON.stringify(scanned.json())).not.toContain('13812345678');
    const hq = await t.request({ method: 'GET', url: `/v1/member-codes/${code}`, as: OPS });
    expect(hq.json().id).toBe(memberId);
  });

  it('refuses an expired code, a forged one, and another customer asking for hers', async () => {
    const { code } = (
      await t.request({ method: 'POST', url: `/v1/members/${memberId}/code`, as: her })
    ).json();
    const number = Number(code.slice(1, 10));
    const old = memberCodeOf(memberCodeKey(t.runtime.config.secret), number, Date.now() - 5 * 60_000).code;
    const expired = await t.request({ method: 'GET', url: `/v1/member-codes/${old}`, as: guideOf('SH01') });
    expect(expired.statusCode).toBe(422);
    expect(expired.json()).toMatchObject({ code: 'MEMBER.CODE_EXPIRED' });

    const forged = `${code.slice(0, 12)}${code.slice(12) === '000000' ? '000001' : '000000'}`;
    const refused = await t.request({
      method: 'GET',
      url: `/v1/member-codes/${forged}`,
      as: guideOf('SH01'),
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ code: 'MEMBER.CODE_INVALID' });
    const sku = await t.request({
      method: 'GET',
      url: '/v1/member-codes/6901234567890',
      as: guideOf('SH01'),
    });
    expect(sku.json()).toMatchObject({ code: 'MEMBER.CODE_INVALID' });

    const other: Principal = {
      role: 'customer',
      subject: 'mem_other',
      memberId: 'mem_other',
      storeCode: null,
    };
    const theirs = await t.request({ method: 'POST', url: `/v1/members/${memberId}/code`, as: other });
    expect(theirs.statusCode).toBe(403);
    // A customer does not scan codes.
    const scan = await t.request({ method: 'GET', url: `/v1/member-codes/${code}`, as: her });
    expect(scan.statusCode).toBe(403);
  });
});
