import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../../test/helpers/app.js';
import { setStock } from '../../test/helpers/inventory.js';
import { pay, place, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';
import { piiFor } from '../members/index.js';
import { recomputeTraits } from './traits.service.js';

// Traits kept current by the consumer equal a full recompute from the facts, whatever the facts arrive as: store
// sales, the imported history with its returns, trials — in any order (fast-check), on both engines.

setUpOrderWorld();
beforeAll(async () => {
  await setStock(t, 'O-C', 'O-S1', 1000);
  await setStock(t, 'O-D', 'O-S1', 1000);
});

const CARDS = ['70001', '70002', '70003'];
const members: string[] = [];
let invoice = 600_000;

async function caughtUp(): Promise<void> {
  const db = t.runtime.database.db;
  await expect
    .poll(
      async () => {
        const waiting = await db
          .selectFrom('outbox_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('position', 'is', null)
          .executeTakeFirstOrThrow();
        const top = await db
          .selectFrom('outbox_events')
          .select((eb) => eb.fn.max('position').as('p'))
          .executeTakeFirstOrThrow();
        const mine = await db
          .selectFrom('event_consumers')
          .select('position')
          .where('name', '=', 'audience.traits')
          .executeTakeFirst();
        return Number(waiting.n) === 0 && Number(mine?.position ?? 0) >= Number(top.p ?? 0);
      },
      { timeout: 20_000, interval: 50 },
    )
    .toBe(true);
}

async function traitRows() {
  const rows = await t.runtime.database.db
    .selectFrom('member_traits')
    .selectAll()
    .orderBy('member_id')
    .execute();
  return rows.map(({ updated_at: _, ...row }) => ({
    ...row,
    spend: Number(row.spend),
    spend_365: Number(row.spend_365),
    average_order: Number(row.average_order),
    returned_amount: Number(row.returned_amount),
    return_rate: Number(row.return_rate),
  }));
}

async function importHistory(card: string, sku: string, quantity: number, returned: number) {
  const no = String(invoice++);
  const rows = [`${no},${sku},HISTORY ITEM,${quantity},2011-03-01 10:00:00,1.50,${card}.0,United Kingdom`];
  if (returned > 0)
    rows.push(`C${no},${sku},HISTORY ITEM,-${returned},2011-03-02 10:00:00,1.50,${card}.0,United Kingdom`);
  const res = await t.request({
    method: 'POST',
    url: '/v1/imports/orders?format=online_retail&timezone=Europe/London',
    headers: { 'content-type': 'text/csv' },
    body: `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n${rows.join('\n')}\n`,
  });
  expect(res.statusCode, res.body).toBe(202);
  await expect
    .poll(async () => (await t.request({ method: 'GET', url: `/v1/imports/${res.json().id}` })).json().status)
    .toBe('completed');
}

async function buy(memberId: string, sku: string, quantity: number, store: string) {
  const placed = await place({
    channel: 'pos',
    storeCode: store,
    memberId,
    lines: [{ sku, quantity }],
    fulfillment: { type: 'carry_out' },
  });
  expect(placed.statusCode, placed.body).toBe(201);
  await pay(placed.json().id);
  await until(placed.json().id, 'completed');
}

async function trial(memberId: string, sku: string) {
  const res = await t.request({
    method: 'POST',
    url: '/v1/experiences',
    body: { memberId, store: 'O-S1', sku, kind: 'trial' },
  });
  expect(res.statusCode, res.body).toBe(201);
}

describe('member traits', () => {
  it('are derived from store sales, history with its returns and trials', async () => {
    for (const card of CARDS) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/identify',
        body: { identifiers: [{ type: 'card', value: card }], channel: 'pos' },
      });
      members.push(res.json().memberId);
    }
    const [ann] = members as [string];
    await buy(ann, 'O-C', 2, 'O-S1');
    await importHistory('70001', 'H-1', 4, 1);
    await trial(ann, 'O-A');
    await caughtUp();
    const traits = await t.request({ method: 'GET', url: `/v1/members/${ann}/traits` });
    expect(traits.statusCode, traits.body).toBe(200);
    expect(traits.json()).toMatchObject({
      orderCount: 2,
      spend: 2 * 9900 + 4 * 150,
      averageOrder: Math.round((2 * 9900 + 4 * 150) / 2),
      firstOrderAt: '2011-03-01T10:00:00.000Z',
      unitsBought: 6,
      unitsReturned: 1,
      returnedAmount: 150,
      returnRate: Number((1 / 6).toFixed(4)),
      channels: ['online', 'pos'],
      stores: ['O-S1'],
      homeStore: 'O-S1',
      topCategories: ['uncategorised', 'lipstick'],
      trialCount: 1,
    });
    expect(traits.json().spend365).toBe(2 * 9900);
    // Her card, for analysis that breaks ties by it.
    const row = await t.runtime.database.db
      .selectFrom('member_traits')
      .select('card')
      .where('member_id', '=', ann)
      .executeTakeFirstOrThrow();
    expect(row.card).toBe('70001');
    // The whole recompute over HTTP agrees with what the consumer kept.
    const again = await t.request({ method: 'POST', url: '/v1/audience/traits/recompute' });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ members: 3, withTraits: 1 });
    expect((await t.request({ method: 'GET', url: `/v1/members/${ann}/traits` })).json()).toEqual({
      ...traits.json(),
      updatedAt: expect.any(String),
    });
    // The 360 view carries them.
    expect(
      (await t.request({ method: 'GET', url: `/v1/members/${ann}` })).json().computedTraits,
    ).toMatchObject({
      orderCount: 2,
    });
    // Nothing known yet: null, not zeros.
    const none = await t.request({ method: 'GET', url: `/v1/members/${members[2]}/traits` });
    expect(none.json()).toBeNull();
  });

  it('kept current by the consumer equal a full recompute after random facts', async () => {
    const action = fc.oneof(
      fc.record({
        kind: fc.constant('buy' as const),
        member: fc.integer({ min: 0, max: 2 }),
        sku: fc.constantFrom('O-C', 'O-D'),
        quantity: fc.integer({ min: 1, max: 2 }),
        store: fc.constant('O-S1'),
      }),
      fc.record({
        kind: fc.constant('history' as const),
        member: fc.integer({ min: 0, max: 2 }),
        sku: fc.constantFrom('H-1', 'H-2', 'H-3'),
        quantity: fc.integer({ min: 1, max: 5 }),
        returned: fc.integer({ min: 0, max: 1 }),
      }),
      fc.record({
        kind: fc.constant('trial' as const),
        member: fc.integer({ min: 0, max: 2 }),
        sku: fc.constantFrom('O-A', 'O-B'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 4 }), async (actions) => {
        for (const a of actions) {
          const memberId = members[a.member]!;
          if (a.kind === 'buy') await buy(memberId, a.sku, a.quantity, a.store);
          else if (a.kind === 'history') await importHistory(CARDS[a.member]!, a.sku, a.quantity, a.returned);
          else await trial(memberId, a.sku);
        }
        await caughtUp();
        const incremental = await traitRows();
        await recomputeTraits(t.runtime.database, piiFor(TEST_SECRET));
        expect(await traitRows()).toEqual(incremental);
      }),
      { numRuns: 6, seed: 17 },
    );
  });
});
