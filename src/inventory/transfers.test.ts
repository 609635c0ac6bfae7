import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managerOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { NETWORK, SKUS } from './inventory.testkit.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, SKUS);
});
afterAll(() => t.close());

describe('transfers', () => {
  it('conserves units: requested (reserved at the source) → in transit → received', async () => {
    await setStock(t, 'SKU-3', 'WH-T', 30);
    const total = async () => {
      const stock = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' })).json();
      return stock.levels.reduce(
        (sum: number, l: { onHand: number; inTransit: number }) => sum + l.onHand + l.inTransit,
        0,
      );
    };
    const before = await total();
    const created = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'WH-T', to: 'ST-C', quantity: 12 },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    const levelAt = async (location: string) =>
      (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' }))
        .json()
        .levels.find((l: { location: string }) => l.location === location);
    expect(await levelAt('WH-T')).toMatchObject({ onHand: 30, reserved: 12 });

    expect((await t.request({ method: 'POST', url: `/v1/transfers/${id}/receive` })).json().code).toBe(
      'TRANSFER.INVALID_TRANSITION',
    );
    expect((await t.request({ method: 'POST', url: `/v1/transfers/${id}/ship` })).json().status).toBe(
      'in_transit',
    );
    expect(await levelAt('WH-T')).toMatchObject({ onHand: 18, reserved: 0 });
    expect(await levelAt('ST-C')).toMatchObject({ inTransit: 12 });
    expect(await total()).toBe(before);

    const received = await t.request({
      method: 'POST',
      url: `/v1/transfers/${id}/receive`,
      as: managerOf('ST-C'),
    });
    expect(received.json().status).toBe('received');
    expect(await levelAt('ST-C')).toMatchObject({ onHand: 12, inTransit: 0 });
    expect(await total()).toBe(before);
    const movements = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3/ST-C/movements' })).json()
      .items;
    expect(movements[0]).toMatchObject({ delta: 12, reason: 'transfer_in' });
  });

  it('lists and reads transfers, and a cancel before shipping frees the units reserved at the source', async () => {
    await setStock(t, 'SKU-3', 'WH-T', 40);
    const created = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'WH-T', to: 'ST-C', quantity: 5 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json();
    const read = await t.request({ method: 'GET', url: `/v1/transfers/${id}` });
    expect(read.json()).toMatchObject({
      id,
      sku: 'SKU-3',
      from: 'WH-T',
      to: 'ST-C',
      quantity: 5,
      status: 'requested',
    });
    const listed = await t.request({ method: 'GET', url: '/v1/transfers?location=ST-C&status=requested' });
    expect(listed.json().items.map((x: { id: string }) => x.id)).toContain(id);
    const reservedBefore = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'WH-T').reserved;

    const cancelled = await t.request({ method: 'POST', url: `/v1/transfers/${id}/cancel` });
    expect(cancelled.json().status).toBe('cancelled');
    const after = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'WH-T');
    expect(after.reserved).toBe(reservedBefore - 5);
    expect((await t.request({ method: 'POST', url: `/v1/transfers/${id}/ship` })).json().code).toBe(
      'TRANSFER.INVALID_TRANSITION',
    );
  });

  it('refuses a transfer to a location that does not exist, reserving nothing', async () => {
    await setStock(t, 'SKU-3', 'WH-T', 20);
    const before = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' })).json();
    const res = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'WH-T', to: 'NOWHERE', quantity: 5 },
    });
    expect([res.statusCode, res.json().code]).toEqual([404, 'LOCATION.NOT_FOUND']);
    expect((await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' })).json()).toEqual(before);
  });

  it('refuses a transfer the source cannot cover, and one to itself', async () => {
    const big = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'ST-A', to: 'ST-C', quantity: 99 },
    });
    expect(big.json().code).toBe('INVENTORY.INSUFFICIENT_STOCK');
    const self = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      body: { sku: 'SKU-3', from: 'ST-A', to: 'ST-A', quantity: 1 },
    });
    expect(self.json().code).toBe('TRANSFER.SAME_LOCATION');
  });
});

