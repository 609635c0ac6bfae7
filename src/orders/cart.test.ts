import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork, setStock } from '../../test/helpers/inventory.js';
import type { Principal } from '../platform/index.js';
import type { Cart } from './cart.contract.js';

// Her cart: kept on the server (the same after a reload, on another device, after the next login), one line per
// SKU even when two devices add it at once, refused for what she could not buy, and emptied of what an order
// from her shop bought — in the order's transaction, so a refused order leaves it as it was.

let t: TestApp;
const SHANGHAI = { city: '上海', lat: 31.2304, lng: 121.4737 };
const MANY = Array.from({ length: 51 }, (_, i) => ({
  code: `CART-${String(i).padStart(2, '0')}`,
  price: 1000,
}));

async function newCustomer(phone: string): Promise<{ memberId: string; as: Principal }> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: phone, verified: true }], channel: 'mini_program' },
  });
  expect(res.statusCode, res.body).toBe(200);
  const memberId = res.json().memberId as string;
  return { memberId, as: { role: 'customer', subject: memberId, memberId, storeCode: null } };
}

const put = (who: { memberId: string; as: Principal }, sku: string, quantity: number, store?: string) =>
  t.request({
    method: 'PUT',
    url: `/v1/members/${who.memberId}/cart/${sku}`,
    as: who.as,
    body: { quantity, ...(store ? { store } : {}) },
  });
const cartOf = async (who: { memberId: string; as: Principal }) => {
  const res = await t.request({ method: 'GET', url: `/v1/members/${who.memberId}/cart`, as: who.as });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Cart;
};

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [{ code: 'CART-WH', kind: 'warehouse', ...SHANGHAI, priorityTier: 1 }],
    [{ code: 'CART-LIP', price: 32000 }, { code: 'CART-OFF', price: 5000 }, ...MANY],
  );
  for (const sku of ['CART-LIP', 'CART-01']) await setStock(t, sku, 'CART-WH', 10);
  await setStock(t, 'CART-00', 'CART-WH', 3);
  const off = await t.request({ method: 'PATCH', url: '/v1/skus/CART-OFF', body: { active: false } });
  expect(off.statusCode, off.body).toBe(200);
});
afterAll(() => t.close());

describe('her cart', () => {
  it('keeps lines of several SKUs, changes and removes them, and prices them at list price', async () => {
    const her = await newCustomer('13900003001');
    expect((await cartOf(her)).lines).toEqual([]);
    expect((await put(her, 'CART-LIP', 1, 'SH01')).statusCode).toBe(200);
    expect((await put(her, 'CART-00', 2)).statusCode).toBe(200);
    const changed = await put(her, 'CART-LIP', 3);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().lines.map((l: Cart['lines'][number]) => [l.sku, l.quantity, l.store])).toEqual([
      ['CART-LIP', 3, 'SH01'],
      ['CART-00', 2, null],
    ]);
    expect(await cartOf(her)).toMatchObject({ units: 5, totalAmount: 3 * 32000 + 2 * 1000 });
    const removed = await t.request({
      method: 'DELETE',
      url: `/v1/members/${her.memberId}/cart/CART-00`,
      as: her.as,
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().lines.map((l: Cart['lines'][number]) => l.sku)).toEqual(['CART-LIP']);
    // Taking off what is not there changes nothing.
    const again = await t.request({
      method: 'DELETE',
      url: `/v1/members/${her.memberId}/cart/CART-00`,
      as: her.as,
    });
    expect(again.json().units).toBe(3);
  });

  it('refuses what she could not buy, a wrong quantity, someone else’s cart, and a 51st line', async () => {
    const her = await newCustomer('13900003002');
    const other = await newCustomer('13900003003');
    const unknown = await put(her, 'NO-SUCH-SKU', 1);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'CATALOG.SKU_NOT_FOUND', sku: 'NO-SUCH-SKU' });
    const offSale = await put(her, 'CART-OFF', 1);
    expect(offSale.statusCode).toBe(409);
    expect(offSale.json()).toMatchObject({ code: 'ORDER.SKU_NOT_SELLABLE', sku: 'CART-OFF' });
    for (const quantity of [0, 100]) {
      const wrong = await put(her, 'CART-LIP', quantity);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors[0].path).toBe('quantity');
    }
    const theirs = await t.request({ method: 'GET', url: `/v1/members/${other.memberId}/cart`, as: her.as });
    expect(theirs.statusCode).toBe(403);
    const staff = await t.request({
      method: 'PUT',
      url: `/v1/members/${her.memberId}/cart/CART-LIP`,
      as: { role: 'guide', subject: 'g1', storeCode: 'SH01' },
      body: { quantity: 1 },
    });
    expect(staff.statusCode).toBe(403);
    for (const sku of MANY.slice(0, 50)) expect((await put(her, sku.code, 1)).statusCode).toBe(200);
    const full = await put(her, MANY[50]!.code, 1);
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: 'CART.FULL', limit: 50 });
    // A line she has can still change.
    expect((await put(her, MANY[0]!.code, 4)).statusCode).toBe(200);
    expect((await cartOf(her)).lines).toHaveLength(50);
  });

  it('ends with one line when two devices add the same SKU at once', async () => {
    const her = await newCustomer('13900003004');
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => put(her, 'CART-LIP', i + 1)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(200));
    const cart = await cartOf(her);
    expect(cart.lines).toHaveLength(1);
    const rows = await t.runtime.database.db
      .selectFrom('cart_lines')
      .selectAll()
      .where('member_id', '=', her.memberId)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('loses what an order from her shop bought, and keeps everything when the order is refused', async () => {
    const her = await newCustomer('13900003005');
    await put(her, 'CART-LIP', 1);
    await put(her, 'CART-00', 1);
    await put(her, 'CART-01', 2);
    const order = (lines: { sku: string; quantity: number }[]) =>
      t.request({
        method: 'POST',
        url: '/v1/orders',
        as: her.as,
        body: {
          channel: 'mini_program',
          lines,
          fulfillment: { type: 'delivery', address: { ...SHANGHAI, line1: '南京西路 1 号' } },
        },
      });
    const refused = await order([
      { sku: 'CART-LIP', quantity: 1 },
      { sku: 'CART-00', quantity: 5 },
    ]);
    expect(refused.statusCode, refused.body).toBe(409);
    expect((await cartOf(her)).lines).toHaveLength(3);
    const placed = await order([
      { sku: 'CART-LIP', quantity: 1 },
      { sku: 'CART-00', quantity: 1 },
    ]);
    expect(placed.statusCode, placed.body).toBe(201);
    expect((await cartOf(her)).lines.map((l) => [l.sku, l.quantity])).toEqual([['CART-01', 2]]);
  });
});
