import { describe, expect, it } from 'vitest';
import { deliveredOnlineOrder, setUpReturnsNetwork, storeReturn, t } from './aftersales.testkit.js';

// Reading and listing returns: newest first, page by page with the cursor the list gave out.

setUpReturnsNetwork();

describe('the returns list', () => {
  it('walks an order’s returns newest first exactly once, and refuses a cursor it did not give out', async () => {
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 3 }]);
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await storeReturn(o.id, 'R-S1', [{ sku: 'R-C', quantity: 1 }]);
      expect(res.statusCode, res.body).toBe(201);
      made.push(res.json().id);
    }
    const all = (await t.request({ method: 'GET', url: `/v1/returns?orderId=${o.id}` })).json();
    expect(all.items.map((r: { id: string }) => r.id)).toEqual([...made].reverse());
    expect(all.nextCursor).toBeNull();

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/v1/returns?orderId=${o.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.request({ method: 'GET', url })).json();
      seen.push(...page.items.map((r: { id: string }) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(2);
    expect(seen).toEqual([...made].reverse());

    // A return id as the cursor, in the list's old spelling: not a cursor this list gave out.
    const foreign = Buffer.from(made[2]!).toString('base64url');
    const bad = await t.request({ method: 'GET', url: `/v1/returns?orderId=${o.id}&cursor=${foreign}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ path: 'query.cursor' }] });
  });
});
