import { createReadStream, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRET, type TestApp } from '../../test/helpers/app.js';
import { runImportChunk, spoolImport } from '../imports/index.js';
import { piiFor } from '../members/index.js';
import { recomputeTraits } from './traits.service.js';

// The whole path on the real data: the UCI Online Retail file imported as history, the traits recomputed, and a
// quintile run stored — its 11 segment sizes are the ones the pandas method gives (rfm.online-retail.test.ts
// proves the scoring itself against an independent rewrite of that method).

const DATA = new URL('../../../shared/data/online-retail/online-retail.csv.gz', import.meta.url).pathname;
const present = existsSync(DATA);

describe.skipIf(!present)('an RFM run over the imported Online Retail history', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ workers: false });
    const database = t.runtime.database;
    const spooled = await spoolImport(database, {
      options: { format: 'online_retail', timezone: 'UTC', channel: 'online' },
      fileName: 'online-retail.csv.gz',
      source: createReadStream(DATA),
      createdBy: 'test',
    });
    const deps = { pii: piiFor(TEST_SECRET), timeZone: 'Europe/London' };
    for (let seq = 0; seq < spooled.chunks; seq++) {
      await database.transaction((trx) => runImportChunk(trx, deps, spooled.importId, seq));
    }
    await recomputeTraits(database, piiFor(TEST_SECRET));
  }, 300_000);
  afterAll(() => t?.close());

  it('gives the 11 segment sizes of the pandas method', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/rfm/runs',
      body: { scheme: 'quintile', asOf: '2011-12-10T00:00:00Z' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const sizes = Object.fromEntries(
      res.json().segments.map((s: { segment: string; members: number }) => [s.segment, s.members]),
    );
    console.log(`Online Retail RFM run: ${res.json().members} members in ${res.json().durationMs} ms`, sizes);
    expect(res.json().members).toBe(4338);
    expect(sizes).toEqual({
      champions: 832,
      loyal: 423,
      potential_loyalist: 409,
      new_customers: 268,
      promising: 133,
      need_attention: 285,
      about_to_sleep: 286,
      at_risk: 429,
      cannot_lose_them: 93,
      hibernating: 691,
      lost: 489,
    });
  });
});
