import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { ReservationBatcher } from '../src/inventory/index.js';
import { countLevel } from '../src/inventory/levels.service.js';
import { TokenSigner } from '../src/platform/auth/tokens.js';
import { type Database, migrateToLatest, openDatabase } from '../src/platform/db/index.js';
import { ulid } from '../src/platform/ids.js';
import { nowIso } from '../src/platform/time.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { connectSse, type SseClient } from '../test/helpers/sse.js';
import { BENCH_SECRET, type BenchContext, load, percentile, startNode, startServerProcess } from './lib.js';

/**
 * The inventory hub against the hardware's limit (issue: "a benchmark near the hardware's limit"). Every figure
 * is measured in this run, on this machine; `oversold_units` adds up, over every run, the units granted beyond
 * what was available, and must be 0.
 */
export async function inventorySuite(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 2 : 6;
  let oversold = 0;

  ctx.record('sqlite.raw_limit_per_s', rawSqliteLimit(seconds));

  oversold += await inProcess(ctx, seconds);
  oversold += await overHttp(ctx, 'sqlite', seconds);
  await pgNaive(ctx, seconds);
  oversold += await overHttp(ctx, 'postgres', seconds);
  await streamLatency(ctx, seconds);

  ctx.record('oversold_units', oversold);
}

