import { describe, expect, it } from 'vitest';
import { managerOf } from '../../test/helpers/app.js';
import { level, order, pay, place, SHANGHAI, setUpOrderWorld, t, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('a store’s work', () => {
  it('a store that rejects a ship-from-store task: the group is re-sourced to the next best location', async () => {
    // Only stores hold O-D: the Shanghai store is nearest, Beijing next.
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-D', quantity: 1 }],
        fulfillment: { type: 'delivery', address: SHANGHAI },
      })
    ).json();
    expect(o.fulfillmentPlan.groups[0].location).toBe('O-S1');
    await pay(o.id);
    await until(o.id, 'paid');
    const first = (await order(o.id)).fulfillments[0];
    const rejected = await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${first.id}/reject`,
      as: managerOf('O-S1'),
      body: { reason: 'shade damaged' },
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const after = await order(o.id);
    expect(
      after.fulfillments.map((f: { location: string; status: string }) => [f.location, f.status]),
    ).toEqual([
      ['O-S1', 'cancelled'],
      ['O-S3', 'pending'],
    ]);
    expect(await level('O-D', 'O-S1')).toMatchObject({ reserved: 0 });
    expect(await level('O-D', 'O-S3')).toMatchObject({ reserved: 1 });
    expect(after.timeline.find((e: { code: string }) => e.code === 'fulfillment.rejected')).toMatchObject({
      params: { location: 'O-S1', type: 'ship', reason: 'shade damaged', reasonCode: null },
      message: 'O-S1 did not take the ship group: shade damaged',
    });
    const next = after.fulfillments[1];
    // A store's tablet that sends its tap again gets the same answer, and nothing happens twice.
    const accept = () =>
      t.request({
        method: 'POST',
        url: `/v1/fulfillments/${next.id}/accept`,
        as: managerOf('O-S3'),
        headers: { 'idempotency-key': `accept-${next.id}` },
      });
    const accepted = await accept();
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ id: next.id, location: 'O-S3', status: 'accepted' });
    const again = await accept();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(accepted.json());
    await t.request({
      method: 'POST',
      url: `/v1/fulfillments/${next.id}/ship`,
      as: managerOf('O-S3'),
      body: { trackingNumber: 'JD0001' },
    });
    await t.request({ method: 'POST', url: `/v1/fulfillments/${next.id}/deliver` });
    expect((await order(o.id)).status).toBe('completed');
  });
});
