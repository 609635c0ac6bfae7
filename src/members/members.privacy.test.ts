import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelOf, guideOf, managerOf, OPS, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createUser } from '../platform/auth/users.service.js';
import type { Principal } from '../platform/index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.runtime.database.transaction(async (trx) => {
    await createUser(trx, {
      username: 'sh01.guide',
      password: 'password-1',
      role: 'guide',
      storeCode: 'SH01',
    });
    await createUser(trx, {
      username: 'sh02.guide',
      password: 'password-2',
      role: 'guide',
      storeCode: 'SH02',
    });
  });
});
afterAll(() => t.close());

let serial = 0;
function newPhone(): string {
  serial++;
  return `137${String(Date.now() % 100000).padStart(5, '0')}${String(serial).padStart(3, '0')}`;
}

async function identify(body: Record<string, unknown>, as: Principal | 'admin' = 'admin') {
  const res = await t.request({ method: 'POST', url: '/v1/identify', body, as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ memberId: string; created: boolean }>();
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything the database holds, as text: the SQLite files' bytes, or every row of every table on PostgreSQL. */
async function databaseText(): Promise<string> {
  const target = t.database.target;
  if (target.engine === 'sqlite') {
    return ['', '-wal']
      .map((suffix) => {
        try {
          return readFileSync(`${target.path}${suffix}`).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('\n');
  }
  const db = t.runtime.database.db;
  const tables = await sql<{
    tablename: string;
  }>`select tablename from pg_tables where schemaname = 'public'`.execute(db);
  const parts: string[] = [];
  for (const { tablename } of tables.rows) {
    const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(tablename)} t`.execute(db);
    parts.push(...rows.rows.map((r) => r.t));
  }
  return parts.join('\n');
}

describe('personal data at rest', () => {
  it('keeps no phone, e-mail or name in clear; lookup still works; guides see masks; HQ reads are audited', async () => {
    const phone = newPhone();
    const email = `zhang.sanfeng.${serial}@wudang.example`;
    const { memberId } = await identify({
      identifiers: [
        { type: 'phone', value: phone, verified: true },
        { type: 'email', value: email },
      ],
      traits: {
        name: '张三丰',
        birthday: '1990-05-12',
        address: '上海市静安区南京西路1601号',
        skinType: 'dry',
      },
      channel: 'online',
    });
    await t.request({ method: 'POST', url: '/v1/auth/sms-codes', body: { phone }, as: null });

    const text = await databaseText();
    expect(text.length).toBeGreaterThan(1000);
    expect(text).toContain(memberId);
    for (const secret of [phone, phone.slice(3), email, 'wudang', '南京西路', '1990-05-12']) {
      expect(text.includes(secret), `"${secret}" found in the database`).toBe(false);
    }
    expect(text.includes(Buffer.from('张三丰').toString('latin1'))).toBe(false);
    expect(text.includes('张三丰')).toBe(false);

    const hq = await t.request({
      method: 'GET',
      url: `/v1/members/lookup?type=phone&value=${phone}`,
      as: OPS,
    });
    expect(hq.statusCode).toBe(200);
    expect(hq.json()).toMatchObject({
      id: memberId,
      masked: false,
      traits: { name: '张三丰', skinType: 'dry' },
    });
    expect(
      hq
        .json()
        .identifiers.map((i: { value: string }) => i.value)
        .sort(),
    ).toEqual([`+86${phone}`, email].sort());

    const guide = await t.request({ method: 'GET', url: `/v1/members/${memberId}`, as: guideOf('SH01') });
    expect(guide.statusCode).toBe(200);
    const masked = guide.json();
    expect(masked.masked).toBe(true);
    expect(masked.identifiers.map((i: { value: string }) => i.value).sort()).toEqual(
      [`${phone.slice(0, 3)}****${phone.slice(7)}`, 'z***@wudang.example'].sort(),
    );
    expect(masked.traits).toMatchObject({ name: '张**', birthday: '****-05-12', skinType: 'dry' });
    expect(JSON.stringify(masked)).not.toContain(phone);
    const channel = await t.request({
      method: 'GET',
      url: `/v1/members/${memberId}`,
      as: channelOf('online'),
    });
    expect(channel.json().masked).toBe(true);

    const adminRead = await t.request({
      method: 'GET',
      url: `/v1/members/${memberId}`,
      headers: { 'x-request-id': 'req-audit-1' },
    });
    expect(adminRead.json().masked).toBe(false);
    const log = await t.request({ method: 'GET', url: `/v1/audit-log?memberId=${memberId}` });
    expect(log.statusCode).toBe(200);
    const entries = log.json().items;
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      actorRole: 'admin',
      actor: 'admin-token',
      action: 'view',
      requestId: 'req-audit-1',
    });
    expect(entries[1]).toMatchObject({ actorRole: 'ops', actor: 'ops', action: 'view' });
    expect((await t.request({ method: 'GET', url: '/v1/audit-log', as: OPS })).statusCode).toBe(403);

    const list = await t.request({
      method: 'GET',
      url: `/v1/members?q=${encodeURIComponent(`+86 ${phone}`)}`,
    });
    expect(list.json().items).toEqual([
      expect.objectContaining({
        id: memberId,
        name: '张**',
        phone: `${phone.slice(0, 3)}****${phone.slice(7)}`,
      }),
    ]);
    const byName = await t.request({ method: 'GET', url: `/v1/members?q=${encodeURIComponent('张三丰')}` });
    expect(byName.json().items.map((i: { id: string }) => i.id)).toContain(memberId);
  });

  it('reads ciphertexts of an older key after rotation', async () => {
    const { createPii } = await import('./members.pii.js');
    const old = createPii('a-secret-of-at-least-thirty-two-characters');
    const rotated = createPii('a-secret-of-at-least-thirty-two-characters', {
      current: 'v2',
      previous: ['v1'],
    });
    const ciphertext = old.encrypt('+8613812345678');
    expect(ciphertext.startsWith('v1.')).toBe(true);
    expect(rotated.decrypt(ciphertext)).toBe('+8613812345678');
    expect(rotated.encrypt('x').startsWith('v2.')).toBe(true);
    expect(rotated.blindIndex('phone:', '+8613812345678')).toBe(old.blindIndex('phone:', '+8613812345678'));
  });
});

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

describe('export and erasure', () => {
  it('exports everything decrypted, then erases down to an anonymised shell', async () => {
    const phone = newPhone();
    const { memberId } = await identify({
      identifiers: [
        { type: 'phone', value: phone, verified: true },
        { type: 'card', value: `lj${serial}x` },
      ],
      traits: { name: '王敏', birthday: '1988-02-03' },
      channel: 'pos',
    });
    await t.request({
      method: 'PUT',
      url: `/v1/members/${memberId}/consents/personalization`,
      body: { granted: true, channel: 'pos', source: 'form' },
    });
    const exported = await t.request({ method: 'GET', url: `/v1/members/${memberId}/export` });
    expect(exported.statusCode, exported.body).toBe(200);
    const data = exported.json();
    expect(data.member.traits).toMatchObject({ name: '王敏', birthday: '1988-02-03' });
    expect(data.member.identifiers.map((i: { value: string }) => i.value)).toContain(`+86${phone}`);
    expect(data.consentHistory).toHaveLength(1);
    expect(
      (await t.request({ method: 'GET', url: `/v1/members/${memberId}/export`, as: OPS })).statusCode,
    ).toBe(403);

    const erased = await t.request({ method: 'POST', url: `/v1/members/${memberId}/erase` });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json()).toMatchObject({ memberId, status: 'erased' });
    const gone = await t.request({ method: 'GET', url: `/v1/members/lookup?type=phone&value=${phone}` });
    expect(gone.statusCode).toBe(404);
    const shell = (await t.request({ method: 'GET', url: `/v1/members/${memberId}` })).json();
    expect(shell).toMatchObject({ id: memberId, status: 'erased', identifiers: [], traits: {} });
    expect(shell.consents.every((c: { granted: boolean }) => !c.granted)).toBe(true);
    const actions = (await t.request({ method: 'GET', url: `/v1/audit-log?memberId=${memberId}` })).json()
      .items;
    expect(actions.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['export', 'erase']),
    );
    const event = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('type')
      .where('stream', '=', `member:${memberId}`)
      .where('type', '=', 'member.erased')
      .executeTakeFirst();
    expect(event).toBeDefined();
    // The phone is free: the same person coming back is a new member.
    const back = await identify({ identifiers: [{ type: 'phone', value: phone }], channel: 'pos' });
    expect(back.created).toBe(true);
    expect(back.memberId).not.toBe(memberId);
  });
});

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

describe('list cursors', () => {
  it('page on with the cursor a list gave out and refuse one it did not', async () => {
    for (let i = 0; i < 3; i++) {
      await identify({ identifiers: [{ type: 'phone', value: newPhone() }], channel: 'pos' });
    }
    const first = await t.request({ method: 'GET', url: '/v1/members?limit=2' });
    expect(first.statusCode, first.body).toBe(200);
    const { items, nextCursor } = first.json<{ items: { id: string }[]; nextCursor: string }>();
    expect(items).toHaveLength(2);
    expect(nextCursor).toEqual(expect.any(String));
    const second = await t.request({ method: 'GET', url: `/v1/members?limit=2&cursor=${nextCursor}` });
    expect(second.statusCode, second.body).toBe(200);
    const next = second.json<{ items: { id: string }[] }>().items.map((i) => i.id);
    expect(next.length).toBeGreaterThan(0);
    expect(next).not.toContain(items[0]!.id);
    expect(next).not.toContain(items[1]!.id);

    const notOurs = Buffer.from('not-ours').toString('base64url');
    for (const url of [
      `/v1/members?cursor=${notOurs}`,
      `/v1/identity/reviews?cursor=${notOurs}`,
      `/v1/audit-log?cursor=${notOurs}`,
      `/v1/sms/messages?cursor=${notOurs}`,
      // A cursor of another list is not one this list gave out.
      `/v1/audit-log?cursor=${nextCursor}`,
    ]) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({
        code: 'REQUEST.INVALID',
        errors: [{ path: 'query.cursor', message: 'is not a cursor this list gave out' }],
      });
    }
  });
});
