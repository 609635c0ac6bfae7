import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, guideOf, managerOf } from '../../test/helpers/app.js';
import { expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { level, place, SHANGHAI, setUpOrderWorld, t } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('placing orders', () => {
  it('prices from the catalog, plans, reserves and answers per the contract', async () => {
    const res = await place({
      channel: 'online',
      lines: [{ sku: 'O-A', quantity: 2 }],
      fulfillment: {
        type: 'delivery',
        address: { ...SHANGHAI, name: '王小明', phone: '13812345678', line1: '南京西路 1 号' },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(o).toMatchObject({
      status: 'pending_payment',
      lines: [{ sku: 'O-A', quantity: 2, unitPrice: 32000, discountAmount: 0, paidAmount: 64000 }],
      totalAmount: 64000,
      discountAmount: 0,
      payableAmount: 64000,
      expiresAt: expect.any(String),
      fulfillmentPlan: {
        groups: [{ location: 'O-WH', type: 'ship', lines: [{ sku: 'O-A', quantity: 2 }] }],
        explanation: expect.any(Array),
      },
    });
    expect(
      o.fulfillmentPlan.explanation.find((e: { location: string }) => e.location === 'O-WH').decision,
    ).toBe('chosen');
    expect(await level('O-A', 'O-WH')).toMatchObject({ reserved: 2 });
    // The recipient's phone is stored encrypted and shown whole only to those who may see it.
    const asGuide = await t.request({ method: 'GET', url: `/v1/orders/${o.id}`, as: guideOf('O-S3') });
    expect(asGuide.statusCode).toBe(403);
    expect(o.fulfillment.address.phone).toBe('13812345678');
  });

  it('names bad fields, unknown SKUs and what cannot be sourced', async () => {
    const bad = await place({
      channel: 'tmall',
      lines: [{ sku: 'O-A', quantity: 0 }],
      fulfillment: { type: 'delivery' },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['channel', 'lines[0].quantity', 'fulfillment.address']));
    const unknown = await place({
      channel: 'online',
      lines: [{ sku: 'NOPE', quantity: 1 }],
      fulfillment: { type: 'delivery', address: SHANGHAI },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('CATALOG.SKU_NOT_FOUND');
    const none = await place({
      channel: 'online',
      lines: [{ sku: 'O-C', quantity: 9 }],
      fulfillment: { type: 'delivery', address: SHANGHAI },
    });
    expect(none.statusCode).toBe(409);
    expect(none.json().code).toBe('FULFILLMENT.NO_SOURCE');
    // A pickup at a store that does not exist (or at a warehouse) names the store, not a shortage.
    for (const store of ['NO-SUCH-STORE', 'O-WH']) {
      const nowhere = await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'pickup', store },
      });
      expect(nowhere.statusCode).toBe(404);
      expect(nowhere.json()).toMatchObject({
        code: 'LOCATION.NOT_FOUND',
        errors: [{ path: 'fulfillment.store' }],
        params: { location: store },
      });
    }
  });

  it("holds each channel's quantity limits per line and per order, which HQ can change", async () => {
    const order = (lines: { sku: string; quantity: number }[]) =>
      place({ channel: 'online', lines, fulfillment: { type: 'delivery', address: SHANGHAI } });
    const reservedBefore = (await level('O-A', 'O-WH')).reserved;
    const tooMany = await order([{ sku: 'O-A', quantity: 11 }]);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toMatchObject({
      code: 'ORDER.QUANTITY_LIMIT',
      errors: [{ path: 'lines[0].quantity' }],
      params: { channel: 'online', limit: 10, quantity: 11, sku: 'O-A' },
    });
    expect((await level('O-A', 'O-WH')).reserved).toBe(reservedBefore);
    const policy = (body: object) =>
      t.request({ method: 'PUT', url: '/v1/channels/online/stock-policy', body });
    const raised = await policy({
      locationKinds: ['warehouse', 'store'],
      extraSafetyStock: 0,
      maxLineQuantity: 20,
      maxOrderQuantity: 30,
    });
    expect(raised.json()).toMatchObject({ maxLineQuantity: 20, maxOrderQuantity: 30 });
    expect((await order([{ sku: 'O-A', quantity: 11 }])).statusCode).toBe(201);
    const overall = await order([
      { sku: 'O-A', quantity: 16 },
      { sku: 'O-B', quantity: 16 },
    ]);
    expect(overall.json()).toMatchObject({
      code: 'ORDER.QUANTITY_LIMIT',
      params: { limit: 30, quantity: 32 },
    });
    await policy({ locationKinds: ['warehouse', 'store'], extraSafetyStock: 0 });
    const back = await t.request({ method: 'GET', url: '/v1/channels/stock-policies' });
    expect(back.json().items.find((p: { channel: string }) => p.channel === 'online')).toMatchObject({
      maxLineQuantity: 10,
      maxOrderQuantity: 50,
    });
  });

  it('is idempotent by the channel’s order number', async () => {
    const body = {
      channel: 'pos',
      externalId: 'POS-S1-0001',
      storeCode: 'O-S1',
      lines: [{ sku: 'O-C', quantity: 1 }],
      fulfillment: { type: 'carry_out' },
    };
    const first = await place(body, managerOf('O-S1'));
    expect(first.statusCode, first.body).toBe(201);
    const again = await place(body, managerOf('O-S1'));
    expect(again.json().id).toBe(first.json().id);
    const other = await place({ ...body, lines: [{ sku: 'O-C', quantity: 2 }] }, managerOf('O-S1'));
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('ORDER.EXTERNAL_ID_CONFLICT');
    expect(await level('O-C', 'O-S1')).toMatchObject({ reserved: 1 });
  });

  it('keeps store staff to their own store', async () => {
    const res = await place(
      {
        channel: 'pos',
        storeCode: 'O-S1',
        lines: [{ sku: 'O-C', quantity: 1 }],
        fulfillment: { type: 'carry_out' },
      },
      guideOf('O-S2'),
    );
    expect(res.statusCode).toBe(403);
  });
});

describe('never oversold', () => {
  /** Orders placed at once over real connections (the node listening on a port), each answer's status and code. */
  async function placeAtOnce(bodies: object[]): Promise<{ status: number; code?: string }[]> {
    const app = t.runtime.app;
    const base = app.server.listening
      ? `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
      : await app.listen({ port: 0, host: '127.0.0.1' });
    return Promise.all(
      bodies.map((body) =>
        fetch(`${base}/v1/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code?: string }).code })),
      ),
    );
  }

  it('500 concurrent orders for a SKU with 100 units: exactly 100 placed', async () => {
    await setStock(t, 'O-HOT', 'O-WH', 100);
    const results = await placeAtOnce(
      Array.from({ length: 500 }, (_, i) => ({
        channel: 'live',
        externalId: `LIVE-${i}`,
        lines: [{ sku: 'O-HOT', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    expect(
      results
        .filter((r) => r.status !== 201)
        .every(
          (r) =>
            r.status === 409 &&
            (r.code === 'FULFILLMENT.NO_SOURCE' || r.code === 'INVENTORY.INSUFFICIENT_STOCK'),
        ),
    ).toBe(true);
    expect(await level('O-HOT', 'O-WH')).toMatchObject({ onHand: 100, reserved: 100 });
    await expectInventoryInvariants(t);
  });

  it('orders taking two SKUs in either order, placed together: every unit taken once, none waits on another', async () => {
    // On PostgreSQL these orders share transactions; each takes its stock with the others of its transaction in
    // one lock order, so two transactions never wait for each other in a circle.
    await setStock(t, 'O-X1', 'O-WH', 60);
    await setStock(t, 'O-X2', 'O-WH', 60);
    const x1 = { sku: 'O-X1', quantity: 1 };
    const x2 = { sku: 'O-X2', quantity: 1 };
    const results = await placeAtOnce(
      Array.from({ length: 100 }, (_, i) => ({
        channel: 'online',
        lines: i % 2 === 0 ? [x1, x2] : [x2, x1],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(60);
    expect(results.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    expect(await level('O-X1', 'O-WH')).toMatchObject({ onHand: 60, reserved: 60 });
    expect(await level('O-X2', 'O-WH')).toMatchObject({ onHand: 60, reserved: 60 });
    await expectInventoryInvariants(t);
  });
});
