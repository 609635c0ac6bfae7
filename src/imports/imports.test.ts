import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { guideOf, startTestApp, type TestApp } from '../../test/helpers/app.js';
import { importOrdersCommand } from '../cli/import-command.js';
import { piiFor } from '../members/index.js';
import { runImportChunk } from './import.service.js';
import type { ImportView } from './imports.contract.js';
import { spoolImport } from './spool.service.js';

// The brand's history in the online_retail format: sales, a return, a guest, duplicates and rows that are no sale;
// One ID by card; the same file twice; a chunk that fails and is run again.

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const ROWS = [
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom',
  '536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom',
  '536367,22633,HAND WARMER UNION JACK,0,2010-12-01 08:30:00,1.85,13047.0,United Kingdom',
  '536368,22634,"CHILDS BREAKFAST SET, DOLLY",2,2010-12-01 08:31:00,0,13047.0,United Kingdom',
  'C536369,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-1,2010-12-01 09:00:00,2.55,17850.0,United Kingdom',
  '536370,22635,BAD DATE,2,yesterday,1.00,13047.0,United Kingdom',
];
const FILE = `${HEADER}\n${ROWS.join('\n')}\n`;

let t: TestApp;
let known: string;

async function upload(
  body: Buffer | string,
  query = 'format=online_retail&timezone=Europe/London',
  type = 'application/gzip',
) {
  return t.request({
    method: 'POST',
    url: `/v1/imports/orders?${query}`,
    headers: { 'content-type': type },
    body,
  });
}

async function finished(id: string): Promise<ImportView> {
  await expect
    .poll(async () => (await t.request({ method: 'GET', url: `/v1/imports/${id}` })).json().status, {
      timeout: 15_000,
    })
    .toBe('completed');
  return (await t.request({ method: 'GET', url: `/v1/imports/${id}` })).json();
}

beforeAll(async () => {
  t = await startTestApp();
  // One ID already knows card 17850 (a member from the brand's own channels).
  known = (
    await t.request({
      method: 'POST',
      url: '/v1/identify',
      body: { identifiers: [{ type: 'card', value: '17850' }], channel: 'pos' },
    })
  ).json().memberId;
});
afterAll(() => t.close());

