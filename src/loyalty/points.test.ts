import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { appendEvent, newId } from '../platform/index.js';
import { redeemPointsForOrder, restoreOrderBenefits, reverseForReturn } from './index.js';
import { type CompletedOrder, earnForOrder, expireLot } from './points.service.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  const tiers = await t.request({
    method: 'PUT',
    url: '/v1/loyalty/tiers',
    body: {
      tiers: [
        { code: 'regular', name: '普通', threshold: 0, multiplier: 1 },
        { code: 'silver', name: '银卡', threshold: 200_000, multiplier: 1.2 },
        { code: 'gold', name: '金卡', threshold: 800_000, multiplier: 1.5 },
        { code: 'black_diamond', name: '黑钻', threshold: 2_000_000, multiplier: 2 },
      ],
    },
  });
  expect(tiers.statusCode, tiers.body).toBe(200);
  await putRules({ returnWindowSeconds: 1 });
});
afterAll(() => t.close());

async function putRules(rules: object): Promise<void> {
  const res = await t.request({ method: 'PUT', url: '/v1/loyalty/rules', body: rules });
  expect(res.statusCode, res.body).toBe(200);
}

let phone = 13_900_000_000;
async function newMember(): Promise<string> {
  phone++;
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: String(phone), verified: true }], channel: 'pos' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

interface Line {
  lineNo: number;
  sku: string;
  category: string;
  quantity: number;
  unitPrice: number;
  pointsAmount?: number;
}

function completedEvent(orderId: string, memberId: string, lines: Line[], channel = 'pos') {
  const full = lines.map((l) => ({
    discountAmount: 0,
    pointsAmount: 0,
    paidAmount: l.unitPrice * l.quantity,
    ...l,
  }));
  return {
    type: 'order.completed',
    stream: `order:${orderId}`,
    location: channel === 'pos' ? 'SH01' : null,
    payload: {
      orderId,
      channel,
      storeCode: channel === 'pos' ? 'SH01' : null,
      memberId,
      completedAt: new Date().toISOString(),
      lines: full,
      paidAmount: full.reduce((s, l) => s + l.paidAmount, 0),
    },
  };
}

async function complete(orderId: string, memberId: string, lines: Line[], channel = 'pos') {
  const event = completedEvent(orderId, memberId, lines, channel);
  await t.runtime.database.transaction((trx) => appendEvent(trx, event));
  return event;
}

