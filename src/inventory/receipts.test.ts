import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { NETWORK, SKUS } from './inventory.testkit.js';
import { receiveReturn } from './receipts.service.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(t, NETWORK, SKUS);
});
afterAll(() => t.close());

describe('returns', () => {
  it('puts resellable units back on hand and quarantines damaged ones, both in the ledger', async () => {
    await setStock(t, 'SKU-3', 'ST-B', 2);
    await t.runtime.database.transaction(async (trx) => {
      await receiveReturn(trx, {
        sku: 'SKU-3',
        location: 'ST-B',
        quantity: 1,
        condition: 'resellable',
        source: 'ret_1',
        actor: 'test',
      });
      await receiveReturn(trx, {
        sku: 'SKU-3',
        location: 'ST-B',
        quantity: 2,
        condition: 'damaged',
        source: 'ret_2',
        actor: 'test',
      });
    });
    const level = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3' }))
      .json()
      .levels.find((l: { location: string }) => l.location === 'ST-B');
    expect(level).toMatchObject({ onHand: 3, quarantined: 2, available: 3 });
    const movements = (await t.request({ method: 'GET', url: '/v1/inventory/SKU-3/ST-B/movements' })).json()
      .items;
    expect(movements.slice(0, 3).map((m: { delta: number; reason: string }) => [m.delta, m.reason])).toEqual([
      [-2, 'damage'],
      [2, 'return'],
      [1, 'return'],
    ]);
  });
});

describe('invariants', () => {
  it('hold after everything above', async () => {
    await expectInventoryInvariants(t);
  });
});
