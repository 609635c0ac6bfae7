import { seedAftersales } from '../aftersales/index.js';
import { DEMO_PRODUCTS, seedCatalog, seedDictionary } from '../catalog/index.js';
import { seedStock } from '../inventory/index.js';
import { DEMO_LOCATIONS, seedLocations } from '../locations/index.js';
import { seedLoyalty } from '../loyalty/index.js';
import { seedMembers } from '../members/index.js';
import { seedOrders } from '../orders/index.js';
import type { StaffRole } from '../platform/auth/principal.js';
import { createUser } from '../platform/auth/users.service.js';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/db/index.js';

/**
 * The demo brand, 澜境 LANJING BEAUTY (fictional): warehouses in Shanghai and Guangzhou, a dozen stores in four
 * cities, staff for HQ and for the stores, ≈300 SKUs with opening stock, members. Seeding is idempotent: what
 * exists is left alone.
 */
export const DEMO_PASSWORD = 'omniloop-demo';

// A person's own name: the console shows the role and the store beside it.
export const DEMO_USERS: { username: string; role: StaffRole; storeCode?: string; displayName: string }[] = [
  { username: 'admin', role: 'admin', displayName: '系统管理员' },
  { username: 'ops', role: 'ops', displayName: '王敏' },
  { username: 'sh01.manager', role: 'store_manager', storeCode: 'SH01', displayName: '陈静' },
  { username: 'sh01.guide', role: 'guide', storeCode: 'SH01', displayName: '李娜' },
  { username: 'sh02.guide', role: 'guide', storeCode: 'SH02', displayName: '周洁' },
  {
    username: 'bj01.manager',
    role: 'store_manager',
    storeCode: 'BJ01',
    displayName: '赵磊',
  },
  { username: 'gz01.manager', role: 'store_manager', storeCode: 'GZ01', displayName: '黄颖' },
  { username: 'sz01.guide', role: 'guide', storeCode: 'SZ01', displayName: '林晓' },
];

export interface SeedReport {
  created: Record<string, number>;
}

export async function seedDemo(
  database: Database,
  config: Pick<Config, 'secret' | 'timeZone'>,
): Promise<SeedReport> {
  const created: Record<string, number> = { users: 0 };
  const existing = new Set(
    (await database.db.selectFrom('users').select('username').execute()).map((u) => u.username),
  );
  for (const user of DEMO_USERS) {
    if (existing.has(user.username)) continue;
    await database.transaction((trx) => createUser(trx, { ...user, password: DEMO_PASSWORD }));
    created.users = (created.users ?? 0) + 1;
  }
  Object.assign(created, await seedLocations(database));
  Object.assign(created, await seedCatalog(database));
  created.dictionary = await seedDictionary(database);
  created.stockLevels = await seedStock(
    database,
    DEMO_PRODUCTS.flatMap((p) => p.skus.map((s) => s.code)),
    DEMO_LOCATIONS,
  );
  Object.assign(created, await seedMembers(database, config.secret));
  Object.assign(created, await seedLoyalty(database));
  Object.assign(created, await seedOrders(database, config));
  Object.assign(created, await seedAftersales(database, config));
  return { created };
}
