import { getLocation } from '../locations/index.js';
import type { Config } from '../platform/config.js';
import { type Database, localDay } from '../platform/index.js';
import type { WeeklyTemplateDay } from './aftersales.rules.js';
import { publishSlots } from './appointments.service.js';

/** The demo stores that take service bookings, and their weekly pattern. */
const DEMO_SERVICE_STORES = ['SH01', 'SH02', 'BJ01', 'GZ01', 'SZ01'];

const WEEKDAY: WeeklyTemplateDay['services'] = [
  { service: 'skin_test', capacity: 2 },
  { service: 'makeup', capacity: 1 },
  { service: 'after_sales_check', capacity: 1 },
];
const WEEKEND: WeeklyTemplateDay['services'] = [
  { service: 'skin_test', capacity: 3 },
  { service: 'makeup', capacity: 2 },
  { service: 'facial', capacity: 1 },
  { service: 'after_sales_check', capacity: 1 },
];

export const DEMO_SERVICE_TEMPLATE: WeeklyTemplateDay[] = [
  ...[1, 2, 3, 4, 5].map((weekday) => ({
    weekday,
    opens: '10:00',
    closes: '21:00',
    slotMinutes: 60,
    services: WEEKDAY,
  })),
  ...[6, 7].map((weekday) => ({
    weekday,
    opens: '10:00',
    closes: '22:00',
    slotMinutes: 60,
    services: WEEKEND,
  })),
];

/**
 * The demo stores' service slots for the coming two weeks. Idempotent: slots that exist are left as they are.
 */
export async function seedAftersales(
  database: Database,
  config: Partial<Pick<Config, 'timeZone'>> & object,
): Promise<{ serviceSlots: number }> {
  const timeZone = config.timeZone ?? 'Asia/Shanghai';
  const from = localDay(new Date(), timeZone);
  let created = 0;
  for (const store of DEMO_SERVICE_STORES) {
    if ((await getLocation(database.db, store))?.kind !== 'store') continue;
    const before = await database.db
      .selectFrom('service_slots')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('store', '=', store)
      .executeTakeFirst();
    await database.transaction((trx) =>
      publishSlots(
        trx,
        timeZone,
        store,
        { template: { days: DEMO_SERVICE_TEMPLATE, from, forDays: 14 } },
        { keepExisting: true },
      ),
    );
    const after = await database.db
      .selectFrom('service_slots')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('store', '=', store)
      .executeTakeFirst();
    created += Number(after?.n ?? 0) - Number(before?.n ?? 0);
  }
  return { serviceSlots: created };
}
