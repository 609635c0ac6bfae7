import { openDatabase } from '../src/platform/db/index.js';
import { appendEvent } from '../src/platform/events/outbox.js';
import { scheduleJob } from '../src/platform/jobs/jobs.js';
import { allowConnections, createTestDatabase, terminateConnections } from '../test/helpers/database.js';
import {
  BENCH_ADMIN_TOKEN,
  type BenchContext,
  load,
  type ServerProcess,
  startNode,
  startServerProcess,
} from './lib.js';
import { prepareOrderWorld } from './orders.bench.js';

/**
 * The platform's own costs, on both engines: the HTTP ceiling of a trivial route, events committed and handed
 * to a live listener per second, and durable jobs run per second. Then scale-out and outages on PostgreSQL:
 * orders per second with 1, 2 and 3 nodes on one database, and how soon a node places orders again after its
 * database comes back.
 */
export async function platformSuite(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 3 : 8;
  for (const engine of ['sqlite', 'postgres'] as const) {
    const node = await startNode(engine);
    try {
      if (engine === 'sqlite') {
        const ceiling = await load({ url: `${node.url}/health`, connections: 64, seconds });
        ctx.record('http.ceiling_per_s', ceiling.perSecond, 'req/s');
      }

      const count = ctx.quick ? 2000 : 10000;
      let delivered = 0;
      const done = new Promise<void>((resolve) => {
        node.runtime.dispatcher.subscribe(() => {
          if (++delivered === count) resolve();
        });
      });
      const t0 = performance.now();
      const writers = 16;
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = w; i < count; i += writers) {
            await node.runtime.database.transaction((trx) =>
              appendEvent(trx, { type: 'bench.tick', stream: `bench:${i % 100}`, payload: { i } }),
            );
          }
        }),
      );
      await done;
      ctx.record(
        `${engine}.events_committed_and_delivered_per_s`,
        count / ((performance.now() - t0) / 1000),
        'events/s',
      );

      const jobs = ctx.quick ? 500 : 2000;
      let ran = 0;
      const allRan = new Promise<void>((resolve) => {
        node.runtime.jobs.register('bench.noop', async () => {
          if (++ran === jobs) resolve();
        });
      });
      const j0 = performance.now();
      await node.runtime.database.transaction(async (trx) => {
        for (let i = 0; i < jobs; i++) await scheduleJob(trx, { kind: 'bench.noop', runAt: new Date() });
      });
      await allRan;
      ctx.record(`${engine}.jobs_run_per_s`, jobs / ((performance.now() - j0) / 1000), 'jobs/s');
    } finally {
      await node.close();
    }
  }
  await ordersAcrossNodes(ctx, ctx.quick ? 2 : 5);
  await outageRecovery(ctx);
}

/**
 * Orders placed per second over HTTP by 1, 2 and 3 node processes on one PostgreSQL database, 64 connections
 * spread over the nodes (`nodes.orders_per_s.<n>`).
 */
async function ordersAcrossNodes(ctx: BenchContext, seconds: number): Promise<void> {
  const target = await createTestDatabase('postgres');
  const database = openDatabase(target.target);
  const nodes: ServerProcess[] = [];
  try {
    const { body } = await prepareOrderWorld(database);
    const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
    for (const count of [1, 2, 3]) {
      while (nodes.length < count) nodes.push(await startServerProcess(target.target));
      const run = (window: number) =>
        Promise.all(
          nodes.map((node) =>
            load({
              url: `${node.url}/v1/orders`,
              method: 'POST',
              connections: Math.floor(64 / count),
              seconds: window,
              headers,
              body,
            }),
          ),
        );
      await run(1); // the new node's JIT and statement cache settle first
      const placed = (await run(seconds)).reduce((sum, result) => sum + (result.statusCounts['201'] ?? 0), 0);
      ctx.record(`nodes.orders_per_s.${count}`, placed / seconds, 'orders/s');
    }
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await database.close();
    await target.drop();
  }
}

/**
 * A node placing orders while its PostgreSQL database goes away for two seconds (connections ended, new ones
 * refused): `outage.recovery_ms` is the time from the database answering again to the first order placed, and
 * `outage.answers_not_503` counts the answers during the outage that were anything but 503 (should be 0).
 */
async function outageRecovery(ctx: BenchContext): Promise<void> {
  const target = await createTestDatabase('postgres');
  const database = openDatabase(target.target);
  try {
    const { body } = await prepareOrderWorld(database);
    await database.close();
    const node = await startServerProcess(target.target);
    try {
      const place = async () => {
        const res = await fetch(`${node.url}/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: body(),
        });
        await res.arrayBuffer();
        return res.status;
      };
      for (let i = 0; i < 50; i++) await place();
      await allowConnections(target.target, false);
      await terminateConnections(target.target);
      const during: number[] = [];
      const outageEnds = performance.now() + 2000;
      while (performance.now() < outageEnds) {
        during.push(await place());
        await new Promise((r) => setTimeout(r, 20));
      }
      await allowConnections(target.target, true);
      const back = performance.now();
      while ((await place()) !== 201) await new Promise((r) => setTimeout(r, 5));
      ctx.record('outage.recovery_ms', performance.now() - back, 'ms');
      ctx.record('outage.answers_not_503', during.filter((status) => status !== 503).length);
    } finally {
      await node.stop();
    }
  } finally {
    await allowConnections(target.target, true).catch(() => undefined);
    await target.drop();
  }
}
