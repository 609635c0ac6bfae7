import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { seedLocations } from '../locations/index.js';
import { seedAftersales } from './index.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
  await seedLocations(t.runtime.database);
});
afterAll(() => t.close());

describe('demo service slots', () => {
  it('opens two weeks of slots at five stores once; a second seed adds nothing', async () => {
    const first = await seedAftersales(t.runtime.database, { timeZone: 'Asia/Shanghai' });
    expect(first.serviceSlots).toBeGreaterThan(5 * 14 * 11 * 3);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const slots = (
      await t.request({ method: 'GET', url: `/v1/stores/SH01/service-slots?date=${today}` })
    ).json().items;
    expect(slots.length).toBeGreaterThan(0);
    expect(slots[0]).toMatchObject({ store: 'SH01', localDay: today, booked: 0 });
    expect(await seedAftersales(t.runtime.database, { timeZone: 'Asia/Shanghai' })).toEqual({
      serviceSlots: 0,
    });
  });
});
