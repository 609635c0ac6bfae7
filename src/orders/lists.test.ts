import { describe, expect, it } from 'vitest';
import { place, SHANGHAI, setUpOrderWorld, t } from '../../test/helpers/orders.js';

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
});
