import { loadavg } from 'node:os';
import {
  DEFAULT_SOURCING_RULES,
  planFulfillment,
  type SourcingCandidate,
  type SourcingOrder,
} from '../src/fulfillment/sourcing.rules.js';
import { type BenchContext, percentile } from './lib.js';

/**
 * The order hub's figures.
 *
 * Now: the pure sourcing planner, `plan.p50_us` and `plan.p99_us` for a 3-line delivery order over 500 locations
 * and 2,000 SKUs with sparse stock (target p99 ≤ 2,000 µs).
 *
 * The HTTP figures of this suite (`http.ceiling_per_s`, `sqlite.place_order_http_per_s`,
 * `pg.place_order_http_per_s`, `oversold_units`) are added with the order service, which they measure.
 */
export async function ordersSuite(ctx: BenchContext): Promise<void> {
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