describe('importing order history (online_retail)', () => {
  it('imports sales and returns, rejects what is no sale with its reason, drops duplicates, reuses One ID', async () => {
    const res = await upload(gzipSync(FILE));
    expect(res.statusCode, res.body).toBe(202);
    const report = await finished(res.json().id);
    expect(report).toMatchObject({
      rowsTotal: 8,
      rowsRead: 8,
      rowsImported: 4,
      rowsRejected: 3,
      duplicatesDropped: 1,
      ordersCreated: 2,
      returnsCreated: 1,
      membersCreated: 0,
      productsCreated: 3,
    });
    const rejects = await t.request({ method: 'GET', url: `/v1/imports/${report.id}/rejects` });
    expect(rejects.headers['content-type']).toContain('text/csv');
    expect(rejects.body.trim().split('\n')).toEqual([
      'row,reason,record',
      `5,QUANTITY_NOT_POSITIVE,"${ROWS[4]}"`,
      `6,PRICE_NOT_POSITIVE,"${ROWS[5]!.replace(/"/g, '""')}"`,
      `8,BAD_DATE,"${ROWS[7]}"`,
    ]);

    // The invoice is the member's completed order, at the shop's time, marked as history.
    const orders = (await t.request({ method: 'GET', url: `/v1/orders?memberId=${known}` })).json().items;
    expect(orders).toHaveLength(1);
    const order = (await t.request({ method: 'GET', url: `/v1/orders/${orders[0].id}` })).json();
    expect(order).toMatchObject({
      channel: 'online',
      externalId: '536365',
      status: 'completed',
      totalAmount: 6 * 255 + 6 * 339,
      paidAmount: 6 * 255 + 6 * 339,
      createdAt: '2010-12-01T08:26:00.000Z',
      fulfillments: [],
    });
    expect(order.timeline.map((e: { code: string }) => e.code)).toEqual(['order.imported']);
    // Items the catalog lacked exist now; history moved no stock and earned no points.
    const sku = (await t.request({ method: 'GET', url: '/v1/skus/85123A' })).json();
    expect(sku).toMatchObject({ name: 'WHITE HANGING HEART T-LIGHT HOLDER', price: 255 });
    // Their category has a name in both languages for HQ to sort them from.
    const dictionary = (await t.request({ method: 'GET', url: '/v1/catalog/dictionary' })).json();
    expect(dictionary.categories).toContainEqual(
      expect.objectContaining({
        code: 'uncategorised',
        names: { 'zh-CN': '未分类', 'en-US': 'Uncategorised' },
      }),
    );
    const stock = (await t.request({ method: 'GET', url: '/v1/inventory/85123A' })).json();
    expect(stock.levels ?? []).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.request({ method: 'GET', url: `/v1/members/${known}/points` })).json()).toMatchObject({
      available: 0,
      pending: 0,
    });
    const events = await t.runtime.database.db
      .selectFrom('outbox_events')
      .select('type')
      .where('type', 'in', ['order.imported', 'order.completed'])
      .execute();
    expect(events.map((e) => e.type).sort()).toEqual(['order.imported', 'order.imported']);
  });

  it('creates nothing new from the same file again (plain CSV this time)', async () => {
    const before = await t.runtime.database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const res = await upload(FILE, 'format=online_retail&timezone=Europe/London', 'text/csv');
    expect(res.statusCode, res.body).toBe(202);
    expect(await finished(res.json().id)).toMatchObject({
      rowsRead: 8,
      rowsImported: 0,
      ordersCreated: 0,
      returnsCreated: 0,
      membersCreated: 0,
      productsCreated: 0,
      rowsRejected: 3,
    });
    const after = await t.runtime.database.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('runs chunk by chunk: a chunk that fails leaves nothing and runs again; a done chunk never runs twice', async () => {
    const invoices = Array.from({ length: 6 }, (_, i) =>
      [
        `600${i},SKU-R${i},ITEM ${i},${i + 1},2011-06-0${i + 1} 10:00:00,1.50,${90_000 + i}.0,United Kingdom`,
        `600${i},SKU-S,SHARED ITEM,1,2011-06-0${i + 1} 10:00:00,2.00,${90_000 + i}.0,United Kingdom`,
      ].join('\n'),
    );
    const spooled = await spoolImport(t.runtime.database, {
      options: { format: 'online_retail', timezone: 'UTC', channel: 'online' },
      fileName: 'resume.csv',
      source: Readable.from([Buffer.from(`${HEADER}\n${invoices.join('\n')}\n`)]),
      createdBy: 'test',
      chunkRows: 3,
    });
    // Cut at invoice boundaries: never an invoice across two chunks.
    expect(spooled).toMatchObject({ rows: 12, chunks: 3 });
    const deps = { pii: piiFor(t.runtime.config.secret), timeZone: 'Asia/Shanghai' };
    const db = t.runtime.database;
    await db.transaction((trx) => runImportChunk(trx, deps, spooled.importId, 0));
    await expect(
      db.transaction(async (trx) => {
        await runImportChunk(trx, deps, spooled.importId, 1);
        throw new Error('the node died before the commit');
      }),
    ).rejects.toThrow('the node died');
    expect((await db.transaction((trx) => runImportChunk(trx, deps, spooled.importId, 0))).ran).toBe(false);
    for (const seq of [1, 2]) await db.transaction((trx) => runImportChunk(trx, deps, spooled.importId, seq));
    const report = (await t.request({ method: 'GET', url: `/v1/imports/${spooled.importId}` })).json();
    expect(report).toMatchObject({
      status: 'completed',
      rowsRead: 12,
      rowsImported: 12,
      ordersCreated: 6,
      membersCreated: 6,
      productsCreated: 7,
    });
  });

  it('refuses a file that is not the format, a zone that does not exist, and store staff', async () => {
    const badHeader = await upload('a,b,c\n1,2,3\n', 'format=online_retail', 'text/csv');
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json().code).toBe('IMPORT.BAD_HEADER');
    const badZone = await upload(FILE, 'format=online_retail&timezone=Mars/Olympus', 'text/csv');
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json()).toMatchObject({
      code: 'IMPORT.INVALID_TIMEZONE',
      params: { timezone: 'Mars/Olympus' },
    });
    const badFormat = await upload(FILE, 'format=excel', 'text/csv');
    expect(badFormat.statusCode).toBe(400);
    const guide = await t.request({
      method: 'POST',
      url: '/v1/imports/orders?format=online_retail',
      headers: { 'content-type': 'text/csv' },
      body: FILE,
      as: guideOf('SH01'),
    });
    expect(guide.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/v1/imports/imp_nope' })).statusCode).toBe(404);
  });

  it('runs from the command line with a report, in plain lines when not on a terminal', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'omniloop-import-'));
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const file = join(folder, 'history.csv.gz');
    writeFileSync(
      file,
      gzipSync(`${HEADER}\n700001,SKU-CLI,CLI ITEM,2,2011-01-02 10:00:00,9.99,12345.0,United Kingdom\n`),
    );
    const out = new PassThrough();
    let said = '';
    out.on('data', (d: Buffer) => {
      said += d.toString();
    });
    const report = await importOrdersCommand(
      t.runtime.database,
      t.runtime.config,
      file,
      { timezone: 'Europe/London' },
      out as unknown as NodeJS.WriteStream,
    );
    expect(report).toMatchObject({ status: 'completed', orders_created: 1, members_created: 1 });
    expect(said).toContain('imported 1/1 rows');
    expect(said).toContain('Done in');
    await expect(
      importOrdersCommand(
        t.runtime.database,
        t.runtime.config,
        file,
        { format: 'xlsx' },
        out as unknown as NodeJS.WriteStream,
      ),
    ).rejects.toThrow('--format');
  });
});
