#!/usr/bin/env node
// The console's JavaScript per first screen, gzipped: the entry chunk and every chunk it imports statically
// (what the browser must load before the page shows), from the build manifest of web/dist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = new URL('../web/dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const dep of manifest[key].imports ?? []) visit(dep);
  };
  for (const key of keys) visit(key);
  return [...seen].map((key) => manifest[key].file);
}

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const byName = (name) => Object.keys(manifest).find((key) => key.endsWith(name));
const screens = {
  'login (first screen)': [entry],
  'HQ dashboard': [entry, byName('hq/HqArea.tsx'), byName('hq/DashboardPage.tsx')],
  'HQ inventory board': [entry, byName('hq/HqArea.tsx'), byName('hq/InventoryBoardPage.tsx')],
  'store workbench': [entry, byName('store/StoreArea.tsx'), byName('store/StoreStockPage.tsx')],
  'customer scan page': [entry, byName('m/CustomerArea.tsx'), byName('m/SkuPage.tsx')],
  'HQ orders': [entry, byName('hq/HqArea.tsx'), byName('hq/OrdersPage.tsx')],
  'HQ order detail': [entry, byName('hq/HqArea.tsx'), byName('hq/OrderDetailPage.tsx')],
  'store pickups': [entry, byName('store/StoreArea.tsx'), byName('store/StorePickupsPage.tsx')],
  'customer my orders': [entry, byName('m/CustomerArea.tsx'), byName('m/MyOrdersPage.tsx')],
  'HQ member 360': [entry, byName('hq/HqArea.tsx'), byName('hq/MemberDetailPage.tsx')],
  'HQ loyalty': [entry, byName('hq/HqArea.tsx'), byName('hq/LoyaltyPage.tsx')],
  'HQ coupon templates': [entry, byName('hq/HqArea.tsx'), byName('hq/CouponTemplatesPage.tsx')],
  'HQ coupon template': [entry, byName('hq/HqArea.tsx'), byName('hq/CouponTemplatePage.tsx')],
  'store returns': [entry, byName('store/StoreArea.tsx'), byName('store/StoreReturnsPage.tsx')],
  'store trials': [entry, byName('store/StoreArea.tsx'), byName('store/StoreTrialsPage.tsx')],
  'store coupons': [entry, byName('store/StoreArea.tsx'), byName('store/StoreCouponsPage.tsx')],
  'store appointments': [entry, byName('store/StoreArea.tsx'), byName('store/StoreAppointmentsPage.tsx')],
  'customer points': [entry, byName('m/CustomerArea.tsx'), byName('m/MyPointsPage.tsx')],
  'customer tried': [entry, byName('m/CustomerArea.tsx'), byName('m/TriedPage.tsx')],
  'customer booking': [entry, byName('m/CustomerArea.tsx'), byName('m/AppointmentsPage.tsx')],
  'customer member code': [entry, byName('m/CustomerArea.tsx'), byName('m/MemberCodePage.tsx')],
  'customer coupon centre': [entry, byName('m/CustomerArea.tsx'), byName('m/CouponCentrePage.tsx')],
  'customer shop': [entry, byName('m/CustomerArea.tsx'), byName('m/ShopPage.tsx')],
  'customer home': [entry, byName('m/CustomerArea.tsx'), byName('m/HomePage.tsx')],
  'customer cart': [entry, byName('m/CustomerArea.tsx'), byName('m/CartPage.tsx')],
  'customer favourites': [entry, byName('m/CustomerArea.tsx'), byName('m/FavouritesPage.tsx')],
  'customer order': [entry, byName('m/CustomerArea.tsx'), byName('m/OrderPage.tsx')],
  'customer return request': [entry, byName('m/CustomerArea.tsx'), byName('m/ReturnRequestPage.tsx')],
  'customer return': [entry, byName('m/CustomerArea.tsx'), byName('m/ReturnPage.tsx')],
  'customer my returns': [entry, byName('m/CustomerArea.tsx'), byName('m/MyReturnsPage.tsx')],
  'store till': [entry, byName('store/StoreArea.tsx'), byName('store/StoreTillPage.tsx')],
};
const rows = [];
for (const [screen, keys] of Object.entries(screens)) {
  const files = closure(keys.filter(Boolean));
  const bytes = files.reduce((sum, file) => sum + gz(file), 0);
  rows.push({ screen, chunks: files.length, 'gzip kB': (bytes / 1024).toFixed(1) });
}
// A chart's chunk with everything it loads that its page has not loaded already (ECharts itself).
for (const [name, page] of [
  ['StockChart.tsx', 'hq/InventoryBoardPage.tsx'],
  ['ChannelChart.tsx', 'hq/DashboardPage.tsx'],
]) {
  const chart = byName(name);
  if (!chart) continue;
  const loaded = new Set(closure([entry, byName('hq/HqArea.tsx'), byName(page)].filter(Boolean)));
  const files = closure([chart]).filter((file) => !loaded.has(file));
  const bytes = files.reduce((sum, file) => sum + gz(file), 0);
  rows.push({
    screen: `(lazy) ${name.replace('.tsx', '')} + ECharts`,
    chunks: files.length,
    'gzip kB': (bytes / 1024).toFixed(1),
  });
}
console.table(rows);