async function points(memberId: string) {
  const res = await t.request({ method: 'GET', url: `/v1/members/${memberId}/points?limit=200` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Balance = sum of the ledger, and the lots hold exactly that. */
async function expectLedgerConsistent(memberId: string): Promise<void> {
  const db = t.runtime.database.db;
  const ledger = await db
    .selectFrom('loyalty_points_ledger')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
  const lots = await db
    .selectFrom('loyalty_points_lots')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
  const view = await points(memberId);
  expect(view.available).toBe(ledger.reduce((s, e) => s + Number(e.points), 0));
  expect(view.pending).toBe(ledger.reduce((s, e) => s + Number(e.pending_points), 0));
  expect(view.available).toBe(
    lots.filter((l) => l.status === 'available').reduce((s, l) => s + Number(l.remaining), 0),
  );
  expect(view.pending).toBe(
    lots
      .filter((l) => l.status === 'pending')
      .reduce((s, l) => s + Number(l.points) - Number(l.reversed_points), 0),
  );
  expect(new Set(ledger.map((e) => e.source_key)).size).toBe(ledger.length);
}

describe('points', () => {
  it('earns on a POS order (pending through the return window), spends online, reverses a return into debt', async () => {
    const member = await newMember();
    const order = newId('ord');
    await complete(order, member, [
      { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 2, unitPrice: 10_000 },
      { lineNo: 2, sku: 'CRM-1', category: 'skincare', quantity: 1, unitPrice: 30_000 },
    ]);
    const pending = await until(
      () => points(member),
      (p) => p.pending > 0 || p.available > 0,
    );
    expect(pending.pending + pending.available).toBe(500);
    // Not spendable until the return window (1 s here) has passed.
    expect(pending.available).toBe(0);
    expect(pending.lots.map((l: { pending: number }) => l.pending).sort()).toEqual([200, 300]);
    await expect(
      t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: newId('ord'), memberId: member, points: 100 }),
      ),
    ).rejects.toMatchObject({ code: 'LOYALTY.INSUFFICIENT_POINTS' });
    const matured = await until(
      () => points(member),
      (p) => p.available === 500,
    );
    expect(matured.pending).toBe(0);
    await expectLedgerConsistent(member);

    // An online order pays 300 fen with 300 points, taking the oldest lots first.
    const online = newId('ord');
    const paid = await t.runtime.database.transaction((trx) =>
      redeemPointsForOrder(trx, { orderId: online, memberId: member, points: 300 }),
    );
    expect(paid).toEqual({ points: 300, amount: 300 });
    expect((await points(member)).available).toBe(200);
    await expect(
      t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: newId('ord'), memberId: member, points: 201 }),
      ),
    ).rejects.toMatchObject({ code: 'LOYALTY.INSUFFICIENT_POINTS' });

    // Returning the skincare line takes back its 300 points; only 200 are left, so the balance goes to −100.
    const returnId = newId('ret');
    const reversal = await t.runtime.database.transaction((trx) =>
      reverseForReturn(trx, {
        returnId,
        orderId: order,
        lines: [{ lineNo: 2, quantity: 1, pointsAmount: 0 }],
        wholeOrderReturned: false,
      }),
    );
    expect(reversal).toEqual({ pointsReversed: 300, pointsRestored: 0, couponsRestored: [] });
    const again = await t.runtime.database.transaction((trx) =>
      reverseForReturn(trx, {
        returnId,
        orderId: order,
        lines: [{ lineNo: 2, quantity: 1, pointsAmount: 0 }],
        wholeOrderReturned: false,
      }),
    );
    expect(again).toEqual(reversal);
    let view = await points(member);
    expect(view.available).toBe(-100);
    expect(
      view.lots.some((l: { kind: string; remaining: number }) => l.kind === 'debt' && l.remaining === -100),
    ).toBe(true);
    await expectLedgerConsistent(member);

    // The next order's points settle the debt once they mature.
    await complete(newId('ord'), member, [
      { lineNo: 1, sku: 'LIP-2', category: 'lipstick', quantity: 1, unitPrice: 15_000 },
    ]);
    view = await until(
      () => points(member),
      (p) => p.pending === 0 && p.available === 50,
    );
    expect(view.lots.filter((l: { kind: string }) => l.kind === 'debt')).toEqual([]);
    await expectLedgerConsistent(member);
  });

  it('earns once when the same order event is delivered twice', async () => {
    const member = await newMember();
    const order = newId('ord');
    const event = await complete(order, member, [
      { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 12_300 },
    ]);
    await t.runtime.database.transaction((trx) => appendEvent(trx, event));
    await until(
      () => points(member),
      (p) => p.pending + p.available === 123,
    );
    // And the handler itself, called again with the same order: nothing more.
    const again = await t.runtime.database.transaction((trx) =>
      earnForOrder(trx, event.payload as CompletedOrder),
    );
    expect(again).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const view = await points(member);
    expect(view.pending + view.available).toBe(123);
    expect(view.ledger.filter((e: { kind: string }) => e.kind === 'earn')).toHaveLength(1);
    await expectLedgerConsistent(member);
  });

  it('expires a lot exactly once', async () => {
    await putRules({ returnWindowSeconds: 0, expiry: { mode: 'after', seconds: 1 } });
    try {
      const member = await newMember();
      await complete(newId('ord'), member, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 9_900 },
      ]);
      const expired = await until(
        () => points(member),
        (p) => p.ledger.some((e: { kind: string }) => e.kind === 'expire'),
      );
      expect(expired.available).toBe(0);
      const lotId = expired.ledger.find((e: { kind: string }) => e.kind === 'expire').lotId;
      expect(await t.runtime.database.transaction((trx) => expireLot(trx, lotId))).toBe(0);
      const view = await points(member);
      expect(view.ledger.filter((e: { kind: string }) => e.kind === 'expire')).toHaveLength(1);
      expect(view.ledger.find((e: { kind: string }) => e.kind === 'expire').points).toBe(-99);
      await expectLedgerConsistent(member);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('gives redeemed points back once when the order is cancelled, and for a returned line', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const member = await newMember();
      await complete(newId('ord'), member, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 100_000 },
      ]);
      await until(
        () => points(member),
        (p) => p.available === 1000,
      );
      const cancelled = newId('ord');
      await t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: cancelled, memberId: member, points: 400 }),
      );
      expect((await points(member)).available).toBe(600);
      for (let i = 0; i < 2; i++) {
        await t.runtime.database.transaction((trx) => restoreOrderBenefits(trx, { orderId: cancelled }));
      }
      expect((await points(member)).available).toBe(1000);

      // An order paid 500 fen with points; one of its two lines (250 fen of points) comes back.
      const order = newId('ord');
      await t.runtime.database.transaction((trx) =>
        redeemPointsForOrder(trx, { orderId: order, memberId: member, points: 500 }),
      );
      const result = await t.runtime.database.transaction((trx) =>
        reverseForReturn(trx, {
          returnId: newId('ret'),
          orderId: order,
          lines: [{ lineNo: 1, quantity: 1, pointsAmount: 250 }],
          wholeOrderReturned: false,
        }),
      );
      expect(result.pointsRestored).toBe(250);
      expect((await points(member)).available).toBe(750);
      await expectLedgerConsistent(member);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('upgrades the tier as soon as the rolling spend crosses a threshold', async () => {
    const member = await newMember();
    await complete(newId('ord'), member, [
      { lineNo: 1, sku: 'CRM-9', category: 'skincare', quantity: 1, unitPrice: 250_000 },
    ]);
    const view = await until(
      async () => (await t.request({ method: 'GET', url: `/v1/members/${member}` })).json(),
      (v) => v.tier?.code === 'silver',
    );
    expect(view.tier).toMatchObject({ code: 'silver', qualifyingSpend: 250_000, next: { code: 'gold' } });
    expect(view.points).toEqual({ available: expect.any(Number), pending: expect.any(Number) });
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('type', '=', 'member.tier_changed')
      .execute();
    expect(
      events.map((e) => JSON.parse(e.payload)).some((p) => p.memberId === member && p.to === 'silver'),
    ).toBe(true);
    // The next order earns with the silver multiplier (1.2).
    const order = newId('ord');
    await complete(order, member, [
      { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 10_000 },
    ]);
    const p = await until(
      () => points(member),
      (v) => v.ledger.some((e: { orderId: string }) => e.orderId === order),
    );
    expect(
      p.ledger.find((e: { orderId: string; kind: string }) => e.orderId === order && e.kind === 'earn')
        .pendingPoints,
    ).toBe(120);
  });

  it('follows a merge: points, ledger and spend move to the survivor, who keeps the better tier; unmerge moves them back', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const rich = await newMember();
      const emailRes = await t.request({
        method: 'POST',
        url: '/v1/identify',
        body: { identifiers: [{ type: 'email', value: `m${phone}@example.com` }], channel: 'online' },
      });
      const guest = emailRes.json().memberId as string;
      await complete(newId('ord'), guest, [
        { lineNo: 1, sku: 'CRM-9', category: 'skincare', quantity: 1, unitPrice: 900_000 },
      ]);
      await complete(newId('ord'), rich, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 10_000 },
      ]);
      await until(
        () => points(guest),
        (p) => p.available === 9000,
      );
      await until(
        () => points(rich),
        (p) => p.available === 100,
      );
      const merged = await t.request({
        method: 'POST',
        url: '/v1/identify',
        body: {
          identifiers: [
            { type: 'phone', value: String(phone), verified: true },
            { type: 'email', value: `m${phone}@example.com` },
          ],
          channel: 'online',
        },
      });
      expect(merged.statusCode, merged.body).toBe(200);
      const survivor = merged.json().memberId as string;
      const gone = survivor === rich ? guest : rich;
      expect(merged.json().mergedFrom).toEqual([gone]);
      const view = await until(
        async () => (await t.request({ method: 'GET', url: `/v1/members/${survivor}` })).json(),
        (v) => v.tier?.code === 'gold',
      );
      expect(view.points.available).toBe(9100);
      await expectLedgerConsistent(survivor);

      const merges = (await t.request({ method: 'GET', url: `/v1/members/${survivor}/merges` })).json();
      const mergeId = (merges.items ?? merges)[0].id;
      const undone = await t.request({
        method: 'POST',
        url: `/v1/members/${survivor}/unmerge`,
        body: { mergeId },
      });
      expect(undone.statusCode, undone.body).toBe(200);
      expect((await points(gone)).available).toBe(gone === guest ? 9000 : 100);
      expect((await points(survivor)).available).toBe(survivor === guest ? 9000 : 100);
      await expectLedgerConsistent(gone);
      await expectLedgerConsistent(survivor);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('never overdraws under concurrent spends', async () => {
    await putRules({ returnWindowSeconds: 0 });
    try {
      const member = await newMember();
      await complete(newId('ord'), member, [
        { lineNo: 1, sku: 'LIP-1', category: 'lipstick', quantity: 1, unitPrice: 20_000 },
        { lineNo: 2, sku: 'LIP-2', category: 'lipstick', quantity: 1, unitPrice: 30_000 },
      ]);
      await until(
        () => points(member),
        (p) => p.available === 500,
      );
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          t.runtime.database.transaction((trx) =>
            redeemPointsForOrder(trx, { orderId: newId('ord'), memberId: member, points: 100 }),
          ),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'LOYALTY.INSUFFICIENT_POINTS' });
      }
      expect((await points(member)).available).toBe(0);
      await expectLedgerConsistent(member);
    } finally {
      await putRules({ returnWindowSeconds: 1 });
    }
  });

  it('lets a customer read their own points only', async () => {
    const mine = await newMember();
    const other = await newMember();
    const customer = { role: 'customer' as const, subject: mine, memberId: mine, storeCode: null };
    expect(
      (await t.request({ method: 'GET', url: `/v1/members/${mine}/points`, as: customer })).statusCode,
    ).toBe(200);
    const res = await t.request({ method: 'GET', url: `/v1/members/${other}/points`, as: customer });
    expect(res.statusCode).toBe(403);
  });

  it('lists tiers and refuses tiers that do not start at 0', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/loyalty/tiers', as: null });
    expect(res.statusCode).toBe(401);
    const tiers = await t.request({ method: 'GET', url: '/v1/loyalty/tiers' });
    expect(tiers.json().items.map((x: { code: string }) => x.code)).toEqual([
      'regular',
      'silver',
      'gold',
      'black_diamond',
    ]);
    const bad = await t.request({
      method: 'PUT',
      url: '/v1/loyalty/tiers',
      body: { tiers: [{ code: 'x', name: 'x', threshold: 5, multiplier: 1 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('LOYALTY.INVALID_TIERS');
  });
});
