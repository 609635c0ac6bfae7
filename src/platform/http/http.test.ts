import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, managerOf, OPS, startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/database.js';
import { createUser } from '../auth/users.service.js';

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

describe('meta routes', () => {
  it('GET /livez answers without the database', async () => {
    const res = await t.request({ method: 'GET', url: '/livez', as: null });
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('GET /health names the database', async () => {
    const res = await t.request({ method: 'GET', url: '/health', as: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: ENGINE, version: expect.any(String) });
  });

  it('serves OpenAPI 3 and a readable reference', async () => {
    const spec = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/health', '/v1/auth/login', '/v1/stream']),
    );
    const docs = await t.request({ method: 'GET', url: '/docs/', as: null });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, code: 'REQUEST.NOT_FOUND' });
  });

  it('gives every response a request id', async () => {
    const res = await t.request({
      method: 'GET',
      url: '/health',
      as: null,
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});

describe('validation', () => {
  it('names each bad field of a body that breaks the schema', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { username: 'x', role: 'wizard' },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.code).toBe('REQUEST.INVALID');
    const paths = problem.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'password', 'role']));
    // Each names the rule it breaks and its bound, for the console to say in the reader's language.
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'password', rule: 'required' }),
        expect.objectContaining({
          path: 'role',
          rule: 'enum',
          limit: expect.stringContaining('store_manager|guide'),
        }),
        expect.objectContaining({ path: 'username', rule: 'pattern' }),
      ]),
    );
  });

  it('refuses malformed JSON with 400 REQUEST.INVALID', async () => {
    const res = await t.runtime.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { ...t.auth('admin'), 'content-type': 'application/json' },
      payload: '{"username": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'REQUEST.INVALID', status: 400 });
  });
});

describe('authentication and roles', () => {
  it('401 without a token, and with a forged one', async () => {
    expect((await t.request({ method: 'GET', url: '/v1/users', as: null })).statusCode).toBe(401);
    const forged = await t.request({
      method: 'GET',
      url: '/v1/users',
      as: null,
      headers: { authorization: 'Bearer a.b.c' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('logs staff in with a signed token that carries their store', async () => {
    const bad = await t.request({
      method: 'POST',
      url: '/v1/auth/login',
      as: null,
      body: { username: 'sh01.guide', password: 'nope-nope' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('AUTH.INVALID_CREDENTIALS');
    const ok = await t.request({
      method: 'POST',
      url: '/v1/auth/login',
      as: null,
      body: { username: 'sh01.guide', password: 'password-1' },
    });
    expect(ok.statusCode).toBe(200);
    const { token, user } = ok.json();
    expect(user).toEqual({ username: 'sh01.guide', role: 'guide', storeCode: 'SH01', displayName: null });
    const me = await t.request({
      method: 'GET',
      url: '/v1/auth/me',
      as: null,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ role: 'guide', storeCode: 'SH01' });
  });

  it('refuses a role the route does not allow with 403', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/users',
      as: OPS,
      body: { username: 'new.one', password: 'password-x', role: 'ops' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('AUTH.FORBIDDEN');
  });

  it("keeps a guide of store A out of store B's data", async () => {
    const own = await t.request({ method: 'GET', url: '/v1/users?store=SH01', as: guideOf('SH01') });
    expect(own.statusCode).toBe(200);
    expect(own.json().items.map((u: { username: string }) => u.username)).toEqual(['sh01.guide']);
    const other = await t.request({ method: 'GET', url: '/v1/users?store=SH02', as: guideOf('SH01') });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('AUTH.STORE_FORBIDDEN');
    // Without a store they get their own store only, never everyone.
    const unscoped = await t.request({ method: 'GET', url: '/v1/users', as: managerOf('SH02') });
    expect(unscoped.json().items.map((u: { username: string }) => u.username)).toEqual(['sh02.guide']);
  });

  it('accepts channel API keys and refuses revoked or wrong ones', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'Mini program', channel: 'mini_program' },
    });
    expect(created.statusCode).toBe(201);
    const { key } = created.json();
    const me = await t.request({
      method: 'GET',
      url: '/v1/auth/me',
      as: null,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(me.json()).toMatchObject({ role: 'channel', channel: 'mini_program' });
    const wrong = await t.request({
      method: 'GET',
      url: '/v1/auth/me',
      as: null,
      headers: { authorization: `Bearer ${key}x` },
    });
    expect(wrong.statusCode).toBe(401);
  });
});

describe('Idempotency-Key', () => {
  const body = { username: 'idem.user', password: 'password-3', role: 'ops' };

  it('replays the first answer and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'create-idem-user' };
    const first = await t.request({ method: 'POST', url: '/v1/users', body, headers });
    expect(first.statusCode).toBe(201);
    const again = await t.request({ method: 'POST', url: '/v1/users', body: { ...body }, headers });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await t.request({
      method: 'POST',
      url: '/v1/users',
      body: { ...body, role: 'admin' },
      headers,
    });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('REQUEST.IDEMPOTENCY_KEY_REUSED');
  });

  it('replays a stored error too, and a retry without the key meets the real state', async () => {
    const headers = { 'idempotency-key': 'dup-user' };
    const dup = await t.request({ method: 'POST', url: '/v1/users', body, headers });
    expect(dup.statusCode).toBe(409);
    const replayed = await t.request({ method: 'POST', url: '/v1/users', body, headers });
    expect(replayed.statusCode).toBe(409);
    expect(replayed.json().code).toBe('AUTH.USER_EXISTS');
  });

  it('runs concurrent requests with one key once', async () => {
    const headers = { 'idempotency-key': 'concurrent-key' };
    const one = { username: 'race.user', password: 'password-4', role: 'ops' };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.request({ method: 'POST', url: '/v1/users', body: one, headers })),
    );
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    for (const r of responses.filter((r) => r.statusCode === 409))
      expect(r.json().code).toBe('REQUEST.IDEMPOTENCY_IN_PROGRESS');
    const users = await t.runtime.database.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', 'race.user')
      .execute();
    expect(users).toHaveLength(1);
  });

  it('keys are per caller: the same key from another caller is another request', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const a = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'A', channel: 'pos' },
      headers,
    });
    const b = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name: 'A', channel: 'pos' },
      headers: { ...headers, ...t.auth({ role: 'admin', subject: 'someone-else', storeCode: null }) },
      as: null,
    });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.json().id).not.toBe(b.json().id);
  });
});

describe('Idempotency-Key across a restart', () => {
  it('replays the first answer after the node restarts', async () => {
    const first = await startTestApp();
    const headers = { 'idempotency-key': 'survives-restart' };
    const body = { name: 'ERP', channel: 'online' };
    const created = await first.request({ method: 'POST', url: '/v1/api-keys', body, headers });
    expect(created.statusCode).toBe(201);
    await first.close({ drop: false });
    const second = await startTestApp({ database: first.database });
    try {
      const replay = await second.request({ method: 'POST', url: '/v1/api-keys', body, headers });
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toEqual(created.json());
      const keys = await second.runtime.database.db.selectFrom('api_keys').selectAll().execute();
      expect(keys).toHaveLength(1);
    } finally {
      await second.close({ drop: true });
    }
  });
});
