import { describe, expect, it } from 'vitest';
import { channelOf, guideOf } from '../../test/helpers/app.js';
import { identifyAs as identify, newPhone, serial, setUpMembersApp, t } from './members.testkit.js';

setUpMembersApp();

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('customers', () => {
  it('log in by SMS code and reach only their own data', async () => {
    const phone = newPhone();
    const other = await identify({ identifiers: [{ type: 'phone', value: newPhone() }], channel: 'online' });
    const sent = await t.request({ method: 'POST', url: '/v1/auth/sms-codes', body: { phone }, as: null });
    expect(sent.statusCode, sent.body).toBe(202);
    expect(sent.json().status).toBe('queued');
    const tooSoon = await t.request({ method: 'POST', url: '/v1/auth/sms-codes', body: { phone }, as: null });
    expect(tooSoon.statusCode).toBe(409);

    const message = await waitFor(async () => {
      const res = await t.request({ method: 'GET', url: `/v1/sms/messages?phone=${phone}` });
      const item = res.json().items[0];
      return item?.status === 'delivered' ? item : undefined;
    });
    expect(message).toMatchObject({ to: `+86${phone}`, template: 'login_code', attempts: 1 });
    const code: string = message.params.code;
    expect(code).toMatch(/^\d{6}$/);
    expect(message.text).toContain(code);

    const wrong = code === '000000' ? '000001' : '000000';
    const bad = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-login',
      body: { phone, code: wrong },
      as: null,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('MEMBER.SMS_CODE_INVALID');

    const login = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-login',
      body: { phone, code, channel: 'mini_program' },
      as: null,
    });
    expect(login.statusCode, login.body).toBe(200);
    const { token, memberId, created } = login.json();
    expect(created).toBe(true);
    const reused = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-login',
      body: { phone, code },
      as: null,
    });
    expect(reused.statusCode).toBe(401);

    const as = (url: string, method: 'GET' | 'PUT' | 'POST' = 'GET', body?: unknown) =>
      t.runtime.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body ? { payload: body as object } : {}),
      });
    const mine = await as(`/v1/members/${memberId}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().identifiers[0]).toMatchObject({ value: `+86${phone}`, verified: true });
    expect((await as(`/v1/members/${memberId}/consents`)).statusCode).toBe(200);
    const consent = await as(`/v1/members/${memberId}/consents/marketing`, 'PUT', {
      granted: true,
      channel: 'mini_program',
    });
    expect(consent.statusCode).toBe(200);
    expect((await as(`/v1/members/${memberId}/export`)).statusCode).toBe(200);

    for (const url of [
      `/v1/members/${other.memberId}`,
      `/v1/members/${other.memberId}/consents`,
      `/v1/members/${other.memberId}/export`,
    ]) {
      const res = await as(url);
      expect(res.statusCode, url).toBe(403);
    }
    expect(
      (
        await as(`/v1/members/${other.memberId}/consents/marketing`, 'PUT', {
          granted: false,
          channel: 'online',
        })
      ).statusCode,
    ).toBe(403);
    expect((await as('/v1/members')).statusCode).toBe(403);
    expect((await as(`/v1/members/lookup?type=phone&value=${phone}`)).statusCode).toBe(403);
    expect((await as(`/v1/members/${memberId}/erase`, 'POST')).statusCode).toBe(403);
    // Customers' own reads are not staff reads: nothing in the audit log.
    const log = (await t.request({ method: 'GET', url: `/v1/audit-log?memberId=${memberId}` })).json().items;
    expect(log.map((e: { action: string }) => e.action)).toEqual(['export']);
  });

  it('locks a code after five wrong tries', async () => {
    const phone = newPhone();
    await t.request({ method: 'POST', url: '/v1/auth/sms-codes', body: { phone }, as: null });
    const message = await waitFor(async () => {
      const item = (await t.request({ method: 'GET', url: `/v1/sms/messages?phone=${phone}` })).json()
        .items[0];
      return item?.status === 'delivered' ? item : undefined;
    });
    const code: string = message.params.code;
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/auth/customer-login',
        body: { phone, code: wrong },
        as: null,
      });
      expect(res.json().code).toBe('MEMBER.SMS_CODE_INVALID');
    }
    const locked = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-login',
      body: { phone, code },
      as: null,
    });
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('MEMBER.SMS_CODE_LOCKED');
  });

  it('a channel app gets a customer token for a member it identified', async () => {
    const { memberId } = await identify(
      { identifiers: [{ type: 'unionid', value: `oUnion_tok_${serial}` }], channel: 'mini_program' },
      channelOf('mini_program'),
    );
    const res = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-tokens',
      body: { memberId },
      as: channelOf('mini_program'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const me = await t.runtime.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${res.json().token}` },
    });
    expect(me.json()).toMatchObject({ role: 'customer', memberId });
    const unknown = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-tokens',
      body: { memberId: 'mem_nobody' },
    });
    expect(unknown.statusCode).toBe(404);
    const guide = await t.request({
      method: 'POST',
      url: '/v1/auth/customer-tokens',
      body: { memberId },
      as: guideOf('SH01'),
    });
    expect(guide.statusCode).toBe(403);
  });

  it('the built-in SMS carrier fails, retries and records what happened', async () => {
    process.env.OMNILOOP_SMS_FAILURE_RATE = '1';
    const phone = newPhone();
    try {
      await t.request({ method: 'POST', url: '/v1/auth/sms-codes', body: { phone }, as: null });
      const failing = await waitFor(async () => {
        const item = (await t.request({ method: 'GET', url: `/v1/sms/messages?phone=${phone}` })).json()
          .items[0];
        return item?.attempts >= 2 ? item : undefined;
      });
      expect(failing).toMatchObject({
        status: 'queued',
        deliveredAt: null,
        lastError: expect.stringContaining('simulated'),
      });
    } finally {
      process.env.OMNILOOP_SMS_FAILURE_RATE = '0';
    }
    const delivered = await waitFor(async () => {
      const item = (await t.request({ method: 'GET', url: `/v1/sms/messages?phone=${phone}` })).json()
        .items[0];
      return item?.status === 'delivered' ? item : undefined;
    });
    expect(delivered.attempts).toBeGreaterThanOrEqual(3);
    expect(delivered.providerMessageId).toMatch(/^carrier_/);
  });
});
