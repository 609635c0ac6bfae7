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
