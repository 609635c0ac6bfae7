import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, TEST_SECRET, type TestApp } from './helpers/app.js';
import { ENGINE } from './helpers/database.js';
import { createNetwork, expectInventoryInvariants, setStock } from './helpers/inventory.js';
import { NATS_URL, natsReachable } from './helpers/nats.js';
import { type NodeProcess, startNodeProcess } from './helpers/node-process.js';
import { connectSse, type SseClient } from './helpers/sse.js';

// Three `omniloop serve` processes on one PostgreSQL database (and NATS JetStream when it is there), as a brand
// runs them behind a load balancer: orders, payments and returns are driven across all three, one is killed
// with SIGKILL halfway, and the others carry on. Several nodes on one SQLite file are not a supported setup
// (SQLite is the single-node engine), so this runs on PostgreSQL only.

const SHANGHAI = {
  city: '上海',
  lat: 31.2304,
  lng: 121.4737,
  name: '王小明',
  phone: '13812345678',
  line1: '南京西路 1 号',
};

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  json: any;
}

async function call(
  node: NodeProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${node.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

describe.skipIf(ENGINE !== 'postgres')('three nodes on one PostgreSQL database', () => {
  let setup: TestApp;
  let nodes: NodeProcess[] = [];
  let streams: SseClient[] = [];
  let startPosition = 0;
  const withNats = ENGINE === 'postgres' ? natsReachable() : Promise.resolve(false);

  beforeAll(async () => {
    setup = await startTestApp({ workers: false, examples: false });
    await createNetwork(
      setup,
      [
        { code: 'N-WH', kind: 'warehouse', city: '上海', lat: 31.15, lng: 121.12 },
        { code: 'N-S1', kind: 'store', city: '上海', lat: 31.2235, lng: 121.4453 },
      ],
      [
        { code: 'N-A', price: 10000 },
        { code: 'N-HOT', price: 100 },
      ],
    );
    await setStock(setup, 'N-A', 'N-WH', 1000);
    await setStock(setup, 'N-HOT', 'N-WH', 50);
    const env: Record<string, string> = (await withNats) ? { NATS_URL } : {};
    nodes = await Promise.all(
      [1, 2, 3].map(() =>
        startNodeProcess(setup.database.target, { secret: TEST_SECRET, adminToken: ADMIN_TOKEN, env }),
      ),
    );
    startPosition = Number(
      (
        await setup.runtime.database.db
          .selectFrom('outbox_events')
          .select((eb) => eb.fn.max('position').as('max'))
          .executeTakeFirst()
      )?.max ?? 0,
    );
    streams = await Promise.all(
      nodes.map((node) =>
        connectSse(`${node.url}/v1/stream`, {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          'last-event-id': String(startPosition),
        }),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await Promise.all(nodes.map((node) => node.stop()));
    await setup?.close();
  });

  const orderAt = async (node: NodeProcess, key: string) => {
    const placed = await call(
      node,
      'POST',
      '/v1/orders',
      {
        channel: 'online',
        lines: [{ sku: 'N-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      },
      { 'idempotency-key': key },
    );
    expect(placed.status, JSON.stringify(placed.json)).toBe(201);
    return placed.json as { id: string; payableAmount: number };
  };
  const pay = async (node: NodeProcess, order: { id: string; payableAmount: number }) => {
    const paid = await call(node, 'POST', `/v1/orders/${order.id}/payments`, {
      provider: 'simulated',
      amount: order.payableAmount,
    });
    expect(paid.status, JSON.stringify(paid.json)).toBe(201);
  };
  const statusOf = async (id: string) => (await call(nodes[0]!, 'GET', `/v1/orders/${id}`)).json.status;

  it('acts as one: orders, payments, idempotency keys, the hot SKU, returns and the stream across nodes, and survives losing one', async () => {
    // Orders placed on every node; the same Idempotency-Key sent to another node answers the same order.
    const orders: { id: string; payableAmount: number }[] = [];
    for (let i = 0; i < 9; i++) orders.push(await orderAt(nodes[i % 3]!, `three-nodes-${i}`));
    for (let i = 0; i < 3; i++) {
      const again = await orderAt(nodes[(i + 1) % 3]!, `three-nodes-${i}`);
      expect(again.id).toBe(orders[i]!.id);
    }
    expect(new Set(orders.map((o) => o.id)).size).toBe(9);

    // Paid on one node; the provider's callback job runs on whichever node claims it.
    for (const [i, order] of orders.entries()) await pay(nodes[(i + 1) % 3]!, order);

    // The hot SKU, 150 requests for 50 units over three nodes at once: exactly 50 granted.
    const reservations = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        call(nodes[i % 3]!, 'POST', '/v1/reservations', {
          lines: [{ sku: 'N-HOT', location: 'N-WH', quantity: 1 }],
        }),
      ),
    );
    expect(reservations.filter((r) => r.status === 201)).toHaveLength(50);
    expect(
      reservations
        .filter((r) => r.status !== 201)
        .every((r) => r.json.code === 'INVENTORY.INSUFFICIENT_STOCK'),
    ).toBe(true);

    // Kill the third node right after it took payments: whatever jobs it held are taken over by the others.
    const late = [
      await orderAt(nodes[2]!, 'three-nodes-late-1'),
      await orderAt(nodes[2]!, 'three-nodes-late-2'),
    ];
    for (const order of late) await pay(nodes[2]!, order);
    await nodes[2]!.kill();
    const alive = nodes.slice(0, 2);

    for (const order of [...orders, ...late])
      await expect.poll(() => statusOf(order.id), { timeout: 30_000, interval: 250 }).toBe('fulfilling');

    // One order delivered and returned at a store on another node; the refund completes.
    const first = (await call(alive[0]!, 'GET', `/v1/orders/${orders[0]!.id}`)).json;
    for (const f of first.fulfillments) {
      if (f.status === 'pending') await call(alive[1]!, 'POST', `/v1/fulfillments/${f.id}/accept`);
      expect(
        (
          await call(alive[0]!, 'POST', `/v1/fulfillments/${f.id}/ship`, {
            carrier: 'SF',
            trackingNumber: `SF${f.id}`,
          })
        ).status,
      ).toBe(200);
      expect((await call(alive[1]!, 'POST', `/v1/fulfillments/${f.id}/deliver`)).status).toBe(200);
    }
    await expect.poll(() => statusOf(orders[0]!.id), { timeout: 10_000 }).toBe('completed');
    const returned = await call(alive[1]!, 'POST', '/v1/returns', {
      orderId: orders[0]!.id,
      lines: [{ sku: 'N-A', quantity: 1 }],
      channel: 'pos',
      location: 'N-S1',
      reason: 'changed mind',
      condition: 'resellable',
    });
    expect(returned.status, JSON.stringify(returned.json)).toBe(201);
    await expect
      .poll(async () => (await call(alive[0]!, 'GET', `/v1/returns/${returned.json.id}`)).json.refundStatus, {
        timeout: 20_000,
        interval: 250,
      })
      .toBe('succeeded');

    // Jobs ran once: one payment.succeeded and one order.paid per order, whichever node ran them.
    const db = setup.runtime.database.db;
    const once = async (type: string) =>
      db
        .selectFrom('outbox_events')
        .select(['stream', (eb) => eb.fn.countAll<number>().as('n')])
        .where('type', '=', type)
        .where('position', '>', startPosition)
        .groupBy('stream')
        .execute();
    const paidEvents = await once('order.paid');
    expect(paidEvents).toHaveLength(11);
    expect(paidEvents.every((row) => Number(row.n) === 1)).toBe(true);

    // Every surviving node's stream carried every event, in order, from all three nodes.
    const last = Number(
      (
        await db
          .selectFrom('outbox_events')
          .select((eb) => eb.fn.max('position').as('max'))
          .executeTakeFirst()
      )?.max,
    );
    const expected = (
      await db
        .selectFrom('outbox_events')
        .select('position')
        .where('position', '>', startPosition)
        .where('position', '<=', last)
        .orderBy('position')
        .execute()
    ).map((row) => String(row.position));
    for (const stream of streams.slice(0, 2)) {
      await expect
        .poll(() => stream.events.filter((e) => Number(e.id) <= last).length, { timeout: 10_000 })
        .toBe(expected.length);
      expect(stream.events.filter((e) => Number(e.id) <= last).map((e) => e.id)).toEqual(expected);
    }

    await expectInventoryInvariants(setup);
  }, 180_000);
});
