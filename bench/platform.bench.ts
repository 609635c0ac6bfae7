import { appendEvent } from '../src/platform/events/outbox.js';
import { scheduleJob } from '../src/platform/jobs/jobs.js';
import { type BenchContext, load, startNode } from './lib.js';

/**
 * The platform's own costs, on both engines: the HTTP ceiling of a trivial route, events committed and handed
 * to a live listener per second, and durable jobs run per second.
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
}