describe('a store asking another store for stock', () => {
  const reservedAt = async (location: string) =>
    (await t.request({ method: 'GET', url: '/v1/inventory/SKU-2' }))
      .json()
      .levels.find((l: { location: string }) => l.location === location)?.reserved ?? 0;
  const ask = async (quantity: number) => {
    const asked = await t.request({
      method: 'POST',
      url: '/v1/transfers',
      as: managerOf('ST-B'),
      body: { sku: 'SKU-2', from: 'ST-A', to: 'ST-B', quantity },
    });
    expect(asked.statusCode).toBe(201);
    return asked.json() as { id: string; status: string };
  };
  const move = (id: string, action: string, as: ReturnType<typeof managerOf>) =>
    t.request({ method: 'POST', url: `/v1/transfers/${id}/${action}`, as });

  it('reserves nothing until the source store accepts; only the source (or HQ) accepts', async () => {
    await setStock(t, 'SKU-2', 'ST-A', 10);
    const asked = await ask(4);
    expect(asked.status).toBe('awaiting_source');
    expect(await reservedAt('ST-A')).toBe(0);

    const byAsker = await move(asked.id, 'accept', managerOf('ST-B'));
    expect(byAsker.statusCode).toBe(403);
    expect(byAsker.json().code).toBe('AUTH.STORE_FORBIDDEN');
    expect((await move(asked.id, 'ship', managerOf('ST-A'))).json().code).toBe('TRANSFER.INVALID_TRANSITION');

    const accepted = await move(asked.id, 'accept', managerOf('ST-A'));
    expect(accepted.json().status).toBe('requested');
    expect(await reservedAt('ST-A')).toBe(4);
    expect((await move(asked.id, 'ship', managerOf('ST-A'))).json().status).toBe('in_transit');
    expect((await move(asked.id, 'receive', managerOf('ST-B'))).json().status).toBe('received');
    expect(await reservedAt('ST-A')).toBe(0);
  });

  it('is declined by the source or withdrawn by the asker, freeing nothing it did not hold', async () => {
    const declined = await ask(2);
    expect((await move(declined.id, 'decline', managerOf('ST-C'))).statusCode).toBe(403);
    expect((await move(declined.id, 'decline', managerOf('ST-A'))).json().status).toBe('declined');
    expect((await move(declined.id, 'accept', managerOf('ST-A'))).json().code).toBe(
      'TRANSFER.INVALID_TRANSITION',
    );

    const withdrawn = await ask(2);
    expect((await move(withdrawn.id, 'cancel', managerOf('ST-C'))).statusCode).toBe(403);
    expect((await move(withdrawn.id, 'cancel', managerOf('ST-B'))).json().status).toBe('cancelled');
    expect(await reservedAt('ST-A')).toBe(0);
  });

  it('an acceptance the source cannot cover is refused and the request still waits', async () => {
    const big = await ask(50);
    const refused = await move(big.id, 'accept', managerOf('ST-A'));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('INVENTORY.INSUFFICIENT_STOCK');
    // The values a translated sentence names travel with the code.
    expect(refused.json().params).toMatchObject({ sku: 'SKU-2', location: 'ST-A', requested: 50 });
    const after = await t.request({ method: 'GET', url: `/v1/transfers/${big.id}`, as: managerOf('ST-A') });
    expect(after.json()).toMatchObject({ status: 'awaiting_source' });
    expect(await reservedAt('ST-A')).toBe(0);
    // HQ may accept on the source's behalf once the stock is there.
    await setStock(t, 'SKU-2', 'ST-A', 60);
    expect((await t.request({ method: 'POST', url: `/v1/transfers/${big.id}/accept` })).json().status).toBe(
      'requested',
    );
    expect(await reservedAt('ST-A')).toBe(50);
  });

  it('the source store sees the request in its list', async () => {
    const list = await t.request({
      method: 'GET',
      url: '/v1/transfers?status=awaiting_source',
      as: managerOf('ST-A'),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.every((x: { from: string }) => x.from === 'ST-A')).toBe(true);
  });
});

describe('invariants', () => {
  it('hold after everything above', async () => {
    await expectInventoryInvariants(t);
  });
});
