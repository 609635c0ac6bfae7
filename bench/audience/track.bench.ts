import { type BenchContext, load, rawSqlite, startNode } from '../lib.js';

const BATCH = 50;
const CONNECTIONS = 64;
const MEMBERS = 2000;

/**
 * The audience benchmark's part on activity: POST /v1/track over HTTP in batches of 50 against the HTTP ceiling
 * (GET /health at the same concurrency, as the platform suite measures it). The target: events per second at
 * least 20 × the ceiling's requests per second — a request of 50 events costing about 2.5 trivial ones. Beside it,
 * the limit of the write itself (`track.raw_insert_events_per_s`): the same events written by a prepared statement
 * straight to SQLite, 10,000 a transaction, with the table's indexes — nothing parsed, checked or answered.
 */
export async function trackPart(ctx: BenchContext): Promise<void> {
  const seconds = ctx.quick ? 3 : 8;
  for (const engine of ['sqlite', 'postgres'] as const) {
    const node = await startNode(engine);
    try {
      const members = await seedMembers(node.runtime.database.db);
      const headers = { authorization: `Bearer ${node.token()}` };
      let ceiling = 0;
      if (engine === 'sqlite') {
        ceiling = (await load({ url: `${node.url}/health`, connections: CONNECTIONS, seconds })).perSecond;
        ctx.record('track.http_ceiling_req_per_s', ceiling, 'req/s');
      }
      let n = 0;
      const body = () => {
        const events = [];
        for (let i = 0; i < BATCH; i++) {
          n++;
          // Four in five by a known member, one in five by a device not yet joined.
          events.push(
            n % 5 === 0
              ? { type: 'page_viewed', anonymousId: `bench-device-${n % 997}`, channel: 'mini_program' }
              : {
                  type: n % 3 === 0 ? 'cart_added' : 'product_viewed',
                  memberId: members[n % members.length],
                  channel: 'mini_program',
                  sku: `SKU-${n % 500}`,
                  properties: { from: 'feed' },
                },
          );
        }
        return JSON.stringify({ events });
      };
      const result = await load({
        url: `${node.url}/v1/track`,
        method: 'POST',
        connections: CONNECTIONS,
        seconds,
        headers,
        body,
      });
      const accepted = result.statusCounts['202'] ?? 0;
      const others = Object.entries(result.statusCounts).filter(([status]) => status !== '202');
      if (others.length > 0)
        console.warn(`track (${engine}): answers other than 202`, Object.fromEntries(others));
      const eventsPerSecond = (accepted * BATCH) / seconds;
      ctx.record(`track.events_per_s.${engine}`, eventsPerSecond, 'events/s');
      ctx.record(`track.p99_ms.${engine}`, result.latencyP99Ms, 'ms');
      if (engine === 'sqlite') {
        ctx.record('track.vs_ceiling', eventsPerSecond / ceiling);
        const raw = await rawActivityLoop(members, ctx.quick ? 200_000 : 1_000_000);
        ctx.record('track.raw_insert_events_per_s', raw, 'events/s');
        ctx.record('track.raw_insert_vs_ceiling', raw / ceiling);
      }
    } finally {
      await node.close();
    }
  }
}

/** Members to track, written straight into the table (One ID is not what this part measures). */
async function seedMembers(db: Awaited<ReturnType<typeof startNode>>['runtime']['database']['db']) {
  const now = new Date().toISOString();
  const ids = Array.from({ length: MEMBERS }, (_, i) => `mem_bench_${String(i).padStart(5, '0')}`);
  for (let i = 0; i < ids.length; i += 500)
    await db
      .insertInto('members')
      .values(
        ids.slice(i, i + 500).map((id) => ({
          id,
          status: 'active' as const,
          merged_into: null,
          channel: 'mini_program',
          profile_ciphertext: null,
          name_index: null,
          traits: '{}',
          created_at: now,
          updated_at: now,
          erased_at: null,
        })),
      )
      .execute();
  return ids;
}

/** The limit of the write (see trackPart): the same kinds of events, inserted by one prepared statement. */
async function rawActivityLoop(members: readonly string[], events: number): Promise<number> {
  const { db, drop } = await rawSqlite();
  const insert = db.prepare(
    `insert into member_activity (member_id, anonymous_id, type, channel, sku, category, store, ref, amount,
       occurred_at, received_at, properties) values (?, ?, ?, 'mini_program', ?, null, null, null, null, ?, ?, ?)`,
  );
  const write = db.transaction((from: number, to: number) => {
    const at = new Date().toISOString();
    for (let n = from; n < to; n++) {
      if (n % 5 === 0) insert.run(null, `bench-device-${n % 997}`, 'page_viewed', null, at, at, null);
      else
        insert.run(
          members[n % members.length],
          null,
          n % 3 === 0 ? 'cart_added' : 'product_viewed',
          `SKU-${n % 500}`,
          at,
          at,
          '{"from":"feed"}',
        );
    }
  });
  const started = performance.now();
  for (let n = 0; n < events; n += 10_000) write(n, Math.min(events, n + 10_000));
  const perSecond = events / ((performance.now() - started) / 1000);
  await drop();
  return perSecond;
}
