import { DEMO_LOCATIONS } from '../../src/locations/index.js';
import { type BenchContext, load } from '../lib.js';

/**
 * The till's scan-to-total step (`till.price_20_lines_p99_ms`): `POST /v1/orders/quote` for a basket of 20 lines
 * with a member, her coupon and points, as the till asks after each scan — one cashier at a time (one connection),
 * on a node that is otherwise idle. Target: p99 under 100 ms.
 */
export async function tillQuote(
  ctx: BenchContext,
  engine: 'sqlite' | 'postgres',
  url: string,
  headers: Record<string, string>,
  skus: readonly string[],
  seconds: number,
): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const store = DEMO_LOCATIONS.find((l) => l.kind === 'store')!.code;
  const { memberId } = await post('/v1/identify', {
    identifiers: [{ type: 'phone', value: '+8613900009999', verified: true }],
    channel: 'pos',
  });
  const day = 86_400_000;
  await post('/v1/coupon-templates', {
    code: 'BENCH-TILL',
    name: 'till',
    kind: 'amount_off',
    value: 1000,
    channels: ['pos'],
    validFrom: new Date(Date.now() - day).toISOString(),
    validTo: new Date(Date.now() + day).toISOString(),
  });
  const { code } = await post('/v1/coupons', { template: 'BENCH-TILL', memberId });
  const body = JSON.stringify({
    channel: 'pos',
    storeCode: store,
    memberId,
    lines: skus.slice(1, 21).map((sku) => ({ sku, quantity: 1 })),
    couponCodes: [code],
  });
  const quote = (window: number) =>
    load({
      url: `${url}/v1/orders/quote`,
      method: 'POST',
      connections: 1,
      seconds: window,
      headers,
      body: () => body,
    });
  await quote(1);
  const measured = await quote(seconds);
  const refused = Object.entries(measured.statusCounts).filter(([status]) => status !== '200');
  if (refused.length > 0) throw new Error(`till quotes answered ${JSON.stringify(measured.statusCounts)}`);
  ctx.record(`till.price_20_lines_p99_ms.${engine}`, measured.latencyP99Ms, 'ms');
  ctx.record(`till.price_20_lines_per_s.${engine}`, measured.perSecond, 'quotes/s');
}
