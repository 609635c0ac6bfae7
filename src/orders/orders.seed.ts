import { DEMO_PRODUCTS } from '../catalog/index.js';
import { startPayment } from '../payments/index.js';
import type { Config } from '../platform/config.js';
import type { Channel, Database } from '../platform/index.js';
import { isDomainError } from '../platform/index.js';
import { ordersDeps } from './orders.deps.js';
import type { PlaceOrderInput } from './place.rules.js';
import { placeOrder } from './place.service.js';

/**
 * A day of the demo brand's orders across every channel: online and mini-program deliveries, pickups in Shanghai
 * stores, POS sales (carry-out and endless aisle), a live-stream order, a WeCom sale by a guide. Most are paid
 * through the simulated provider, whose notifications arrive once the server runs; a few wait for payment.
 * Idempotent: each order has a demo channel number.
 */
export async function seedOrders(
  database: Database,
  config: Pick<Config, 'secret' | 'timeZone'>,
): Promise<{ orders: number }> {
  const deps = ordersDeps(database, config);
  const skus = DEMO_PRODUCTS.flatMap((p) => p.skus.map((s) => s.code));
  const sku = (i: number) => skus[(i * 37) % skus.length]!;
  const phone = (i: number) => `138${String(i).padStart(8, '0')}`;
  const shanghai = { city: '上海', lat: 31.2304, lng: 121.4737, line1: '南京西路 1266 号', name: '演示顾客' };
  const beijing = { city: '北京', lat: 39.9087, lng: 116.3975, line1: '建国门外大街 1 号', name: '演示顾客' };
  const plans: {
    channel: Channel;
    storeCode?: string;
    guide?: string;
    fulfillment: PlaceOrderInput['fulfillment'];
    pay: boolean;
  }[] = [
    ...Array.from({ length: 8 }, (_, i) => ({
      channel: 'online' as const,
      fulfillment: { type: 'delivery' as const, address: i % 2 ? beijing : shanghai },
      pay: i !== 7,
    })),
    ...Array.from({ length: 6 }, (_, i) => ({
      channel: 'mini_program' as const,
      fulfillment: { type: 'pickup' as const, store: ['SH01', 'SH02', 'SH03'][i % 3]! },
      pay: i !== 5,
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      channel: 'pos' as const,
      storeCode: ['SH01', 'BJ01', 'GZ01', 'SZ01', 'SH02'][i]!,
      fulfillment: { type: 'carry_out' as const },
      pay: true,
    })),
    { channel: 'pos', storeCode: 'SH02', fulfillment: { type: 'delivery', address: shanghai }, pay: true },
    {
      channel: 'wecom',
      storeCode: 'SH01',
      guide: 'sh01.guide',
      fulfillment: { type: 'delivery', address: shanghai },
      pay: true,
    },
    { channel: 'live', fulfillment: { type: 'delivery', address: beijing }, pay: true },
    { channel: 'marketplace', fulfillment: { type: 'delivery', address: shanghai }, pay: true },
  ];
  let created = 0;
  for (const [i, plan] of plans.entries()) {
    const input: PlaceOrderInput = {
      channel: plan.channel,
      externalId: `DEMO-${String(i + 1).padStart(4, '0')}`,
      storeCode: plan.storeCode,
      guide: plan.guide,
      customer: { identifiers: [{ type: 'phone', value: phone(1 + (i % 40)), verified: true }] },
      lines: [{ sku: sku(i), quantity: 1 }, ...(i % 3 === 0 ? [{ sku: sku(i + 100), quantity: 1 }] : [])],
      fulfillment: plan.fulfillment,
      holdSeconds: 24 * 3600,
    };
    try {
      await database.transaction(async (trx) => {
        const placed = await placeOrder(trx, deps, input, { role: 'admin', subject: 'demo-seed' });
        if (placed.replayed) return;
        created++;
        if (!plan.pay) return;
        const order = await trx
          .selectFrom('orders')
          .select(['payable_amount'])
          .where('id', '=', placed.orderId)
          .executeTakeFirstOrThrow();
        await startPayment(trx, {
          orderId: placed.orderId,
          amount: Number(order.payable_amount),
          provider: 'simulated',
        });
      });
    } catch (error) {
      // A demo order the opening stock cannot source is skipped, not fatal.
      if (!isDomainError(error)) throw error;
    }
  }
  return { orders: created };
}
