import { describe, expect, it } from 'vitest';
import { pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';
import type { OrderSummary } from './orders.contract.js';

setUpOrderWorld();

describe('listing orders', () => {
  it('pages newest first with the cursor it gives out, and refuses one it did not', async () => {
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      });
      expect(res.statusCode, res.body).toBe(201);
      placed.push(res.json().id);
    }
    const first = (await t.request({ method: 'GET', url: '/v1/orders?limit=2' })).json();
    expect(first.items.map((o: { id: string }) => o.id)).toEqual([placed[2], placed[1]]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await t.request({ method: 'GET', url: `/v1/orders?limit=2&cursor=${first.nextCursor}` })
    ).json();
    expect(second.items.map((o: { id: string }) => o.id)).toEqual([placed[0]]);
    expect(second.nextCursor).toBeNull();

    const forged = await t.request({ method: 'GET', url: '/v1/orders?limit=2&cursor=not-one-of-ours' });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({
      code: 'REQUEST.INVALID',
      errors: [{ path: 'query.cursor', message: 'is not a cursor this list gave out' }],
    });
  });

  it('says what each order bought and what of it was refunded', async () => {
    const res = await place({
      channel: 'online',
      lines: [
        { sku: 'O-A', quantity: 2 },
        { sku: 'O-B', quantity: 1 },
      ],
      fulfillment: { type: 'delivery', address: SHANGHAI },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const row = async () =>
      (await t.request({ method: 'GET', url: '/v1/orders?limit=5' }))
        .json<{ items: OrderSummary[] }>()
        .items.find((o) => o.id === id);
    expect(await row()).toMatchObject({
      lines: [
        { sku: 'O-A', name: 'O-A', quantity: 2 },
        { sku: 'O-B', name: 'O-B', quantity: 1 },
      ],
      lineCount: 2,
      refundedAmount: 0,
    });
    await pay(id);
    await until(id, 'fulfilling');
    const cancelled = await t.request({
      method: 'POST',
      url: `/v1/orders/${id}/cancel`,
      body: { reason: 'x' },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect((await row())?.refundedAmount).toBe(32_000 * 2 + 45_000);
  });
});
