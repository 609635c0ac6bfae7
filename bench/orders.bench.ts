import { loadavg } from 'node:os';
import { DEMO_PRODUCTS, seedCatalog } from '../src/catalog/index.js';
import {
  DEFAULT_SOURCING_RULES,
  planFulfillment,
  type SourcingCandidate,
  type SourcingOrder,
} from '../src/fulfillment/index.js';
import { DEMO_LOCATIONS, seedLocations } from '../src/locations/index.js';
import { type Database, migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { nowIso } from '../src/platform/time.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { BENCH_ADMIN_TOKEN, type BenchContext, load, percentile, startServerProcess } from './lib.js';
import { tillQuote } from './orders/till.bench.js';

/**
 * The order hub's figures: the pure sourcing planner (`plan.p50_us`, `plan.p99_us` for a 3-line delivery order
 * over 500 locations and 2,000 SKUs with sparse stock; target p99 ≤ 2,000 µs), then placing orders over HTTP
 * (price, plan, reserve, write) on both engines against the HTTP ceiling, `oversold_units` (must be 0), and the
 * till's scan-to-total quote of 20 lines (`till.price_20_lines_p99_ms`, bench/orders/till.bench.ts).
 */
export async function ordersSuite(ctx: BenchContext): Promise<void> {
  planner(ctx);
  const seconds = ctx.quick ? 2 : 9;
  const sqlite = await placeOrdersOverHttp(ctx, 'sqlite', seconds);
  const postgres = await placeOrdersOverHttp(ctx, 'postgres', seconds);
  // PostgreSQL against SQLite in the same run: target ≥ 0.4.
  ctx.record('pg.place_order_vs_sqlite', postgres.rate / sqlite.rate);
  ctx.record('oversold_units', sqlite.oversold + postgres.oversold);
}

function planner(ctx: BenchContext): void {
  const world = sourcingWorld(20261122);
  const rules = DEFAULT_SOURCING_RULES.online;
  const orders = world.orders;

  // Warm-up lets the JIT settle on the planner's hot paths before anything is timed.
  for (let i = 0; i < 2_000; i++) planFulfillment(orders[i % orders.length]!, world.candidates, rules);

  const runs = 10_000;
  const timings = new Float64Array(runs);
  let split = 0;
  let failed = 0;
  for (let i = 0; i < runs; i++) {
    const order = orders[i % orders.length]!;
    const t0 = performance.now();
    const plan = planFulfillment(order, world.candidates, rules);
    timings[i] = (performance.now() - t0) * 1000;
    if (!plan.ok) failed++;
    else if (plan.groups.length > 1) split++;
  }
  const sorted = Array.from(timings).sort((a, b) => a - b);
  ctx.record('plan.p50_us', percentile(sorted, 50), 'µs');
  ctx.record('plan.p99_us', percentile(sorted, 99), 'µs');
  // A plan takes ~0.1 ms, so on a busy machine any plan the scheduler pre-empts lands in the tail: say how busy.
  console.log(
    `orders  plans split over several locations: ${split}, unfulfillable: ${failed} of ${runs}; ` +
      `load average ${loadavg()[0]!.toFixed(2)} on this machine`,
  );
}

/** A deterministic brand: 50 warehouses and 450 stores in 30 cities, 2,000 SKUs, each location stocking few. */
function sourcingWorld(seed: number): { candidates: SourcingCandidate[]; orders: SourcingOrder[] } {
  const random = mulberry32(seed);
  const skus = Array.from({ length: 2_000 }, (_, i) => `SKU${String(i).padStart(5, '0')}`);
  const cities = Array.from({ length: 30 }, (_, i) => ({
    name: `city-${i}`,
    lat: 22 + random() * 18,
    lng: 104 + random() * 18,
  }));
  const candidates: SourcingCandidate[] = [];
  for (let i = 0; i < 500; i++) {
    const warehouse = i < 50;
    const city = cities[i % cities.length]!;
    // Warehouses carry about 30 % of the range, stores about 5 %: most orders need a warehouse or a split.
    const share = warehouse ? 0.3 : 0.05;
    const stock = new Map<string, number>();
    for (const sku of skus)
      if (random() < share) stock.set(sku, 1 + Math.floor(random() * (warehouse ? 200 : 12)));
    candidates.push({
      code: `${warehouse ? 'WH' : 'ST'}${String(i).padStart(3, '0')}`,
      kind: warehouse ? 'warehouse' : 'store',
      city: city.name,
      lat: city.lat + (random() - 0.5) * 0.3,
      lng: city.lng + (random() - 0.5) * 0.3,
      capabilities: {
        pickup: !warehouse,
        shipFromStore: !warehouse && random() < 0.7,
        sameDayRadiusKm: warehouse ? null : 8,
      },
      priorityTier: warehouse ? 1 : 2,
      remainingCapacity: random() < 0.05 ? 0 : 50,
      active: random() > 0.02,
      stock,
    });
  }
  const orders: SourcingOrder[] = Array.from({ length: 1_000 }, () => {
    const city = cities[Math.floor(random() * cities.length)]!;
    const lines = new Map<string, number>();
    while (lines.size < 3) lines.set(skus[Math.floor(random() * skus.length)]!, 1 + Math.floor(random() * 2));
    return {
      channel: 'online',
      lines: [...lines].map(([sku, quantity]) => ({ sku, quantity })),
      fulfillment: {
        type: 'delivery',
        address: { city: city.name, lat: city.lat + random() * 0.1, lng: city.lng + random() * 0.1 },
      },
    };
  });
  return { candidates, orders };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `POST /v1/orders` under 64 connections on a server process with the demo network and catalog: 1–3 line
 * delivery orders to Shanghai, every SKU deep in the warehouses. Then a drain: 64 connections ordering one SKU
 * that has 300 units in each warehouse: never more orders placed, nor units reserved, than there are.
 */
async function placeOrdersOverHttp(
  ctx: BenchContext,
  engine: 'sqlite' | 'postgres',
  seconds: number,
): Promise<{ rate: number; oversold: number }> {
  const target = await createTestDatabase(engine);
  const database = openDatabase(target.target);
  const prefix = engine === 'sqlite' ? 'sqlite' : 'pg';
  try {
    const { drainSku, drainUnits, address, body, skus } = await prepareOrderWorld(database);
    const server = await startServerProcess(target.target);
    try {
      const headers = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
      const placeOrders = (window: number) =>
        load({
          url: `${server.url}/v1/orders`,
          method: 'POST',
          connections: 64,
          seconds: window,
          headers,
          body,
        });
      // Two seconds of the same load first, not counted: the JIT and the statement cache settle on the order path
      // (with one, the first window still ran a sixth slower than the others).
      await placeOrders(2);
      // This machine's speed drifts over seconds (shared cores), and not alike for both loads: the trivial route
      // is mostly system calls, an order mostly user code. The ceiling and the order rate are therefore measured
      // in alternating windows; each figure is the median of its windows, and the ratio is the median of the
      // ratios of a ceiling window and the order window right after it (the same conditions, as far as can be).
      const rounds = seconds >= 9 ? 5 : 1;
      const window = seconds >= 9 ? 2 : seconds;
      const ceilings: number[] = [];
      const rates: number[] = [];
      const ratios: number[] = [];
      const statuses: Record<string, number> = {};
      for (let round = 0; round < rounds; round++) {
        // The node finishes what the last window left (event consumers, checkpoints) before /livez is measured.
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (engine === 'sqlite')
          ceilings.push(
            (await load({ url: `${server.url}/livez`, connections: 64, seconds: window })).perSecond,
          );
        const placed = await placeOrders(window);
        rates.push((placed.statusCounts['201'] ?? 0) / window);
        if (engine === 'sqlite') ratios.push(rates[round]! / ceilings[round]!);
        for (const [status, count] of Object.entries(placed.statusCounts))
          statuses[status] = (statuses[status] ?? 0) + count;
      }
      const rate = median(rates);
      ctx.record(`${prefix}.place_order_http_per_s`, rate, 'orders/s');
      if (engine === 'sqlite') {
        ctx.record('http.ceiling_per_s', median(ceilings), 'req/s');
        ctx.record('sqlite.place_order_vs_ceiling', median(ratios));
        console.log(
          `orders  ratio per round: ${ratios.map((r) => r.toFixed(3)).join(', ')} ` +
            `(ceilings ${ceilings.map((c) => Math.round(c)).join(', ')}; orders/s ${rates.map((r) => Math.round(r)).join(', ')})`,
        );
      }
      const unexpected = Object.keys(statuses).filter((s) => s !== '201');
      if (unexpected.length > 0) console.warn(`${prefix}: unexpected statuses placing orders`, statuses);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await tillQuote(ctx, engine, server.url, headers, skus, seconds >= 9 ? 5 : 2);

      const drain = await load({
        url: `${server.url}/v1/orders`,
        method: 'POST',
        connections: 64,
        seconds: 2,
        headers,
        body: () =>
          JSON.stringify({
            channel: 'online',
            lines: [{ sku: drainSku, quantity: 1 }],
            fulfillment: { type: 'delivery', address },
          }),
      });
      const granted = drain.statusCounts['201'] ?? 0;
      const reserved = await database.db
        .selectFrom('stock_levels')
        .select((eb) => eb.fn.sum<number>('reserved').as('reserved'))
        .where('sku', '=', drainSku)
        .executeTakeFirstOrThrow();
      const oversold =
        Math.max(0, granted - drainUnits) + Math.max(0, Number(reserved.reserved) - drainUnits);
      return { rate, oversold };
    } finally {
      await server.stop();
    }
  } finally {
    await database.close();
    await target.drop();
  }
}

/**
 * The world the order figures are measured in: the demo network and catalog, every SKU deep in the warehouses
 * (the first, the drain SKU, 300 units in each), and a body for 1–3 line delivery orders to Shanghai.
 */
export async function prepareOrderWorld(database: Database) {
  await migrateToLatest(database.db);
  await seedLocations(database);
  await seedCatalog(database);
  // The demo warehouses take 5,000 groups a day each; a fast run places more than that in seconds and would
  // measure refusals for capacity. Their capacity is lifted (the daily load is still counted).
  await database.db
    .updateTable('locations')
    .set({ daily_capacity: null })
    .where('kind', '=', 'warehouse')
    .execute();
  const skus = DEMO_PRODUCTS.flatMap((p) => p.skus.map((s) => s.code));
  const warehouses = DEMO_LOCATIONS.filter((l) => l.kind === 'warehouse').map((l) => l.code);
  const now = nowIso();
  const levels = warehouses.flatMap((location) =>
    skus.map((sku, i) => ({
      sku,
      location,
      on_hand: i === 0 ? 300 : 1_000_000,
      reserved: 0,
      safety_stock: 0,
      in_transit: 0,
      updated_at: now,
    })),
  );
  for (let i = 0; i < levels.length; i += 500)
    await database.db
      .insertInto('stock_levels')
      .values(levels.slice(i, i + 500))
      .execute();
  const address = {
    city: '上海',
    lat: 31.2304,
    lng: 121.4737,
    name: '压测',
    phone: '13800000000',
    line1: '人民广场',
  };
  let n = 0;
  const body = () => {
    n++;
    const count = 1 + (n % 3);
    const lines = Array.from({ length: count }, (_, k) => ({
      sku: skus[1 + ((n * 7 + k * 13) % (skus.length - 1))]!,
      quantity: 1,
    }));
    return JSON.stringify({ channel: 'online', lines, fulfillment: { type: 'delivery', address } });
  };
  return { drainSku: skus[0]!, drainUnits: 300 * warehouses.length, address, body, skus };
}