/** A plain better-sqlite3 loop of the same conditional update + insert, one transaction each. */
function rawSqliteLimit(seconds: number): number {
  const file = join(tmpdir(), `omniloop-raw-${ulid()}.db`);
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table stock_levels (sku text, location text, on_hand integer, reserved integer, safety_stock integer, primary key (sku, location));
           create table reservations (id text primary key, sku text, location text, quantity integer, created_at text);
           insert into stock_levels values ('HOT', 'WH', 100000000, 0, 0);`);
  const update = db.prepare(
    `update stock_levels set reserved = reserved + 1 where sku = ? and location = ? and on_hand - reserved - safety_stock >= 1`,
  );
  const insert = db.prepare('insert into reservations values (?, ?, ?, ?, ?)');
  const reserve = db.transaction((id: string) => {
    if (update.run('HOT', 'WH').changes === 1) insert.run(id, 'HOT', 'WH', 1, new Date().toISOString());
  });
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) reserve(`r${n++}`);
  }
  db.close();
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  return n / seconds;
}

async function putLevels(
  database: Database,
  levels: { sku: string; location: string; onHand: number }[],
): Promise<void> {
  const now = nowIso();
  for (let i = 0; i < levels.length; i += 1000) {
    await database.db
      .insertInto('stock_levels')
      .values(
        levels.slice(i, i + 1000).map((l) => ({
          sku: l.sku,
          location: l.location,
          on_hand: l.onHand,
          reserved: 0,
          safety_stock: 0,
          in_transit: 0,
          updated_at: now,
        })),
      )
      .execute();
  }
}

async function reservedOf(
  database: Database,
  sku: string,
  location: string,
): Promise<{ onHand: number; reserved: number }> {
  const row = await database.db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .where('location', '=', location)
    .executeTakeFirstOrThrow();
  return { onHand: Number(row.on_hand), reserved: Number(row.reserved) };
}

/** The reservation service in-process on one hot SKU: 64 callers, group commit. */
async function inProcess(ctx: BenchContext, seconds: number): Promise<number> {
  const target = await createTestDatabase('sqlite');
  const database = openDatabase(target.target);
  try {
    await migrateToLatest(database.db);
    await putLevels(database, [
      { sku: 'HOT', location: 'WH', onHand: 100_000_000 },
      { sku: 'DRAIN', location: 'WH', onHand: 2000 },
    ]);
    const batcher = new ReservationBatcher(database);
    const drive = async (sku: string, ms: number) => {
      let granted = 0;
      let refused = 0;
      const until = performance.now() + ms;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (performance.now() < until) {
            try {
              await batcher.reserve({ lines: [{ sku, location: 'WH', quantity: 1 }] });
              granted++;
            } catch {
              refused++;
            }
          }
        }),
      );
      return { granted, refused };
    };
    const hot = await drive('HOT', seconds * 1000);
    ctx.record('sqlite.reserve_hot_inprocess_per_s', hot.granted / seconds);
    const drain = await drive('DRAIN', 1000);
    const level = await reservedOf(database, 'DRAIN', 'WH');
    // Units granted beyond the 2,000 available: by the callers' count and by the database's.
    return Math.max(0, drain.granted - 2000) + Math.max(0, level.reserved - 2000);
  } finally {
    await database.close();
    await target.drop();
  }
}

const SPREAD_SKUS = 10_000;

/** The reservation route over HTTP (64 connections) on a server process, hot and spread, plus a drain check. */
async function overHttp(ctx: BenchContext, engine: 'sqlite' | 'postgres', seconds: number): Promise<number> {
  const target = await createTestDatabase(engine);
  const database = openDatabase(target.target);
  const prefix = engine === 'sqlite' ? 'sqlite' : 'pg';
  try {
    await migrateToLatest(database.db);
    await putLevels(database, [
      { sku: 'HOT', location: 'WH', onHand: 100_000_000 },
      { sku: 'DRAIN', location: 'WH', onHand: 3000 },
      ...Array.from({ length: SPREAD_SKUS }, (_, i) => ({
        sku: `SPREAD-${String(i).padStart(5, '0')}`,
        location: 'WH',
        onHand: 1_000_000,
      })),
    ]);
    const server = await startServerProcess(target.target);
    try {
      const token = new TokenSigner(BENCH_SECRET).sign(
        { role: 'channel', subject: 'bench', channel: 'online', storeCode: null },
        3600,
      ).token;
      const headers = { authorization: `Bearer ${token}` };
      if (engine === 'sqlite') {
        const ceiling = await load({ url: `${server.url}/livez`, connections: 64, seconds });
        ctx.record('http.ceiling_per_s', ceiling.perSecond);
      }
      const body = (sku: string) => JSON.stringify({ lines: [{ sku, location: 'WH', quantity: 1 }] });
      const hot = await load({
        url: `${server.url}/v1/reservations`,
        method: 'POST',
        connections: 64,
        seconds,
        headers,
        body: () => body('HOT'),
      });
      ctx.record(`${prefix}.reserve_hot_http_per_s`, (hot.statusCounts['201'] ?? 0) / seconds);
      let n = 0;
      const spread = await load({
        url: `${server.url}/v1/reservations`,
        method: 'POST',
        connections: 64,
        seconds,
        headers,
        // A deterministic walk over the 10,000 SKUs (multiplying by a prime coprime to 10,000 visits them all).
        body: () => body(`SPREAD-${String((n++ * 7919) % SPREAD_SKUS).padStart(5, '0')}`),
      });
      ctx.record(`${prefix}.reserve_spread_http_per_s`, (spread.statusCounts['201'] ?? 0) / seconds);
      const drain = await load({
        url: `${server.url}/v1/reservations`,
        method: 'POST',
        connections: 64,
        seconds: 2,
        headers,
        body: () => body('DRAIN'),
      });
      const granted = drain.statusCounts['201'] ?? 0;
      const level = await reservedOf(database, 'DRAIN', 'WH');
      const unexpected = Object.keys({
        ...hot.statusCounts,
        ...spread.statusCounts,
        ...drain.statusCounts,
      }).filter((s) => s !== '201' && s !== '409');
      if (unexpected.length > 0)
        console.warn(
          `${prefix}: unexpected statuses ${unexpected.join(', ')}`,
          hot.statusCounts,
          spread.statusCounts,
          drain.statusCounts,
        );
      // Units granted beyond the 3,000 available, by the responses and by the database (a response still in
      // flight when the load generator stopped is in the database but not counted by it).
      return Math.max(0, granted - 3000) + Math.max(0, level.reserved - 3000);
    } finally {
      await server.stop();
    }
  } finally {
    await database.close();
    await target.drop();
  }
}

/** What a naive implementation gets on PostgreSQL: one transaction per reservation, 32 connections, one hot row. */
async function pgNaive(ctx: BenchContext, seconds: number): Promise<void> {
  const target = await createTestDatabase('postgres');
  const database = openDatabase(target.target);
  const pool = new pg.Pool({
    connectionString: target.target.engine === 'postgres' ? target.target.url : '',
    max: 32,
  });
  // An idle client's error (its connection closed under it) must not end the run; the pool replaces it.
  pool.on('error', () => {});
  try {
    await migrateToLatest(database.db);
    await putLevels(database, [{ sku: 'HOT', location: 'WH', onHand: 100_000_000 }]);
    let granted = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await client.query('begin');
            const updated = await client.query(
              `update stock_levels set reserved = reserved + 1 where sku = 'HOT' and location = 'WH' and on_hand - reserved - safety_stock >= 1`,
            );
            if (updated.rowCount === 1) {
              await client.query(
                `insert into reservations (id, status, reference, expires_at, created_at) values ($1, 'active', null, $2, $2)`,
                [`naive-${ulid()}`, nowIso()],
              );
              granted++;
            }
            await client.query('commit');
          }
        } finally {
          client.release();
        }
      }),
    );
    ctx.record('pg.naive_hot_per_s', granted / seconds);
  } finally {
    await pool.end();
    await database.close();
    await target.drop();
  }
}

/** From commit to an SSE client receiving the change, at 1,000 changes per second. */
async function streamLatency(ctx: BenchContext, seconds: number): Promise<void> {
  const node = await startNode('sqlite');
  // Closed whatever happens: an open stream would keep the node from closing.
  let client: SseClient | undefined;
  try {
    const skus = Array.from({ length: 100 }, (_, i) => `LAT-${i}`);
    // Counted levels must be of a SKU and a location that exist.
    const admin = { authorization: `Bearer ${node.token()}`, 'content-type': 'application/json' };
    const created = await Promise.all([
      fetch(`${node.url}/v1/locations`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          code: 'WH',
          name: 'WH',
          kind: 'warehouse',
          city: '上海',
          lat: 31.15,
          lng: 121.12,
        }),
      }),
      fetch(`${node.url}/v1/products`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({
          code: 'LAT',
          name: 'Latency',
          category: 'lipstick',
          skus: skus.map((code) => ({ code, name: code, price: 100 })),
        }),
      }),
    ]);
    for (const res of created)
      if (res.status !== 201) throw new Error(`setup: ${res.status} ${await res.text()}`);
    await putLevels(
      node.runtime.database,
      skus.map((sku) => ({ sku, location: 'WH', onHand: 0 })),
    );
    const committedAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    client = await connectSse(`${node.url}/v1/stream?topics=inventory`, {
      authorization: `Bearer ${node.token()}`,
    });
    const seen = client.events;
    // connectSse records events synchronously as they are parsed; stamp them as they arrive.
    const original = seen.push.bind(seen);
    seen.push = (...items) => {
      const now = performance.now();
      for (const item of items) {
        const data = item.data as { sku: string; onHand: number };
        receivedAt.set(`${data.sku}:${data.onHand}`, now);
      }
      return original(...items);
    };

    const total = seconds * 1000;
    const start = performance.now();
    let issued = 0;
    while (issued < total) {
      const due = Math.min(total, Math.floor(performance.now() - start));
      const batch: Promise<void>[] = [];
      for (; issued < due; issued++) {
        const sku = skus[issued % skus.length]!;
        const onHand = issued + 1;
        batch.push(
          node.runtime.database
            .transaction((trx) => countLevel(trx, 'sqlite', { sku, location: 'WH', onHand, actor: 'bench' }))
            .then(() => {
              committedAt.set(`${sku}:${onHand}`, performance.now());
            }),
        );
      }
      await Promise.all(batch);
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => setTimeout(r, 500));
    client.close();
    const latencies = [...committedAt]
      .map(([key, at]) => (receivedAt.get(key) ?? Number.POSITIVE_INFINITY) - at)
      .sort((a, b) => a - b);
    const missing = latencies.filter((l) => !Number.isFinite(l)).length;
    if (missing > 0) console.warn(`stream: ${missing} changes never arrived`);
    ctx.record('stream.changes_per_s', committedAt.size / seconds);
    ctx.record('stream.latency_p50_ms', Math.max(0, percentile(latencies, 50)));
    ctx.record('stream.latency_p99_ms', Math.max(0, percentile(latencies, 99)));
  } finally {
    client?.close();
    await node.close();
  }
}
