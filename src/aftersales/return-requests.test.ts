import { describe, expect, it } from 'vitest';
import { guideOf, managerOf } from '../../test/helpers/app.js';
import { localDay } from '../platform/index.js';
import {
  customer,
  deliveredOnlineOrder,
  level,
  member,
  order,
  returnOf,
  setUpReturnsNetwork,
  t,
} from './aftersales.testkit.js';

// A return asked for from the customer's phone: her photos, and how the goods come back — brought to a store she
// chooses, which sees it coming and receives it, or sent by courier (picked up or dropped off) to the returns
// centre with the tracking number she enters.

setUpReturnsNetwork();

const PHOTO = 'https://img.example.com/returns/r-a-1.jpg';
const today = () => localDay(new Date(), 'Asia/Shanghai');
const inDays = (n: number) =>
  new Date(Date.parse(`${today()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function ask(memberId: string, body: Record<string, unknown>) {
  return t.request({
    method: 'POST',
    url: '/v1/returns',
    as: customer(memberId),
    body: { channel: 'mini_program', reason: '色号不合适', ...body },
  });
}

describe('a return brought to a store of her choice', () => {
  it('is seen coming at that store (masked), received there, refunded, and she follows it', async () => {
    const memberId = await member('13900000101');
    const o = await deliveredOnlineOrder([{ sku: 'R-A', quantity: 1 }], memberId);
    const res = await ask(memberId, {
      orderId: o.id,
      lines: [{ sku: 'R-A', quantity: 1 }],
      location: 'R-S2',
      method: { type: 'store' },
      photos: [PHOTO],
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect(res.json()).toMatchObject({
      status: 'requested',
      method: 'store',
      courier: null,
      location: 'R-S2',
      photos: [PHOTO],
      customer: { phone: '139****0101' },
    });

    // The store she chose sees it coming: requested, heading there, with her masked and her photos.
    const incoming = await t.request({
      method: 'GET',
      url: '/v1/returns?status=requested&location=R-S2',
      as: guideOf('R-S2'),
    });
    expect(incoming.statusCode, incoming.body).toBe(200);
    expect(incoming.json().items).toEqual([
      expect.objectContaining({
        id,
        photos: [PHOTO],
        reason: '色号不合适',
        customer: { name: null, phone: '139****0101' },
        lines: [expect.objectContaining({ sku: 'R-A', quantity: 1 })],
      }),
    ]);
    // Another store does not.
    const elsewhere = await t.request({ method: 'GET', url: `/v1/returns/${id}`, as: guideOf('R-S1') });
    expect(elsewhere.statusCode).toBe(403);
    // A store return has no parcel to track.
    const tracked = await t.request({
      method: 'PUT',
      url: `/v1/returns/${id}/shipment`,
      as: customer(memberId),
      body: { carrier: 'SF', trackingNumber: 'SF1234567890' },
    });
    expect(tracked.statusCode).toBe(409);
    expect(tracked.json().code).toBe('RETURN.NOT_COURIER');

    const before = await level('R-A', 'R-S2');
    const received = await t.request({
      method: 'POST',
      url: `/v1/returns/${id}/receive`,
      as: guideOf('R-S2'),
      body: { location: 'R-S2', condition: 'resellable' },
    });
    expect(received.statusCode, received.body).toBe(200);
    expect((await level('R-A', 'R-S2')).onHand).toBe(before.onHand + 1);
    await expect.poll(async () => (await returnOf(id)).status, { timeout: 8000 }).toBe('refunded');
    const mine = await t.request({ method: 'GET', url: `/v1/returns/${id}`, as: customer(memberId) });
    expect(mine.json()).toMatchObject({
      status: 'refunded',
      refundStatus: 'succeeded',
      receivedLocation: 'R-S2',
    });
  });

  it('refuses a warehouse, a closed store, no place at all, and photos that are not https', async () => {
    const memberId = await member('13900000102');
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 1 }], memberId);
    const base = { orderId: o.id, lines: [{ sku: 'R-C', quantity: 1 }] };
    const warehouse = await ask(memberId, { ...base, location: 'R-WH', method: { type: 'store' } });
    expect(warehouse.statusCode).toBe(400);
    expect(warehouse.json()).toMatchObject({
      code: 'RETURN.METHOD_INVALID',
      errors: [{ path: 'location' }],
    });
    const nowhere = await ask(memberId, { ...base, method: { type: 'store' } });
    expect(nowhere.statusCode).toBe(400);
    expect(nowhere.json().code).toBe('RETURN.METHOD_INVALID');
    const http = await ask(memberId, {
      ...base,
      location: 'R-S1',
      method: { type: 'store' },
      photos: ['http://img.example.com/a.jpg'],
    });
    expect(http.statusCode).toBe(400);
    expect(http.json().code).toBe('REQUEST.INVALID');
    const ten = await ask(memberId, {
      ...base,
      location: 'R-S1',
      method: { type: 'store' },
      photos: Array.from({ length: 10 }, (_, i) => `https://img.example.com/${i}.jpg`),
    });
    expect(ten.statusCode).toBe(400);
    const badPort = await ask(memberId, {
      ...base,
      location: 'R-S1',
      method: { type: 'store' },
      photos: ['https://img.example.com:99999/a.jpg'],
    });
    expect(badPort.statusCode).toBe(400);
    expect(badPort.json()).toMatchObject({
      code: 'RETURN.PHOTO_INVALID',
      errors: [{ path: 'photos[0]' }],
    });

    const closed = await t.request({
      method: 'POST',
      url: '/v1/locations',
      body: { code: 'R-S9', name: '已关店', kind: 'store', city: '上海', lat: 31.2, lng: 121.4 },
    });
    expect(closed.statusCode, closed.body).toBe(201);
    await t.request({ method: 'PATCH', url: '/v1/locations/R-S9', body: { active: false } });
    const shut = await ask(memberId, { ...base, location: 'R-S9', method: { type: 'store' } });
    expect(shut.statusCode).toBe(409);
    expect(shut.json().code).toBe('RETURN.LOCATION_INVALID');
    // Nothing was claimed by the refusals: the unit can still go back.
    const ok = await ask(memberId, { ...base, location: 'R-S1', method: { type: 'store' } });
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('a return sent by courier', () => {
  it('a pickup goes to the returns centre, keeps her address encrypted and takes her tracking number', async () => {
    const memberId = await member('13900000103');
    const o = await deliveredOnlineOrder([{ sku: 'R-B', quantity: 1 }], memberId);
    const address = { city: '上海', line1: '静安区南京西路1号 2201室', name: '林小姐', phone: '13900000103' };
    const res = await ask(memberId, {
      orderId: o.id,
      lines: [{ sku: 'R-B', quantity: 1 }],
      method: { type: 'courier', mode: 'pickup', pickup: { day: inDays(1), address } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const ret = res.json();
    expect(ret).toMatchObject({
      status: 'requested',
      method: 'courier',
      location: 'R-WH',
      courier: {
        mode: 'pickup',
        pickup: { day: inDays(1), address },
        carrier: null,
        trackingNumber: null,
      },
    });
    const raw = await t.runtime.database.db
      .selectFrom('returns')
      .select(['pickup_address', 'pickup_day'])
      .where('id', '=', ret.id)
      .executeTakeFirstOrThrow();
    expect(raw.pickup_day).toBe(inDays(1));
    expect(raw.pickup_address).not.toContain('13900000103');
    expect(raw.pickup_address).not.toContain('南京西路');

    const shipped = await t.request({
      method: 'PUT',
      url: `/v1/returns/${ret.id}/shipment`,
      as: customer(memberId),
      body: { carrier: '顺丰速运', trackingNumber: 'SF1400000001' },
    });
    expect(shipped.statusCode, shipped.body).toBe(200);
    expect(shipped.json().courier).toMatchObject({
      carrier: '顺丰速运',
      trackingNumber: 'SF1400000001',
      shippedAt: expect.any(String),
    });
    // A typo corrected while it is on its way.
    const corrected = await t.request({
      method: 'PUT',
      url: `/v1/returns/${ret.id}/shipment`,
      as: customer(memberId),
      body: { carrier: '顺丰速运', trackingNumber: 'SF1400000002' },
    });
    expect(corrected.json().courier.trackingNumber).toBe('SF1400000002');
    // Someone else's return is not hers to touch.
    const stranger = await member('13900000104');
    const foreign = await t.request({
      method: 'PUT',
      url: `/v1/returns/${ret.id}/shipment`,
      as: customer(stranger),
      body: { carrier: 'SF', trackingNumber: 'SF9999' },
    });
    expect(foreign.statusCode).toBe(403);
    const timeline = (await order(o.id)).timeline.map((e: { code: string }) => e.code);
    expect(timeline).toContain('return.shipped');
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select(['type', 'location'])
      .where('stream', '=', `return:${ret.id}`)
      .orderBy('seq')
      .execute();
    expect(events.slice(0, 3)).toEqual([
      { type: 'return.requested', location: 'R-WH' },
      { type: 'return.shipped', location: 'R-WH' },
      { type: 'return.shipped', location: 'R-WH' },
    ]);

    const received = await t.request({
      method: 'POST',
      url: `/v1/returns/${ret.id}/receive`,
      body: { location: 'R-WH' },
    });
    expect(received.statusCode, received.body).toBe(200);
    const late = await t.request({
      method: 'PUT',
      url: `/v1/returns/${ret.id}/shipment`,
      as: customer(memberId),
      body: { carrier: '顺丰速运', trackingNumber: 'SF1400000003' },
    });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('RETURN.INVALID_TRANSITION');
  });

  it('a drop-off needs no pickup; she may not pick the destination, nor a pickup day in the past', async () => {
    const memberId = await member('13900000105');
    const o = await deliveredOnlineOrder([{ sku: 'R-C', quantity: 2 }], memberId);
    const base = { orderId: o.id, lines: [{ sku: 'R-C', quantity: 1 }] };
    const chosen = await ask(memberId, {
      ...base,
      location: 'R-S1',
      method: { type: 'courier', mode: 'drop_off' },
    });
    expect(chosen.statusCode).toBe(400);
    expect(chosen.json()).toMatchObject({ code: 'RETURN.METHOD_INVALID', errors: [{ path: 'location' }] });
    const address = { city: '上海', line1: '徐汇区虹桥路1号', name: '林', phone: '13900000105' };
    const past = await ask(memberId, {
      ...base,
      method: { type: 'courier', mode: 'pickup', pickup: { day: inDays(-1), address } },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({
      code: 'RETURN.METHOD_INVALID',
      errors: [{ path: 'method.pickup.day' }],
    });
    const noAddress = await ask(memberId, {
      ...base,
      method: { type: 'courier', mode: 'pickup', pickup: { day: inDays(1) } },
    });
    expect(noAddress.statusCode).toBe(400);
    expect(noAddress.json().code).toBe('REQUEST.INVALID');

    const dropped = await ask(memberId, { ...base, method: { type: 'courier', mode: 'drop_off' } });
    expect(dropped.statusCode, dropped.body).toBe(201);
    expect(dropped.json()).toMatchObject({
      location: 'R-WH',
      method: 'courier',
      courier: { mode: 'drop_off', pickup: null, trackingNumber: null },
    });
    // Staff may send a courier return elsewhere (the brand chooses): to a store, then the store sees it coming.
    const staff = await t.request({
      method: 'POST',
      url: '/v1/returns',
      as: managerOf('R-S1'),
      body: {
        ...base,
        channel: 'online',
        reason: 'sent to the store',
        location: 'R-S1',
        method: { type: 'courier', mode: 'drop_off' },
      },
    });
    expect(staff.statusCode, staff.body).toBe(201);
    expect(staff.json()).toMatchObject({ location: 'R-S1', method: 'courier' });
    // Both units are on their way now: nothing more to return.
    const old = await t.request({
      method: 'POST',
      url: '/v1/returns',
      body: {
        ...base,
        lines: [{ sku: 'R-C', quantity: 1 }],
        channel: 'online',
        reason: 'x',
        location: 'R-WH',
      },
    });
    expect(old.statusCode).toBe(409);
    expect(old.json().code).toBe('RETURN.QUANTITY_EXCEEDED');
  });

  it('a guide of the receiving store sees the pickup phone masked', async () => {
    const memberId = await member('13900000106');
    const o = await deliveredOnlineOrder([{ sku: 'R-D', quantity: 1 }], memberId);
    const address = { city: '上海', line1: '长宁区1号', name: '王女士', phone: '13900000106' };
    const res = await t.request({
      method: 'POST',
      url: '/v1/returns',
      as: managerOf('R-S2'),
      body: {
        orderId: o.id,
        lines: [{ sku: 'R-D', quantity: 1 }],
        channel: 'online',
        reason: 'courier to the store',
        location: 'R-S2',
        method: { type: 'courier', mode: 'pickup', pickup: { day: today(), address } },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().courier.pickup.address.phone).toBe('13900000106');
    const guide = await t.request({
      method: 'GET',
      url: `/v1/returns/${res.json().id}`,
      as: guideOf('R-S2'),
    });
    expect(guide.json().courier.pickup.address).toMatchObject({ phone: '139****0106', masked: true });
  });
});

describe('withdrawing a request from her phone', () => {
  it('she withdraws her own request before the goods arrive, and may ask again; nobody else may', async () => {
    const memberId = await member('13900000107');
    const stranger = await member('13900000108');
    const o = await deliveredOnlineOrder([{ sku: 'R-B', quantity: 1 }], memberId);
    const lines = [{ sku: 'R-B', quantity: 1 }];
    const first = await ask(memberId, { orderId: o.id, lines, location: 'R-S2', method: { type: 'store' } });
    expect(first.statusCode, first.body).toBe(201);
    const cancel = (who: string) =>
      t.request({
        method: 'POST',
        url: `/v1/returns/${first.json().id}/cancel`,
        as: customer(who),
        body: { reason: 'withdrawn by the customer on her phone' },
      });
    expect((await cancel(stranger)).statusCode).toBe(403);
    const withdrawn = await cancel(memberId);
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'cancelled' });
    const again = await ask(memberId, { orderId: o.id, lines, location: 'R-S2', method: { type: 'store' } });
    expect(again.statusCode, again.body).toBe(201);
  });
});
