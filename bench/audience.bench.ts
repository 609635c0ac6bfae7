import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { runImportChunk, spoolImport } from '../src/imports/index.js';
import { piiFor } from '../src/members/index.js';
import { migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { newId } from '../src/platform/ids.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { rfmOnImported, rfmPart } from './audience/rfm.bench.js';
import { segmentsPart } from './audience/segments.bench.js';
import { trackPart } from './audience/track.bench.js';
import { BENCH_SECRET, type BenchContext, rawSqlite } from './lib.js';

const DATA = new URL('../../shared/data/online-retail/online-retail.csv.gz', import.meta.url).pathname;

/**
 * The customer data platform. Import: the UCI Online Retail file (541,909 rows) through the whole importer — stored
 * in chunks, each chunk one transaction of members (One ID), items, orders, lines, returns and events — on SQLite
 * and PostgreSQL, against the limit: a plain loop that writes the same orders and lines with prepared statements,
 * one transaction per 10,000 rows.
 */
export async function audienceSuite(ctx: BenchContext): Promise<void> {
  // AUDIENCE_BENCH=track,rfm runs only those parts, in this process.
  const only = process.env.AUDIENCE_BENCH?.split(',').map((part) => part.trim());
  if (only === undefined) {
    // Each part in a process of its own, as a node would run it: a part's figures are not taken in the heap and
    // the page cache the million-row parts before it left (a full collection of their garbage in the middle of
    // the segment updates measured milliseconds in their tail).
    for (const part of PARTS) await inOwnProcess(ctx, part);
    return;
  }
  const wanted = (part: string) => only.includes(part);
  if (wanted('import')) await importPart(ctx);
  if (wanted('track')) await trackPart(ctx);
  if (wanted('rfm')) await rfmPart(ctx);
  if (wanted('segments')) await segmentsPart(ctx);
}

const PARTS = ['import', 'track', 'rfm', 'segments'] as const;

/** Runs one part as `AUDIENCE_BENCH=<part> npm run bench -- audience` would, and records its figures here. */
async function inOwnProcess(ctx: BenchContext, part: (typeof PARTS)[number]): Promise<void> {
  const args = [
    '--import',
    'tsx',
    join(import.meta.dirname, 'run.ts'),
    'audience',
    ...(ctx.quick ? ['--quick'] : []),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, AUDIENCE_BENCH: part },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`audience part ${part} exited with ${code}`);
  const written = JSON.parse(readFileSync(join(import.meta.dirname, 'out', 'audience.json'), 'utf8')) as {
    metrics: Record<string, number>;
  };
  for (const [name, value] of Object.entries(written.metrics)) ctx.record(name, value);
}

async function importPart(ctx: BenchContext): Promise<void> {
  if (!existsSync(DATA)) {
    console.warn(
      `audience: ${DATA} is absent (../shared/data beside the project); the import figures are skipped`,
    );
    return;
  }
  const raw = await rawInsertLoop();
  ctx.record('import.raw_insert_rows_per_s', raw, 'rows/s');
  for (const engine of ['sqlite', 'postgres'] as const) {
    const perSecond = await importOnce(ctx, engine);
    ctx.record(`import.online_retail_rows_per_s.${engine}`, perSecond, 'rows/s');
    if (engine === 'sqlite') ctx.record('import.online_retail_vs_raw.sqlite', perSecond / raw);
  }
}

/** The whole import of the file, as the CLI runs it: rows per second from the first byte read to the report. */
async function importOnce(ctx: BenchContext, engine: 'sqlite' | 'postgres'): Promise<number> {
  const testDb = await createTestDatabase(engine);
  const database = openDatabase(testDb.target);
  try {
    await migrateToLatest(database.db);
    const started = performance.now();
    const spooled = await spoolImport(database, {
      options: { format: 'online_retail', timezone: 'Europe/London', channel: 'online' },
      fileName: 'online-retail.csv.gz',
      source: createReadStream(DATA),
      createdBy: 'bench',
    });
    const deps = { pii: piiFor(BENCH_SECRET), timeZone: 'Asia/Shanghai' };
    for (let seq = 0; seq < spooled.chunks; seq++) {
      await database.transaction((trx) => runImportChunk(trx, deps, spooled.importId, seq));
    }
    const perSecond = spooled.rows / ((performance.now() - started) / 1000);
    // What runs on the imported history (an RFM run) is measured on the same database.
    await rfmOnImported(ctx, database, engine);
    return perSecond;
  } finally {
    await database.close();
    await testDb.drop();
  }
}

/**
 * The limit: the same file read and parsed the same way, its sales written as orders and lines by prepared
 * statements straight to SQLite, one transaction per 10,000 rows — no members, items, checks or events.
 */
async function rawInsertLoop(): Promise<number> {
  const { db, drop } = await rawSqlite();
  const insertOrder = db.prepare(
    `INSERT INTO orders (id, channel, external_id, request_hash, store_code, guide, member_id, status,
       fulfillment_type, fulfillment_store, address_city, address_lat, address_lng, address_private, total_amount,
       discount_amount, points_amount, points_redeemed, payable_amount, paid_amount, coupon_codes, plan, expires_at,
       local_day, created_at, updated_at, completed_at, cancelled_at, cancel_reason)
     VALUES (?, 'online', ?, '', NULL, NULL, NULL, 'completed', 'delivery', NULL, NULL, NULL, NULL, NULL, ?, 0, 0, 0,
       ?, ?, '[]', '{}', ?, ?, ?, ?, ?, NULL, NULL)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO order_lines (order_id, line_no, sku, name, category, quantity, unit_price, line_amount,
       discount_amount, points_amount, paid_amount, cancelled_quantity)
     VALUES (?, ?, ?, ?, '', ?, ?, ?, 0, 0, ?, 0)`,
  );
  const started = performance.now();
  let rows = 0;
  let pending: string[][] = [];
  const orderIds = new Map<string, { id: string; lines: number }>();
  const write = db.transaction((batch: string[][]) => {
    for (const r of batch) {
      const [invoice, sku, name, quantity, at, price] = r as [string, string, string, string, string, string];
      const q = Number(quantity);
      const p = Math.round(Number(price) * 100);
      if (invoice.startsWith('C') || q <= 0 || p <= 0) continue;
      let order = orderIds.get(invoice);
      if (!order) {
        order = { id: newId('ord'), lines: 0 };
        orderIds.set(invoice, order);
        insertOrder.run(order.id, invoice, q * p, q * p, q * p, at, at.slice(0, 10), at, at, at);
      }
      order.lines++;
      insertLine.run(order.id, order.lines, sku, name, q, p, q * p, q * p);
    }
  });
  const parser = createReadStream(DATA)
    .pipe(createGunzip())
    .pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    pending.push(record);
    rows++;
    if (pending.length === 10_000) {
      write(pending);
      pending = [];
    }
  }
  write(pending);
  const perSecond = rows / ((performance.now() - started) / 1000);
  await drop();
  return perSecond;
}
