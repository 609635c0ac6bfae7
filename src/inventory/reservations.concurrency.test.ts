import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.js';
import { ENGINE } from '../../test/helpers/database.js';
import { createNetwork, expectInventoryInvariants, setStock } from '../../test/helpers/inventory.js';
import { type NodeProcess, startNodeProcess } from '../../test/helpers/node-process.js';

// Real concurrent HTTP requests against a listening server (not inject): the claim "never oversold" is tested
// the way channels will hit it.

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  await createNetwork(
    t,
    [
      { code: 'HOT-1', kind: 'store', city: '上海', lat: 31.22, lng: 121.44 },
      { code: 'HOT-2', kind: 'store', city: '上海', lat: 31.19, lng: 121.43 },
    ],
    [
      { code: 'FLASH-1', price: 100 },
      { code: 'FLASH-2', price: 100 },
      { code: 'FLASH-3', price: 100 },
    ],
  );
  base = await t.runtime.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

async function reserve(url: string, lines: { sku: string; location: string; quantity: number }[]) {
  const res = await fetch(`${url}/v1/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ lines }),
  });
  return { status: res.status, body: (await res.json()) as { code?: string; lines?: unknown[] } };
}

function tally(results: { status: number; body: { code?: string } }[]) {
  return {
    created: results.filter((r) => r.status === 201).length,
    insufficient: results.filter((r) => r.status === 409 && r.body.code === 'INVENTORY.INSUFFICIENT_STOCK')
      .length,
    other: results
      .filter(
        (r) => r.status !== 201 && !(r.status === 409 && r.body.code === 'INVENTORY.INSUFFICIENT_STOCK'),
      )
      .map((r) => r.status),
  };
}

describe('never oversold under concurrency', () => {
  it('1,000 concurrent requests for a SKU with 100 available: exactly 100 succeed', async () => {
    await setStock(t, 'FLASH-1', 'HOT-1', 100);
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => reserve(base, [{ sku: 'FLASH-1', location: 'HOT-1', quantity: 1 }])),
    );
    expect(tally(results)).toEqual({ created: 100, insufficient: 900, other: [] });
    const level = (await t.request({ method: 'GET', url: '/v1/inventory/FLASH-1' })).json().levels[0];
    expect(level).toMatchObject({ onHand: 100, reserved: 100, available: 0 });
    await expectInventoryInvariants(t);
  });

  it('multi-line requests across two SKUs in opposite orders: no deadlock, no partial reservation', async () => {
    await setStock(t, 'FLASH-2', 'HOT-1', 100);
    await setStock(t, 'FLASH-3', 'HOT-2', 100);
    const a = { sku: 'FLASH-2', location: 'HOT-1', quantity: 1 };
    const b = { sku: 'FLASH-3', location: 'HOT-2', quantity: 1 };
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => reserve(base, i % 2 === 0 ? [a, b] : [b, a])),
    );
    expect(tally(results)).toEqual({ created: 100, insufficient: 900, other: [] });
    for (const r of results.filter((x) => x.status === 201)) expect(r.body.lines).toHaveLength(2);
    const stock = async (sku: string) =>
      (await t.request({ method: 'GET', url: `/v1/inventory/${sku}` })).json().levels[0];
    expect(await stock('FLASH-2')).toMatchObject({ reserved: 100, available: 0 });
    expect(await stock('FLASH-3')).toMatchObject({ reserved: 100, available: 0 });
    await expectInventoryInvariants(t);
  });
});

describe.skipIf(ENGINE !== 'postgres')('two server processes on one PostgreSQL database', () => {
  let node: NodeProcess;
  let second: string;
  beforeAll(async () => {
    node = await startNodeProcess(t.database.target, { secret: TEST_SECRET, adminToken: ADMIN_TOKEN });
    second = node.url;
  });
  afterAll(() => node?.stop());

  it('1,000 requests spread over both processes: exactly 100 succeed', async () => {
    await setStock(t, 'FLASH-1', 'HOT-2', 100);
    const line = { sku: 'FLASH-1', location: 'HOT-2', quantity: 1 };
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => reserve(i % 2 === 0 ? base : second, [line])),
    );
    expect(tally(results)).toEqual({ created: 100, insufficient: 900, other: [] });
    await expectInventoryInvariants(t);
  });
});
