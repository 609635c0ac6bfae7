import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { ENGINE } from '../../../test/helpers/database.js';
import { NATS_URL, natsReachable } from '../../../test/helpers/nats.js';
import { connectSse } from '../../../test/helpers/sse.js';
import type { PublishedEvent } from './outbox.js';
import { appendEvent } from './outbox.js';

async function emit(
  t: TestApp,
  type: string,
  payload: object,
  location: string | null = null,
): Promise<void> {
  await t.runtime.database.transaction((trx) =>
    appendEvent(trx, { type, stream: `test:${type}`, location, payload }),
  );
}

async function listen(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const address = t.runtime.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return connectSse(`http://127.0.0.1:${address.port}${path}`, headers);
}

describe('outbox and dispatcher', () => {
  let t: TestApp;
  const seen: PublishedEvent[] = [];
  beforeAll(async () => {
    t = await startTestApp({ workers: false });
    t.runtime.dispatcher.addConsumer({
      name: 'test-recorder',
      topics: ['test'],
      handle: async (_trx, event) => {
        seen.push(event);
      },
    });
    await t.runtime.startWorkers();
  });
  afterAll(() => t.close());

  it('never delivers an event written in a rolled-back transaction', async () => {
    await expect(
      t.runtime.database.transaction(async (trx) => {
        await appendEvent(trx, { type: 'test.rolled_back', stream: 's', payload: { n: 1 } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await emit(t, 'test.committed', { n: 2 });
    await t.runtime.dispatcher.pump();
    await expect.poll(() => seen.map((e) => e.type)).toEqual(['test.committed']);
  });

  it('gives concurrent commits increasing positions and delivers each once, in order', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => emit(t, 'test.burst', { i })));
    await expect.poll(() => seen.filter((e) => e.type === 'test.burst').length, { timeout: 5000 }).toBe(50);
    const positions = seen.map((e) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
    expect(
      [...positions].sort((a, b) => a - b),
      JSON.stringify(seen.map((e) => [e.position, e.type, (e.payload as { i?: number }).i])),
    ).toEqual(positions);
    const rows = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('position')
      .orderBy('position')
      .execute();
    const stored = rows.map((r) => Number(r.position));
    expect(new Set(stored).size).toBe(rows.length);
    // SQLite has one writer, so no transaction is ever open while events are placed: no gaps. On PostgreSQL a
    // transaction still open when a later one's events are placed leaves a gap where its own would have gone
    // (they are placed above later): positions never go backwards, but they may skip.
    if (t.runtime.database.engine === 'sqlite') expect(stored).toEqual(rows.map((_, i) => i + 1));
  });

  it('places and delivers an event written outside the group commit (a raw transaction), on its poll', async () => {
    // SQLite's group commit places the events it writes (a fast path); every other event takes this way.
    await t.runtime.database.db
      .transaction()
      .execute((trx) => appendEvent(trx, { type: 'test.raw', stream: 's', payload: { n: 3 } }));
    await expect.poll(() => seen.map((e) => e.type).includes('test.raw'), { timeout: 5000 }).toBe(true);
    const raw = seen.find((e) => e.type === 'test.raw')!;
    expect(raw.position).toBeGreaterThan(Math.max(...seen.filter((e) => e !== raw).map((e) => e.position)));
  });
});

describe('the live stream (SSE)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('refuses a client without a token and accepts ?token=', async () => {
    await expect(listen(t, '/v1/stream')).rejects.toThrow(/401/);
    const client = await listen(t, `/v1/stream?token=${t.auth('admin').authorization.slice(7)}`);
    client.close();
  });

  it('resumes with Last-Event-ID: exactly the missed events, in order', async () => {
    const client = await listen(t, '/v1/stream?topics=test', t.auth('admin'));
    await emit(t, 'test.a', { n: 1 });
    await emit(t, 'test.a', { n: 2 });
    const firstTwo = await client.waitFor(2);
    client.close();
    expect(firstTwo.map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);
    const lastId = firstTwo[1]!.id;

    for (let n = 3; n <= 6; n++) await emit(t, 'test.a', { n });
    await emit(t, 'other.ignored', { n: 99 });
    const resumed = await listen(t, '/v1/stream?topics=test', {
      ...t.auth('admin'),
      'last-event-id': lastId,
    });
    await emit(t, 'test.a', { n: 7 });
    const events = await resumed.waitFor(5);
    await new Promise((r) => setTimeout(r, 200));
    resumed.close();
    expect(resumed.events.map((e) => e.data)).toEqual([{ n: 3 }, { n: 4 }, { n: 5 }, { n: 6 }, { n: 7 }]);
    expect(events.every((e) => e.event === 'test.a')).toBe(true);
    const ids = resumed.events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("shows store staff only their own store's events", async () => {
    const client = await listen(t, '/v1/stream?topics=test', t.auth(guideOf('SH01')));
    await emit(t, 'test.store', { at: 'SH02' }, 'SH02');
    await emit(t, 'test.store', { at: 'SH01' }, 'SH01');
    await client.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    client.close();
    expect(client.events.map((e) => e.data)).toEqual([{ at: 'SH01' }]);
  });

  it('resumes after a server restart', async () => {
    const first = await startTestApp();
    await first.runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const client = await listen(first, '/v1/stream?topics=test', first.auth('admin'));
    await emit(first, 'test.r', { n: 1 });
    const [seen] = await client.waitFor(1);
    client.close();
    await emit(first, 'test.r', { n: 2 });
    await first.close({ drop: false });

    const second = await startTestApp({ database: first.database });
    try {
      await emit(second, 'test.r', { n: 3 });
      await second.runtime.app.listen({ port: 0, host: '127.0.0.1' });
      const resumed = await listen(second, '/v1/stream?topics=test', {
        ...second.auth('admin'),
        'last-event-id': seen!.id,
      });
      await resumed.waitFor(2);
      resumed.close();
      expect(resumed.events.map((e) => e.data)).toEqual([{ n: 2 }, { n: 3 }]);
    } finally {
      await second.close({ drop: true });
    }
  });
});

// Several nodes share one PostgreSQL database; on SQLite (one node per file) two nodes would only be two
// connections of one process contending for one file, which is not a setup the platform supports.
describe.skipIf(ENGINE !== 'postgres')('forwarders across nodes', () => {
  it('run on one node at a time, and pass to another when that node stops or its lease runs out', async () => {
    const a = await startTestApp({ workers: false });
    const b = await startTestApp({ database: a.database, workers: false });
    const sent = { a: [] as number[], b: [] as number[] };
    for (const [node, app] of [
      ['a', a],
      ['b', b],
    ] as const) {
      app.runtime.dispatcher.addForwarder({
        name: 'test-forwarder',
        forward: async (events) => {
          sent[node].push(
            ...events.filter((e) => e.type === 'test.fwd').map((e) => (e.payload as { n: number }).n),
          );
        },
      });
    }
    try {
      await a.runtime.startWorkers();
      await b.runtime.startWorkers();
      for (let n = 1; n <= 20; n++) await emit(n % 2 ? a : b, 'test.fwd', { n });
      await expect.poll(() => sent.a.length + sent.b.length, { timeout: 5000 }).toBe(20);
      await new Promise((r) => setTimeout(r, 300));
      // One node sent everything, once and in order; the other nothing.
      const [holder, other] = sent.a.length > 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
      expect(sent[holder]).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(sent[other]).toEqual([]);

      // A node that stops hands over at once.
      await (holder === 'a' ? a : b).runtime.dispatcher.stop();
      const survivor = holder === 'a' ? b : a;
      await emit(survivor, 'test.fwd', { n: 21 });
      await expect.poll(() => sent[other], { timeout: 3000 }).toEqual([21]);

      // A node that died leaves its lease to run out; then the survivor takes over, and nothing was sent twice.
      await survivor.runtime.dispatcher.stop();
      await survivor.runtime.database.db
        .updateTable('event_consumers')
        .set({ held_by: 'dead-node', held_until: Date.now() + 1500 })
        .where('name', '=', 'test-forwarder')
        .execute();
      await survivor.runtime.dispatcher.start();
      await emit(survivor, 'test.fwd', { n: 22 });
      await new Promise((r) => setTimeout(r, 700));
      expect(sent[other]).toEqual([21]);
      await expect.poll(() => sent[other], { timeout: 5000 }).toEqual([21, 22]);
      expect(sent[holder]).toHaveLength(20);
    } finally {
      await b.close({ drop: false });
      await a.close();
    }
  });
});

const haveNats = await natsReachable();
if (!haveNats)
  console.warn(`NATS is not reachable at ${NATS_URL}: the JetStream tests are skipped (CI starts NATS).`);

describe.skipIf(!haveNats)('NATS JetStream', () => {
  it('publishes each event to omniloop.<context>.<type> with its id for de-duplication', async () => {
    const nc = await connect({ servers: NATS_URL });
    const received: { subject: string; id: string | undefined; body: unknown }[] = [];
    const sub = nc.subscribe('omniloop.test.>');
    void (async () => {
      for await (const m of sub)
        received.push({ subject: m.subject, id: m.headers?.get('Nats-Msg-Id'), body: m.json() });
    })();
    const t = await startTestApp({ env: { NATS_URL } });
    try {
      await emit(t, 'test.nats_check', { hello: 'jetstream' });
      await expect.poll(() => received.length, { timeout: 5000 }).toBe(1);
      expect(received[0]).toMatchObject({
        subject: 'omniloop.test.nats_check',
        body: { type: 'test.nats_check', data: { hello: 'jetstream' } },
      });
      expect(received[0]!.id).toMatch(/^evt_/);
    } finally {
      await t.close();
      sub.unsubscribe();
      await nc.close();
    }
  });
});
