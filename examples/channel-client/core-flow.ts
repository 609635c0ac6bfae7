// What a channel app (a mini-program's server, a POS, an ERP bridge) writes against OmniLoop with a client
// generated from /openapi.json. CI type-checks this program against the types `npm run api:types` generates,
// so a change to a route that would break such a client breaks the build first.
//
//   npx openapi-typescript http://localhost:8080/openapi.json -o schema.d.ts
//   npm install openapi-fetch
import createClient from 'openapi-fetch';
import type { paths } from '../../web/src/api/schema.js';

export async function coreFlow(baseUrl: string, apiKey: string): Promise<void> {
  const api = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });

  // One ID: the customer who logged in with her phone is one member in every channel.
  const identified = await api.POST('/v1/identify', {
    body: { identifiers: [{ type: 'phone', value: '13800138000', verified: true }], channel: 'mini_program' },
  });
  if (!identified.data) throw new Error(`identify: ${identified.error?.code}`);
  const memberId: string = identified.data.memberId;

  // Hold two units in a store while she decides (all or nothing; released when the hold expires).
  const held = await api.POST('/v1/reservations', {
    body: { lines: [{ sku: 'LIP-RED-01', location: 'SH01', quantity: 2 }], ttlSeconds: 900 },
  });
  if (held.error) console.log(`not reserved: ${held.error.code} — ${held.error.detail}`);
  else await api.POST('/v1/reservations/{id}/release', { params: { path: { id: held.data.id } } });

  // Place the order: sourced from the best location, stock reserved, priced with her tier and coupons.
  const placed = await api.POST('/v1/orders', {
    params: { header: { 'idempotency-key': 'order-20261202-0001' } },
    body: {
      channel: 'mini_program',
      memberId,
      lines: [{ sku: 'LIP-RED-01', quantity: 1 }],
      fulfillment: { type: 'pickup', store: 'SH01' },
    },
  });
  if (!placed.data) throw new Error(`order: ${placed.error?.code}`);
  const order = placed.data;
  const payable: number = order.payableAmount;

  // Pay it: the payment is pending until the provider's signed notification arrives.
  const paid = await api.POST('/v1/orders/{id}/payments', {
    params: { path: { id: order.id } },
    body: { provider: 'simulated', amount: payable },
  });
  if (!paid.data) throw new Error(`payment: ${paid.error?.code}`);
  const status: 'pending' | 'succeeded' | 'failed' | string = paid.data.status;
  console.log(`order ${order.id}: payment ${paid.data.id} ${status}`);

  // Later, she brings the lipstick back to another store: the refund goes to the original payment.
  const returned = await api.POST('/v1/returns', {
    body: {
      orderId: order.id,
      lines: [{ sku: 'LIP-RED-01', quantity: 1 }],
      channel: 'pos',
      location: 'SH02',
      reason: 'changed_mind',
      condition: 'resellable',
    },
  });
  if (!returned.data) throw new Error(`return: ${returned.error?.code}`);
  const refund: number = returned.data.refundAmount;
  console.log(`return ${returned.data.id} ${returned.data.status}: ${refund} fen back`);
}
