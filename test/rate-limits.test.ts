import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

// The public routes are limited per phone, per account and per address, counted in the database every node
// shares: a second node on the same database sees the same counts.

let t: TestApp;
let second: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false, examples: false });
  second = await startTestApp({ database: t.database, workers: false, examples: false });
});
afterAll(async () => {
  await second.close({ drop: false });
  await t.close();
});

const smsCode = (app: TestApp, phone: string, ip = '10.0.0.1') =>
  app.runtime.app.inject({
    method: 'POST',
    url: '/v1/auth/sms-codes',
    payload: { phone },
    remoteAddress: ip,
  });

describe('public route limits', () => {
  it('takes at most 5 code requests for one phone in 10 minutes, across nodes, then 429 with Retry-After', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await smsCode(i % 2 ? second : t, '13800001111')).statusCode);
    // One code a minute (409 before it); each request counts toward the 5.
    expect(answers).toEqual([202, 409, 409, 409, 409, 429]);
    const refused = await smsCode(t, '+86 138 0000 1111');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
    expect(refused.json()).toMatchObject({ code: 'REQUEST.RATE_LIMITED', status: 429 });
    // Another phone is another count.
    expect((await smsCode(t, '13800002222')).statusCode).toBe(202);
  });

  it('stops one address walking through phones', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 31; i++)
      answers.push((await smsCode(t, `1390000${String(i).padStart(4, '0')}`, '10.9.9.9')).statusCode);
    expect(answers.slice(0, 30).every((s) => s === 202)).toBe(true);
    expect(answers[30]).toBe(429);
    expect((await smsCode(t, '13900009999', '10.9.9.10')).statusCode).toBe(202);
  });

  it('limits password guesses per account', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await t.runtime.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'nobody', password: `guess-${i}` },
        remoteAddress: `10.1.0.${i}`,
      });
      answers.push(response.statusCode);
    }
    expect(answers.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(answers[10]).toBe(429);
  });
});

describe('channel API keys', () => {
  const newKey = async (name: string, requestsPerMinute?: number) => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/api-keys',
      body: { name, channel: 'mini_program', ...(requestsPerMinute ? { requestsPerMinute } : {}) },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().requestsPerMinute).toBe(requestsPerMinute ?? null);
    return created.json().key as string;
  };
  const products = (app: TestApp, key: string) =>
    app.runtime.app.inject({
      method: 'GET',
      url: '/v1/products',
      headers: { authorization: `Bearer ${key}` },
    });

  it('each key has its own limit per minute, counted across nodes; other keys go on', async () => {
    const limited = await newKey('runaway app', 3);
    const other = await newKey('well-behaved app');
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await products(i % 2 ? second : t, limited)).statusCode);
    expect(answers).toEqual([200, 200, 200, 429]);
    const refused = await products(t, limited);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ code: 'REQUEST.RATE_LIMITED', status: 429 });
    expect((await products(second, other)).statusCode).toBe(200);
  });
});
