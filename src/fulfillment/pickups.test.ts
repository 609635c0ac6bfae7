import { describe, expect, it } from 'vitest';
import { channelOf, guideOf, managerOf } from '../../test/helpers/app.js';
import { level, order, pay, place, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('pickup in store (BOPIS)', () => {
  it('ready → wrong code refused → right code → picked up, on hand down at that store', async () => {
    const o = (
      await place(
        {
          channel: 'mini_program',
          lines: [{ sku: 'O-A', quantity: 1 }],
          fulfillment: { type: 'pickup', store: 'O-S1' },
        },
        channelOf('mini_program'),
      )
    ).json();
    expect(o.fulfillmentPlan.groups).toEqual([expect.objectContaining({ location: 'O-S1', type: 'pickup' })]);
    await pay(o.id);
    await until(o.id, 'paid');
    const fid = (await order(o.id)).fulfillments[0].id;
    const tasks = (
      await t.request({ method: 'GET', url: '/v1/fulfillments?status=pending', as: managerOf('O-S1') })
    ).json().items;
    expect(tasks.map((x: { id: string }) => x.id)).toContain(fid);
    const ready = await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${fid}/ready`,
      as: managerOf('O-S1'),
    });
    expect(ready.statusCode, ready.body).toBe(200);
    expect(ready.json().pickupCode).toBeUndefined();
    const code = (await order(o.id)).fulfillments[0].pickupCode;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: managerOf('O-S1'),
      body: { store: 'O-S1', code: code === '000000' ? '000001' : '000000' },
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().code).toBe('PICKUP.CODE_INVALID');
    const elsewhere = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: managerOf('O-S2'),
      body: { store: 'O-S2', code },
    });
    expect(elsewhere.json().code).toBe('PICKUP.CODE_INVALID');
    const onHand = (await level('O-A', 'O-S1')).onHand;
    const right = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: managerOf('O-S1'),
      body: { store: 'O-S1', code },
    });
    expect(right.json().status).toBe('picked_up');
    expect((await order(o.id)).status).toBe('completed');
    expect((await level('O-A', 'O-S1')).onHand).toBe(onHand - 1);
  });

  it('a store that lacks a line gets it by transfer, then the pickup proceeds', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [
          { sku: 'O-A', quantity: 1 },
          { sku: 'O-B', quantity: 1 },
        ],
        fulfillment: { type: 'pickup', store: 'O-S2' },
      })
    ).json();
    const group = o.fulfillmentPlan.groups[0];
    expect(group).toMatchObject({
      location: 'O-S2',
      type: 'pickup',
      transfers: [{ from: 'O-WH', sku: 'O-B', quantity: 1 }],
      readyBy: expect.any(String),
    });
    await pay(o.id);
    await expect
      .poll(async () => (await order(o.id)).fulfillments[0].status, { timeout: 8000 })
      .toBe('awaiting_transfer');
    const transferId = (await order(o.id)).fulfillments[0].transfers[0].transferId;
    await t.request({ method: 'POST', url: `/v1/transfers/${transferId}/ship` });
    await t.request({ method: 'POST', url: `/v1/transfers/${transferId}/receive`, as: managerOf('O-S2') });
    await expect
      .poll(async () => (await order(o.id)).fulfillments[0].status, { timeout: 8000 })
      .toBe('accepted');
    const fid = (await order(o.id)).fulfillments[0].id;
    await t.request({ method: 'POST', url: `/v1/fulfillments/${fid}/ready`, as: managerOf('O-S2') });
    const code = (await order(o.id)).fulfillments[0].pickupCode;
    const picked = await t.request({
      method: 'POST',
      url: '/v1/pickups/verify',
      as: guideOf('O-S2'),
      body: { store: 'O-S2', code },
    });
    expect(picked.statusCode, picked.body).toBe(200);
    expect((await order(o.id)).status).toBe('completed');
    expect(await level('O-B', 'O-S2')).toMatchObject({ onHand: 0, reserved: 0 });
  });

  it('an uncollected pickup is cancelled at its deadline, refunded and its stock freed', async () => {
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-C', quantity: 1 }],
        fulfillment: { type: 'pickup', store: 'O-S1' },
      })
    ).json();
    await pay(o.id);
    await until(o.id, 'paid');
    const fid = (await order(o.id)).fulfillments[0].id;
    await t.request({ method: 'POST', url: `/v1/fulfillments/${fid}/ready`, as: managerOf('O-S1') });
    const reserved = (await level('O-C', 'O-S1')).reserved;
    // Three days pass: the deadline job comes due.
    await t.runtime.database.db
      .updateTable('jobs')
      .set({ run_at: new Date().toISOString() })
      .where('key', '=', `fulfillment.pickup_deadline:${fid}`)
      .execute();
    const cancelled = await until(o.id, 'cancelled');
    expect(cancelled.cancelReason).toMatch(/not collected/);
    expect((await level('O-C', 'O-S1')).reserved).toBe(reserved - 1);
    const refunds = (await t.request({ method: 'GET', url: `/v1/refunds?orderId=${o.id}` })).json().items;
    expect(refunds.reduce((s: number, r: { amount: number }) => s + r.amount, 0)).toBe(o.payableAmount);
  });
});
