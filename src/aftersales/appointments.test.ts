import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideOf, managerOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { createNetwork } from '../../test/helpers/inventory.js';
import type { Principal } from '../platform/index.js';

// Service appointments: a store publishes slots, members book them from the mini-program, the store sees its
// calendar; a slot never holds more bookings than places.

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      { code: 'A-S1', kind: 'store', city: '上海', lat: 31.2235, lng: 121.4453 },
      { code: 'A-S2', kind: 'store', city: '上海', lat: 31.1946, lng: 121.4366 },
      { code: 'A-WH', kind: 'warehouse', city: '上海', lat: 31.15, lng: 121.12 },
    ],
    [],
  );
});
afterAll(() => t.close());

const customer = (memberId: string): Principal => ({
  role: 'customer',
  subject: memberId,
  memberId,
  storeCode: null,
});

async function member(phone: string): Promise<string> {
  const res = await t.request({
    method: 'POST',
    url: '/v1/identify',
    body: { identifiers: [{ type: 'phone', value: phone }], channel: 'mini_program' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().memberId;
}

/** Tomorrow's date in Shanghai and the instant of a local hour on it. */
function tomorrowAt(hour: number): { date: string; startsAt: string } {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(Date.now() + 86_400_000),
  );
  return { date, startsAt: new Date(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString() };
}

describe('service slots', () => {
  it('a store manager publishes a weekly template for their own store only; republishing changes nothing', async () => {
    const { date } = tomorrowAt(10);
    const body = {
      template: {
        from: date,
        forDays: 7,
        days: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
          weekday,
          opens: '10:00',
          closes: '12:00',
          slotMinutes: 60,
          services: [{ service: 'skin_test', capacity: 2 }],
        })),
      },
    };
    const res = await t.request({
      method: 'PUT',
      url: '/v1/stores/A-S2/service-slots',
      as: managerOf('A-S2'),
      body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toHaveLength(14);
    const again = await t.request({
      method: 'PUT',
      url: '/v1/stores/A-S2/service-slots',
      as: managerOf('A-S2'),
      body,
    });
    expect(again.json().items.map((s: { id: string }) => s.id)).toEqual(
      res.json().items.map((s: { id: string }) => s.id),
    );
    expect(
      (await t.request({ method: 'PUT', url: '/v1/stores/A-S2/service-slots', as: managerOf('A-S1'), body }))
        .statusCode,
    ).toBe(403);
    expect((await t.request({ method: 'PUT', url: '/v1/stores/A-WH/service-slots', body })).json().code).toBe(
      'RETURN.LOCATION_INVALID',
    );
    const day = (
      await t.request({
        method: 'GET',
        url: `/v1/stores/A-S2/service-slots?date=${date}`,
        as: customer(await member('13700000000')),
      })
    ).json().items;
    expect(day.map((s: { startsAt: string; available: number }) => [s.startsAt, s.available])).toEqual([
      [tomorrowAt(10).startsAt, 2],
      [tomorrowAt(11).startsAt, 2],
    ]);
  });
});

describe('booking', () => {
  it('10 members book a slot of 3 places at once: exactly 3 get it, the others are refused', async () => {
    const { date, startsAt } = tomorrowAt(15);
    const published = await t.request({
      method: 'PUT',
      url: '/v1/stores/A-S1/service-slots',
      as: managerOf('A-S1'),
      body: { slots: [{ service: 'facial', startsAt, durationMinutes: 60, capacity: 3 }] },
    });
    expect(published.statusCode, published.body).toBe(200);
    const members = await Promise.all(
      Array.from({ length: 10 }, (_, i) => member(`1370000${String(i + 1).padStart(4, '0')}`)),
    );

    const base = await t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
    const results = await Promise.all(
      members.map((memberId) =>
        fetch(`${base}/v1/appointments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...t.auth(customer(memberId)) },
          body: JSON.stringify({ store: 'A-S1', service: 'facial', startsAt }),
        }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as { code?: string; memberId?: string },
        })),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect([r.status, r.body.code]).toEqual([409, 'APPOINTMENT.SLOT_FULL']);

    const calendar = await t.request({
      method: 'GET',
      url: `/v1/stores/A-S1/appointments?date=${date}`,
      as: guideOf('A-S1'),
    });
    expect(calendar.statusCode, calendar.body).toBe(200);
    expect(calendar.json().items).toHaveLength(3);
    expect(calendar.json().slots).toEqual([
      expect.objectContaining({ service: 'facial', capacity: 3, booked: 3, available: 0 }),
    ]);
    expect(
      (
        await t.request({
          method: 'GET',
          url: `/v1/stores/A-S1/appointments?date=${date}`,
          as: guideOf('A-S2'),
        })
      ).statusCode,
    ).toBe(403);

    // A full slot is refused; a cancellation frees a place for the next member.
    const late = members.find((m) => !results.some((r) => r.status === 201 && r.body.memberId === m))!;
    const full = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: customer(late),
      body: { store: 'A-S1', service: 'facial', startsAt },
    });
    expect([full.statusCode, full.json().code]).toEqual([409, 'APPOINTMENT.SLOT_FULL']);
    const booked = calendar.json().items[0];
    const cancelled = await t.request({
      method: 'POST',
      url: `/v1/appointments/${booked.id}/cancel`,
      as: customer(booked.memberId),
      body: { reason: 'travel' },
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'travel' });
    const read = await t.request({
      method: 'GET',
      url: `/v1/appointments/${booked.id}`,
      as: customer(booked.memberId),
    });
    expect(read.json()).toEqual(cancelled.json());
    expect(
      (await t.request({ method: 'GET', url: `/v1/appointments/${booked.id}`, as: customer(late) }))
        .statusCode,
    ).toBe(403);
    const retry = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: customer(late),
      body: { store: 'A-S1', service: 'facial', startsAt },
    });
    expect(retry.statusCode, retry.body).toBe(201);
    // A slot cannot shrink below its bookings.
    const shrink = await t.request({
      method: 'PUT',
      url: '/v1/stores/A-S1/service-slots',
      body: { slots: [{ service: 'facial', startsAt, durationMinutes: 60, capacity: 2 }] },
    });
    expect([shrink.statusCode, shrink.json().code]).toEqual([409, 'APPOINTMENT.CAPACITY_BELOW_BOOKED']);
    const mine = await t.request({
      method: 'GET',
      url: '/v1/appointments?upcoming=true',
      as: customer(late),
    });
    expect(mine.json().items).toEqual([
      expect.objectContaining({
        store: 'A-S1',
        service: 'facial',
        startsAt,
        status: 'booked',
        channel: 'mini_program',
      }),
    ]);
    // In the member 360 view a store's staff see their own store's bookings only.
    const atStore = (
      await t.request({ method: 'GET', url: `/v1/members/${late}`, as: guideOf('A-S1') })
    ).json();
    expect(atStore.appointments.map((a: { store: string }) => a.store)).toEqual(['A-S1']);
    const elsewhere = (
      await t.request({ method: 'GET', url: `/v1/members/${late}`, as: guideOf('A-S2') })
    ).json();
    expect(elsewhere.appointments).toEqual([]);
  });

  it('staff book for a member at their own store; a member holds one place per slot; unknown slots are 404', async () => {
    const { startsAt } = tomorrowAt(17);
    await t.request({
      method: 'PUT',
      url: '/v1/stores/A-S1/service-slots',
      body: { slots: [{ service: 'makeup', startsAt, durationMinutes: 30, capacity: 5 }] },
    });
    const memberId = await member('13700009999');
    const res = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: guideOf('A-S1'),
      body: { store: 'A-S1', service: 'makeup', startsAt, memberId, note: '新娘妆试妆' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ memberId, channel: 'pos', bookedBy: 'guide:a-s1.guide' });
    const twice = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: guideOf('A-S1'),
      body: { store: 'A-S1', service: 'makeup', startsAt, memberId },
    });
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'APPOINTMENT.ALREADY_BOOKED']);
    const other = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: guideOf('A-S2'),
      body: { store: 'A-S1', service: 'makeup', startsAt, memberId },
    });
    expect(other.statusCode).toBe(403);
    const none = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: guideOf('A-S1'),
      body: { store: 'A-S1', service: 'facial', startsAt, memberId },
    });
    expect([none.statusCode, none.json().code]).toEqual([404, 'APPOINTMENT.SLOT_NOT_FOUND']);
    const noMember = await t.request({
      method: 'POST',
      url: '/v1/appointments',
      as: guideOf('A-S1'),
      body: { store: 'A-S1', service: 'makeup', startsAt },
    });
    expect(noMember.statusCode).toBe(400);
  });
});

describe('the contract', () => {
  it('every after-sales route is in the OpenAPI document', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).json();
    for (const path of [
      '/v1/returns',
      '/v1/returns/{id}',
      '/v1/returns/{id}/receive',
      '/v1/returns/{id}/cancel',
      '/v1/exchanges',
      '/v1/exchanges/{id}',
      '/v1/stores/{code}/service-slots',
      '/v1/stores/{code}/appointments',
      '/v1/appointments',
      '/v1/appointments/{id}/cancel',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
