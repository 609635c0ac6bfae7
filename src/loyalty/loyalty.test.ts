import { describe, expect, it } from 'vitest';
import { newId } from '../platform/index.js';
import { complete, newMember, points, setupPointsApp, t, until } from './loyalty.testkit.js';

setupPointsApp();

describe('tiers', () => {
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
