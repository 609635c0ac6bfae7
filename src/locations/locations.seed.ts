import type { Database } from '../platform/index.js';
import type { NewLocation } from './locations.contract.js';
import { createLocation } from './locations.service.js';

/**
 * The demo brand's network: two cloud warehouses that ship everywhere first, and a dozen stores in the centres
 * of Shanghai, Beijing, Guangzhou and Shenzhen. Each city's flagship packs online orders and delivers same-day.
 */
export const DEMO_LOCATIONS: NewLocation[] = [
  {
    code: 'WH-SH',
    name: '上海青浦云仓',
    kind: 'warehouse',
    city: '上海',
    address: '上海市青浦区华新镇华腾路1288号',
    lat: 31.2382,
    lng: 121.2147,
    dailyCapacity: 5000,
    priorityTier: 1,
  },
  {
    code: 'WH-GZ',
    name: '广州白云云仓',
    kind: 'warehouse',
    city: '广州',
    address: '广州市白云区太和镇永兴村物流园8号',
    lat: 23.3128,
    lng: 113.3086,
    dailyCapacity: 5000,
    priorityTier: 1,
  },
  store('SH01', '上海静安店', '上海', '上海市静安区南京西路1618号久光百货1楼', 31.2236, 121.4455, {
    ship: true,
    sameDayKm: 8,
    capacity: 80,
  }),
  store('SH02', '上海徐汇店', '上海', '上海市徐汇区虹桥路1号港汇恒隆广场B1', 31.1951, 121.4372, {
    capacity: 50,
  }),
  store('SH03', '上海浦东店', '上海', '上海市浦东新区世纪大道8号国金中心商场L2', 31.2366, 121.5022, {
    ship: true,
    capacity: 60,
  }),
  store('BJ01', '北京三里屯店', '北京', '北京市朝阳区三里屯路19号太古里南区', 39.9335, 116.4548, {
    ship: true,
    sameDayKm: 8,
    capacity: 80,
  }),
  store('BJ02', '北京国贸店', '北京', '北京市朝阳区建国门外大街1号国贸商城B1', 39.9089, 116.4601, {
    ship: true,
    capacity: 50,
  }),
  store('BJ03', '北京西单店', '北京', '北京市西城区西单北大街131号大悦城1楼', 39.9109, 116.3728, {
    capacity: 40,
  }),
  store('GZ01', '广州天河店', '广州', '广州市天河区天河路208号天河城1楼', 23.1318, 113.3247, {
    ship: true,
    sameDayKm: 6,
    capacity: 70,
  }),
  store('GZ02', '广州越秀店', '广州', '广州市越秀区北京路步行街238号', 23.1249, 113.2693, { capacity: 40 }),
  store('GZ03', '广州海珠店', '广州', '广州市海珠区江南西路39号', 23.0969, 113.2729, { capacity: 30 }),
  store('SZ01', '深圳万象城店', '深圳', '深圳市罗湖区宝安南路1881号华润万象城L1', 22.5379, 114.1116, {
    ship: true,
    sameDayKm: 10,
    capacity: 80,
  }),
  store('SZ02', '深圳福田店', '深圳', '深圳市福田区福华三路星河COCO Park B1', 22.5338, 114.0562, {
    capacity: 50,
  }),
  store('SZ03', '深圳南山店', '深圳', '深圳市南山区文心五路33号海岸城L1', 22.5171, 113.9363, {
    ship: true,
    capacity: 40,
  }),
];

function store(
  code: string,
  name: string,
  city: string,
  address: string,
  lat: number,
  lng: number,
  options: { ship?: boolean; sameDayKm?: number; capacity: number },
): NewLocation {
  return {
    code,
    name,
    kind: 'store',
    city,
    address,
    lat,
    lng,
    capabilities: {
      pickup: true,
      shipFromStore: options.ship ?? false,
      sameDayRadiusKm: options.sameDayKm ?? null,
    },
    dailyCapacity: options.capacity,
    priorityTier: 2,
  };
}

/** Opens the demo locations that do not exist yet; returns how many it opened. */
export async function seedLocations(database: Database): Promise<{ locations: number }> {
  const existing = new Set(
    (await database.db.selectFrom('locations').select('code').execute()).map((row) => row.code),
  );
  let locations = 0;
  for (const location of DEMO_LOCATIONS) {
    if (existing.has(location.code)) continue;
    await database.transaction((trx) => createLocation(trx, location));
    locations++;
  }
  return { locations };
}
