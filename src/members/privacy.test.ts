import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { channelOf, guideOf, OPS } from '../../test/helpers/app.js';
import { identifyAs as identify, newPhone, serial, setUpMembersApp, t } from './members.testkit.js';

setUpMembersApp();

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
