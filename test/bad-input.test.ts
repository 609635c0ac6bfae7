import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

// Bad input is a 4xx problem+json naming what is wrong, on both engines — never a 500, and never a value quietly
// changed into another.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false, examples: false });
  const created = await t.request({
    method: 'POST',
    url: '/v1/locations',
    body: { code: 'BAD01', name: 'Store', kind: 'store', city: 'Shanghai', lat: 31.2, lng: 121.4 },
  });
  expect(created.statusCode, created.body).toBe(201);
});
afterAll(() => t.close());

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  expect(response.statusCode, response.body).toBe(status);
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  expect(JSON.parse(response.body)).toMatchObject({ status, code });
}

describe('types as sent', () => {
  it('refuses null for a boolean rather than reading it as false (it would close the store)', async () => {
    const response = await t.request({ method: 'PATCH', url: '/v1/locations/BAD01', body: { active: null } });
    expectProblem(response, 400, 'REQUEST.INVALID');
    expect(response.json().errors).toEqual([expect.objectContaining({ path: 'active' })]);
    const store = await t.request({ method: 'GET', url: '/v1/locations/BAD01' });
    expect(store.json().active).toBe(true);
  });

  it('refuses a number where the body wants text', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { code: 123, name: 'Store', kind: 'store', city: 'Shanghai', lat: 31.2, lng: 121.4 },
    });
    expectProblem(response, 400, 'REQUEST.INVALID');
    expect(response.json().errors[0].path).toBe('code');
  });

  it('still reads a querystring number as the number it is', async () => {
    const response = await t.request({ method: 'GET', url: '/v1/locations?limit=1&active=true' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().items).toHaveLength(1);
  });
});

describe('text no database can keep', () => {
  it('refuses a NUL character in the body, the query and the path, naming where', async () => {
    const body = await t.request({ method: 'PATCH', url: '/v1/locations/BAD01', body: { name: 'a\u0000b' } });
    expectProblem(body, 400, 'REQUEST.INVALID');
    expect(body.json().errors[0].path).toBe('name');
    expectProblem(await t.request({ method: 'GET', url: '/v1/locations?q=a%00b' }), 400, 'REQUEST.INVALID');
    expectProblem(await t.request({ method: 'GET', url: '/v1/locations/BAD%0001' }), 400, 'REQUEST.INVALID');
  });

  it('refuses a lone UTF-16 surrogate, and keeps a real emoji', async () => {
    const lone = await t.request({
      method: 'PATCH',
      url: '/v1/locations/BAD01',
      body: '{"name":"a\\ud800b"}',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(lone, 400, 'REQUEST.INVALID');
    const emoji = await t.request({
      method: 'PATCH',
      url: '/v1/locations/BAD01',
      body: { name: 'Store 🌸' },
    });
    expect(emoji.statusCode, emoji.body).toBe(200);
    expect(emoji.json().name).toBe('Store 🌸');
  });
});

describe("the server's own limits", () => {
  it('answers 413 for a body over the limit', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: `{"name":"${'x'.repeat(6 * 1024 * 1024)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 413, 'REQUEST.TOO_LARGE');
  });

  it('answers a URL it cannot decode with a 400 problem', async () => {
    expectProblem(await t.request({ method: 'GET', url: '/v1/locations/%E0%A4%A' }), 400, 'REQUEST.INVALID');
  });

  it('answers headers too large (431) and unreadable HTTP (400) as problems, over a real connection', async () => {
    await t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.runtime.app.server.address() as { port: number };
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => {
          answer += chunk;
        });
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const big = await raw(`GET /v1/locations HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1.1 431/);
    expect(big).toContain('application/problem+json');
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'REQUEST.HEADERS_TOO_LARGE',
    });
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1.1 400/);
    expect(JSON.parse(garbage.slice(garbage.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'REQUEST.INVALID',
    });
  });
});
