import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guideOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { RFM_SEGMENTS } from './rfm.rules.js';
import { runMonthly } from './rfm-schedule.service.js';

// RFM runs over HTTP: both schemes over the imported history, stored with every member's scores; the grid, the
// movements between two runs, a member's latest scores; bad settings refused; the monthly run once a month.

let t: TestApp;
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';

async function importRows(rows: string[]) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/imports/orders?format=online_retail&timezone=UTC',
    headers: { 'content-type': 'text/csv' },
    body: `${HEADER}\n${rows.join('\n')}\n`,
  });
  expect(res.statusCode, res.body).toBe(202);
  await vi.waitFor(
    async () => {
      const status = (await t.request({ method: 'GET', url: `/v1/imports/${res.json().id}` })).json().status;
      if (status !== 'completed') throw new Error(`import ${status}`);
    },
    { timeout: 15_000, interval: 50 },
  );
}

async function traitsCaughtUp(members: number) {
  await vi.waitFor(
    async () => {
      const { n } = await t.runtime.database.db
        .selectFrom('member_traits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('order_count', '>', 0)
        .executeTakeFirstOrThrow();
      if (Number(n) !== members) throw new Error(`${n} members with traits`);
    },
    { timeout: 15_000, interval: 50 },
  );
}

// Ten customers: customer k bought k times, the last time k days before 2011-12-10, for k × ¥10 each time.
function history(): string[] {
  const rows: string[] = [];
  let invoice = 700_000;
  for (let k = 1; k <= 10; k++) {
    for (let i = 0; i < k; i++) {
      const day = new Date(Date.parse('2011-12-10T12:00:00Z') - (k + 3 * i) * 86_400_000);
      const at = day.toISOString().slice(0, 16).replace('T', ' ');
      rows.push(`${invoice++},SKU-${k},ITEM,1,${at},${k * 10}.00,${80_000 + k}.0,United Kingdom`);
    }
  }
  return rows;
}

beforeAll(async () => {
  t = await startTestApp();
  await importRows(history());
  await traitsCaughtUp(10);
});
afterAll(() => t.close());

describe('RFM runs', () => {
  it('scores every member with a purchase, stores the run, the grid and each member’s scores', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'quintile', asOf: '2011-12-10T00:00:00Z' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({ scheme: 'quintile', asOf: '2011-12-10T00:00:00.000Z', members: 10 });
    expect(run.settings).toEqual({ windowDays: null, monetary: 'total', threshold: null });
    expect(run.segments.map((s: { segment: string }) => s.segment)).toEqual([...RFM_SEGMENTS]);
    expect(run.segments.reduce((n: number, s: { members: number }) => n + s.members, 0)).toBe(10);
    // The best customer (10 purchases, ¥1,000, the least recent last purchase) and the smallest.
    const best = (await t.request({ method: 'GET', url: '/v1/members/lookup?type=card&value=80010' })).json()
      .id as string;
    const scores = (await t.request({ method: 'GET', url: `/v1/members/${best}/rfm` })).json();
    expect(scores).toEqual([
      expect.objectContaining({
        runId: run.id,
        frequency: 10,
        monetary: 10_000 * 10,
        rScore: 1,
        fScore: 5,
        mScore: 5,
      }),
    ]);
    expect((await t.request({ method: 'GET', url: `/v1/members/${best}` })).json().rfm[0].segment).toBe(
      'cannot_lose_them',
    );
    const grid = (await t.request({ method: 'GET', url: `/v1/rfm/runs/${run.id}/grid` })).json();
    expect(grid.cells.reduce((n: number, c: { members: number }) => n + c.members, 0)).toBe(10);
    expect((await t.request({ method: 'GET', url: `/v1/rfm/runs/${run.id}` })).json()).toEqual(run);
  });

  it('runs the eight classes against the median, windows the purchases, and tells the movement', async () => {
    const first = (
      await t.request({
        method: 'POST',
        url: '/v1/rfm/runs',
        body: { scheme: 'quintile', asOf: '2011-12-10T00:00:00Z' },
      })
    ).json();
    const eight = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'eight_class', asOf: '2011-12-10T00:00:00Z', threshold: 'median', monetary: 'average' },
    });
    expect(eight.statusCode, eight.body).toBe(201);
    expect(eight.json().segments.map((s: { segment: string }) => s.segment)).toContain('important_value');
    // A 5-day window sees only the purchases of its last five days: five customers, one purchase each.
    const windowed = (
      await t.request({
        method: 'POST',
        url: '/v1/rfm/runs',
        body: { scheme: 'quintile', asOf: '2011-12-10T00:00:00Z', windowDays: 5 },
      })
    ).json();
    expect(windowed.members).toBe(5);
    const moves = (
      await t.request({ method: 'GET', url: `/v1/rfm/runs/${windowed.id}/movements?from=${first.id}` })
    ).json();
    expect(moves.moves.reduce((n: number, m: { members: number }) => n + m.members, 0)).toBe(10);
    expect(
      moves.moves
        .filter((m: { to: string | null }) => m.to === null)
        .reduce((n: number, m: { members: number }) => n + m.members, 0),
    ).toBe(10 - windowed.members);
    // Newest first, page by page, none twice.
    const list = (await t.request({ method: 'GET', url: '/v1/rfm/runs?limit=2' })).json();
    expect(list.items).toHaveLength(2);
    const next = (
      await t.request({ method: 'GET', url: `/v1/rfm/runs?limit=2&cursor=${list.nextCursor}` })
    ).json();
    const all = [...list.items, ...next.items] as { id: string; createdAt: string }[];
    expect(new Set(all.map((r) => r.id)).size).toBe(4);
    expect(all.map((r) => r.createdAt)).toEqual([...all.map((r) => r.createdAt)].sort().reverse());
  });

  it('refuses settings that do not fit, unknown runs, and store staff', async () => {
    const bad = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'quintile', threshold: 'median' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'RFM.INVALID_SETTINGS', errors: [{ path: 'threshold' }] });
    const future = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'quintile', asOf: '2999-01-01T00:00:00Z' },
    });
    expect(future.json()).toMatchObject({ code: 'RFM.INVALID_SETTINGS' });
    expect((await t.request({ method: 'GET', url: '/v1/rfm/runs/rfm_nope' })).json()).toMatchObject({
      code: 'RFM.RUN_NOT_FOUND',
    });
    const guide = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'quintile' },
      as: guideOf('SH01'),
    });
    expect(guide.statusCode).toBe(403);
    // To now over all history, from the traits.
    const now = await t.request({ method: 'POST', url: '/v1/rfm/runs', body: { scheme: 'quintile' } });
    expect(now.json().members).toBe(10);
  });

  it('makes the month’s run once, on the brand’s day, when HQ turns the schedule on', async () => {
    expect((await t.request({ method: 'GET', url: '/v1/rfm/schedule' })).json()).toMatchObject({
      enabled: false,
    });
    const set = await t.request({
      method: 'PUT',
      url: '/v1/rfm/schedule',
      body: { enabled: true, dayOfMonth: 2, run: { scheme: 'eight_class', threshold: 'mean' } },
    });
    expect(set.statusCode, set.body).toBe(200);
    const count = async () =>
      Number(
        (
          await t.runtime.database.db
            .selectFrom('rfm_runs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('created_by', '=', 'schedule')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const at = (iso: string) =>
      t.runtime.database.transaction((trx) =>
        runMonthly(trx, t.runtime.database.engine, 'Asia/Shanghai', new Date(iso)),
      );
    await at('2026-12-01T12:00:00Z'); // the 1st: not yet
    expect(await count()).toBe(0);
    await at('2026-12-02T12:00:00Z');
    await at('2026-12-03T12:00:00Z'); // the same month again: nothing
    expect(await count()).toBe(1);
    expect((await t.request({ method: 'GET', url: '/v1/rfm/schedule' })).json()).toMatchObject({
      lastMonth: '2026-12',
    });
  });
});
