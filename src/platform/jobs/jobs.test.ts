import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { isoAfter } from '../time.js';
import { JobWorker, retryDelayMs, scheduleJob } from './jobs.js';

describe('retry back-off', () => {
  it('doubles from one second and caps at an hour', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(1000);
    expect(retryDelayMs(2, () => 0.5)).toBe(2000);
    expect(retryDelayMs(5, () => 0.5)).toBe(16000);
    expect(retryDelayMs(40, () => 0.5)).toBe(3_600_000);
  });
});

describe('durable jobs', () => {
  it('runs a job scheduled before a restart after it, exactly once', async () => {
    const first = await startTestApp({ workers: false });
    await first.runtime.database.transaction((trx) =>
      scheduleJob(trx, {
        kind: 'test.remember',
        runAt: isoAfter(300),
        payload: { note: 'after restart' },
        key: 'remember-1',
      }),
    );
    await first.close({ drop: false });

    const second = await startTestApp({ database: first.database, workers: false });
    const runs: unknown[] = [];
    second.runtime.jobs.register('test.remember', async (_trx, job) => {
      runs.push(job.payload);
    });
    await second.runtime.startWorkers();
    try {
      await expect.poll(() => runs.length, { timeout: 5000 }).toBe(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(runs).toEqual([{ note: 'after restart' }]);
      // Done jobs leave no row (the recurring reservation sweeper stays, by design).
      const left = await second.runtime.database.db
        .selectFrom('jobs')
        .select('kind')
        .where('kind', '=', 'test.remember')
        .execute();
      expect(left).toEqual([]);
    } finally {
      await second.close({ drop: true });
    }
  });

  describe('on one database', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ workers: false });
    });
    afterAll(() => t.close());

    it('keeps the first job of a key', async () => {
      await t.runtime.database.transaction(async (trx) => {
        await scheduleJob(trx, { kind: 'test.k', runAt: isoAfter(60_000), key: 'same' });
        await scheduleJob(trx, { kind: 'test.k', runAt: isoAfter(1000), key: 'same' });
      });
      const rows = await t.runtime.database.db
        .selectFrom('jobs')
        .selectAll()
        .where('key', '=', 'same')
        .execute();
      expect(rows).toHaveLength(1);
      await t.runtime.database.db.deleteFrom('jobs').execute();
    });

    it('retries a failing job with back-off and rolls back its writes each time', async () => {
      const worker = new JobWorker(t.runtime.database, pino({ level: 'silent' }), { pollMs: 50 });
      let calls = 0;
      worker.register('test.flaky', async (trx) => {
        calls++;
        await scheduleJob(trx, {
          kind: 'test.side_effect',
          runAt: isoAfter(3_600_000),
          key: `effect-${calls}`,
        });
        if (calls === 1) throw new Error('provider unavailable');
      });
      await t.runtime.database.transaction((trx) =>
        scheduleJob(trx, { kind: 'test.flaky', runAt: new Date() }),
      );
      worker.start();
      try {
        await expect.poll(() => calls, { timeout: 6000, interval: 100 }).toBe(2);
        const effects = await t.runtime.database.db
          .selectFrom('jobs')
          .select('key')
          .where('kind', '=', 'test.side_effect')
          .execute();
        expect(effects.map((e) => e.key)).toEqual(['effect-2']);
      } finally {
        await worker.stop();
        await t.runtime.database.db.deleteFrom('jobs').execute();
      }
    });

    it('lets two workers share the work without running a job twice', async () => {
      const runs = new Map<string, number>();
      const workers = [0, 1].map(() => {
        const w = new JobWorker(t.runtime.database, pino({ level: 'silent' }), { pollMs: 20, batchSize: 5 });
        w.register('test.count', async (_trx, job) => {
          const n = String(job.payload.n);
          runs.set(n, (runs.get(n) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 2));
        });
        return w;
      });
      await t.runtime.database.transaction(async (trx) => {
        for (let n = 0; n < 60; n++)
          await scheduleJob(trx, { kind: 'test.count', runAt: new Date(), payload: { n } });
      });
      for (const w of workers) w.start();
      try {
        await expect.poll(() => runs.size, { timeout: 10_000 }).toBe(60);
        await Promise.all(workers.map((w) => w.runDue()));
        expect([...runs.values()].every((count) => count === 1)).toBe(true);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    });

    it("keeps the lease of a long job while its worker lives, and takes over a dead worker's job when it lapses", async () => {
      const silent = pino({ level: 'silent' });
      const runs: string[] = [];
      const make = (name: string, hold: number) => {
        const w = new JobWorker(t.runtime.database, silent, { pollMs: 20, leaseMs: 300 });
        w.register('test.long', async () => {
          runs.push(name);
          await new Promise((r) => setTimeout(r, hold));
        });
        return w;
      };
      const slow = make('slow', 1200);
      const other = make('other', 0);
      await t.runtime.database.transaction((trx) =>
        scheduleJob(trx, { kind: 'test.long', runAt: new Date() }),
      );
      slow.start();
      await expect.poll(() => runs.length, { timeout: 5000, interval: 10 }).toBe(1);
      other.start();
      try {
        // Four leases' time: the live worker renewed its claim, so the job ran once.
        await slow.stop();
        expect(runs).toEqual(['slow']);

        // A worker that died holding a claim: its lease lapses and another worker runs the job.
        await t.runtime.database.transaction((trx) =>
          scheduleJob(trx, { kind: 'test.long', runAt: new Date() }),
        );
        await t.runtime.database.db
          .updateTable('jobs')
          .set({ locked_by: 'dead-node', locked_until: isoAfter(300) })
          .where('kind', '=', 'test.long')
          .execute();
        await expect.poll(() => runs.length, { timeout: 5000, interval: 20 }).toBe(2);
        expect(runs[1]).toBe('other');
      } finally {
        await Promise.all([slow.stop(), other.stop()]);
        await t.runtime.database.db.deleteFrom('jobs').execute();
      }
    });

    it('marks a job failed for good after its last attempt', async () => {
      const worker = new JobWorker(t.runtime.database, pino({ level: 'silent' }), { pollMs: 30 });
      worker.register('test.doomed', async () => {
        throw new Error('always');
      });
      await t.runtime.database.transaction((trx) =>
        scheduleJob(trx, { kind: 'test.doomed', runAt: new Date(), maxAttempts: 1 }),
      );
      worker.start();
      try {
        await expect
          .poll(
            async () =>
              (await t.runtime.database.db
                .selectFrom('jobs')
                .select(['state', 'last_error'])
                .where('kind', '=', 'test.doomed')
                .executeTakeFirst()) ?? null,
            { timeout: 5000 },
          )
          .toEqual({ state: 'failed', last_error: 'always' });
      } finally {
        await worker.stop();
      }
    });
  });
});
