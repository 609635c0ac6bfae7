import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFault, OutageBackoff } from '../src/platform/db/faults.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { allowConnections, ENGINE, terminateConnections } from './helpers/database.js';

// The database failing is not the request failing: the node stays up, answers 503 (or 507 for a full disk) with
// Retry-After as problem+json, writes nothing half, and carries on by itself once the database is back.

function coded(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('what counts as the database failing', () => {
  it.each([
    [coded('57P01', 'terminating connection due to administrator command'), 'unavailable'],
    [coded('08006'), 'unavailable'],
    [coded('ECONNREFUSED'), 'unavailable'],
    [new Error('Connection terminated unexpectedly'), 'unavailable'],
    [new Error('timeout exceeded when trying to connect'), 'unavailable'],
    [coded('SQLITE_BUSY'), 'unavailable'],
    [coded('SQLITE_FULL', 'database or disk is full'), 'storage_full'],
    [coded('53100'), 'storage_full'],
    [coded('23505', 'duplicate key'), null],
    [coded('SQLITE_CONSTRAINT_UNIQUE'), null],
    [new TypeError('x is undefined'), null],
    ['not an error', null],
  ])('%s → %s', (error, fault) => {
    expect(databaseFault(error)).toBe(fault);
  });
});

describe('a background worker during an outage', () => {
  it('waits 1 s, doubling to 30 s, says so once, and resumes at once when the database is back', () => {
    const said: string[] = [];
    const log = {
      warn: (_: object, message: string) => said.push(message),
      info: (message: string) => said.push(message),
    };
    const outage = new OutageBackoff(log, 'job worker');
    const down = coded('ECONNREFUSED');
    expect(outage.failed(new TypeError('a bug'), 0)).toBe(false);
    expect(outage.ready(0)).toBe(true);
    const delays: number[] = [];
    let now = 0;
    for (let round = 0; round < 8; round++) {
      expect(outage.failed(down, now)).toBe(true);
      delays.push(outage.delayMs);
      expect(outage.ready(now + outage.delayMs - 1)).toBe(false);
      now += outage.delayMs;
      expect(outage.ready(now)).toBe(true);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    outage.succeeded();
    expect([outage.delayMs, outage.ready(now)]).toEqual([0, true]);
    expect(said).toEqual([
      'job worker: database unavailable; waiting for it',
      'job worker: database back; resuming',
    ]);
  });
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ examples: false });
});
afterAll(() => t.close());

function newLocation(code: string) {
  return { code, name: `Store ${code}`, kind: 'store', city: 'Shanghai', lat: 31.2, lng: 121.4 };
}

describe.runIf(ENGINE === 'postgres')('PostgreSQL connections dropped under load', () => {
  it('answers 503 with Retry-After for what it could not do, stays up, and serves again by itself', async () => {
    const answers: { status: number; retryAfter: unknown; type: unknown; code?: string }[] = [];
    const writes = Array.from({ length: 60 }, (_, i) => `FAULT${String(i).padStart(3, '0')}`);
    const load = writes.map(async (code, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      const response = await t.request({
        method: i % 2 ? 'POST' : 'GET',
        url: i % 2 ? '/v1/locations' : '/v1/locations?limit=5',
        ...(i % 2 ? { body: newLocation(code) } : {}),
      });
      answers.push({
        status: response.statusCode,
        retryAfter: response.headers['retry-after'],
        type: response.headers['content-type'],
        ...(response.statusCode >= 400 ? { code: response.json().code } : {}),
      });
    });
    const terminations = (async () => {
      for (let round = 0; round < 4; round++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        await terminateConnections(t.database.target);
      }
    })();
    await Promise.all([...load, terminations]);

    for (const answer of answers) {
      if (answer.status < 300) continue;
      expect(answer).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE', retryAfter: '2' });
      expect(answer.type).toContain('application/problem+json');
    }
    // The pool opens new connections by itself: health, reads and writes work again.
    const health = await t.request({ method: 'GET', url: '/health', as: null });
    expect(health.statusCode).toBe(200);
    const after = await t.request({ method: 'POST', url: '/v1/locations', body: newLocation('FAULTAFTER') });
    expect(after.statusCode, after.body).toBe(201);
    // What answered 201 is there; nothing else is.
    const created = answers.filter((a) => a.status === 201).length;
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from locations where code like 'FAULT%'`.execute(t.runtime.database.db);
    expect(rows.rows[0]?.n).toBe(created + 1);
  });
});

describe.runIf(ENGINE === 'postgres')('PostgreSQL unreachable for a while', () => {
  it('says degraded and answers 503 while it is away, and is whole again within 2 s of its return', async () => {
    await allowConnections(t.database.target, false);
    try {
      await terminateConnections(t.database.target);
      const health = await t.request({ method: 'GET', url: '/health', as: null });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', database: 'postgres' });
      const write = await t.request({ method: 'POST', url: '/v1/locations', body: newLocation('AWAY01') });
      expect(write.statusCode, write.body).toBe(503);
      expect(write.json()).toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
      expect(write.headers['retry-after']).toBe('2');
    } finally {
      await allowConnections(t.database.target, true);
    }
    const back = Date.now();
    await expect
      .poll(async () => (await t.request({ method: 'GET', url: '/health', as: null })).statusCode, {
        timeout: 2_000,
        interval: 20,
      })
      .toBe(200);
    expect(Date.now() - back).toBeLessThan(2_000);
    const write = await t.request({ method: 'POST', url: '/v1/locations', body: newLocation('AWAY01') });
    expect(write.statusCode, write.body).toBe(201);
  });
});

describe.runIf(ENGINE === 'sqlite')('SQLite out of room', () => {
  it('answers 507 for a write that does not fit, writes none of it, and writes again once there is room', async () => {
    const db = t.runtime.database.db;
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${pages.rows[0]!.page_count}`).execute(db);
    let full: Awaited<ReturnType<TestApp['request']>> | undefined;
    let written = 0;
    for (let i = 0; i < 500 && !full; i++) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/locations',
        body: { ...newLocation(`FULL${String(i).padStart(3, '0')}`), address: 'x'.repeat(300) },
      });
      if (response.statusCode === 201) written++;
      else full = response;
    }
    expect(full?.statusCode, full?.body).toBe(507);
    expect(full?.headers['retry-after']).toBe('60');
    expect(full?.json()).toMatchObject({ code: 'SERVICE.STORAGE_FULL' });
    const count = await sql<{
      n: number;
    }>`select count(*) as n from locations where code like 'FULL%'`.execute(db);
    expect(count.rows[0]?.n).toBe(written);

    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    const again = await t.request({ method: 'POST', url: '/v1/locations', body: newLocation('FULLAGAIN') });
    expect(again.statusCode, again.body).toBe(201);
  });
});
