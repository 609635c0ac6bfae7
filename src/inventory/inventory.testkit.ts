// What the inventory tests share: the network most of them run on. Data only (this file is no test): each test
// file starts its own app and database with it.

// Shanghai: a warehouse, two stores close together and one across the river; Beijing far away.
export const NETWORK = [
  { code: 'WH-T', kind: 'warehouse' as const, city: '上海', lat: 31.15, lng: 121.12 },
  {
    code: 'ST-A',
    kind: 'store' as const,
    city: '上海',
    lat: 31.2235,
    lng: 121.4453,
    capabilities: { pickup: true },
  },
  {
    code: 'ST-B',
    kind: 'store' as const,
    city: '上海',
    lat: 31.1946,
    lng: 121.4366,
    capabilities: { pickup: true },
  },
  {
    code: 'ST-C',
    kind: 'store' as const,
    city: '上海',
    lat: 31.2304,
    lng: 121.5137,
    capabilities: { pickup: true },
  },
  {
    code: 'ST-BJ',
    kind: 'store' as const,
    city: '北京',
    lat: 39.9334,
    lng: 116.4551,
    capabilities: { pickup: true },
  },
];

export const SKUS = [
  { code: 'SKU-1', price: 32000 },
  { code: 'SKU-2', price: 45000 },
  { code: 'SKU-3', price: 9900 },
];
