import { hostname } from 'node:os';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import { OutageBackoff } from '../db/faults.js';
import type { Database, DB, Trx } from '../db/index.js';
import { runPrepared } from '../db/index.js';
import { newId } from '../ids.js';
import { nowIso } from '../time.js';
import { type PublishedEvent, toPublishedEvent } from './outbox.js';

// Both run after every commit: prepared once rather than built each time.
async function hasUnpublished(db: Kysely<DB>): Promise<boolean> {
  const { rows } = await runPrepared(db, 'events.hasUnpublished', [1], () =>
    db.selectFrom('outbox_events').select('seq').where('position', 'is', null).limit(1),
  );
  return rows.length > 0;
}

/** What a consumer needs to know to tell whether it wants an event. */
interface EventHeader {
  position: number;
  topic: string;
  type: string;
}

async function headersAfter(db: Kysely<DB>, position: number, limit: number): Promise<EventHeader[]> {
  const { rows } = await runPrepared(db, 'events.headersAfter', [position, limit], () =>
    db
      .selectFrom('outbox_events')
      .select(['position', 'topic', 'type'])
      .where('position', '>', position)
      .orderBy('position')
      .limit(limit),
  );
  return rows.map((row) => ({ position: Number(row.position), topic: row.topic, type: row.type }));
}

/**
 * Gives the oldest unpublished events visible to `trx` their positions. Positions follow seq within the batch and
 * start above everything published before; a seq that is not visible yet (its transaction still open) is skipped
 * now and placed above this batch later. Positions may therefore have gaps; they never go backwards. Callers make
 * sure only one transaction at a time runs this (an advisory lock on PostgreSQL; SQLite has one writer).
 */
export async function assignPositions(trx: Transaction<DB>): Promise<number> {
  // The oldest unpublished rows visible now (the partial index keeps this cheap however long the outbox).
  const range = await sql<{ low: number | null; high: number | null }>`
    select min(seq) as low, max(seq) as high
    from (select seq from outbox_events where position is null order by seq limit ${PUBLISH_BATCH}) as batch`.execute(
    trx,
  );
  const { low, high } = range.rows[0] ?? { low: null, high: null };
  if (low === null || high === null) return 0;
  const top = await sql<{
    base: number;
  }>`select coalesce(max(position), 0) as base from outbox_events`.execute(trx);
  const result = await sql`
    update outbox_events set position = ${Number(top.rows[0]?.base ?? 0) - Number(low) + 1} + seq
    where position is null and seq >= ${low} and seq <= ${high}`.execute(trx);
  return Number(result.numAffectedRows ?? 0n);
}

/** A reaction inside OmniLoop (a projection, loyalty, automation). */
export interface EventConsumer {
  name: string;
  /** Topics it wants (`inventory`, `order` …); all when absent. */
  topics?: string[];
  /** Event types it wants, within those topics; all when absent. */
  types?: string[];
  /**
   * Runs in the same transaction that advances the consumer's checkpoint, so its writes happen exactly once
   * per event even though delivery is at least once.
   */
  handle(trx: Trx, event: PublishedEvent): Promise<void>;
}

/** A bridge to a system outside the database (NATS): at least once, in order; the far side de-duplicates by event id. */
export interface EventForwarder {
  name: string;
  forward(events: PublishedEvent[]): Promise<void>;
}

export interface ReadOptions {
  topics?: readonly string[] | undefined;
  location?: string | undefined;
  limit?: number;
}

const PUBLISH_BATCH = 1000;
const CONSUMER_BATCH = 200;
// Any 64-bit constant: only one transaction at a time may hand out positions on PostgreSQL.
const PUBLISH_LOCK_KEY = 7_310_001;
/** How long a forwarder's lease lasts unless renewed: a dead node's forwarding resumes elsewhere after this. */
export const FORWARDER_LEASE_MS = 5_000;

/**
 * Moves committed outbox rows to the outside world. Each event first gets its `position` in the one global
 * order: positions are handed out by one transaction at a time, in the order rows become visible, so a reader
 * that has seen position N will never later see a position below N (on PostgreSQL a plain sequence would not
 * give this: a transaction that took a lower number may commit later). Then the events go to live listeners on this node
 * (SSE), to durable consumers (checkpointed in the database) and to forwarders (NATS).
 */
export class EventDispatcher {
  private readonly listeners = new Set<(event: PublishedEvent) => void>();
  private readonly consumers: EventConsumer[] = [];
  private readonly forwarders: EventForwarder[] = [];
  private readonly retryAt = new Map<string, number>();
  /** Where each consumer's checkpoint was last seen: a consumer already past the live position has nothing to do. */
  private readonly checkpointAt = new Map<string, number>();
  /** The forwarders this node holds, and until when (renewed when a third of the lease is left). */
  private readonly leases = new Map<string, number>();
  private readonly nodeId = `${hostname()}:${process.pid}:${newId('n')}`;
  private liveCursor = 0;
  /**
   * The events the last live read saw, those after `after`: consumers look for wanted events here instead of each
   * scanning the outbox again (several consumers, one read).
   */
  private recent: { after: number; events: EventHeader[] } = { after: Number.POSITIVE_INFINITY, events: [] };
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private started = false;
  private kickScheduled = false;
  private lastPublishLook = 0;
  private readonly outage: OutageBackoff;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    private readonly pollMs = 100,
  ) {
    this.outage = new OutageBackoff(log, 'event dispatcher');
  }

  /** Live, in-process delivery of every event published after `start()` (used by the SSE hub). */
  subscribe(listener: (event: PublishedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addConsumer(consumer: EventConsumer): void {
    this.consumers.push(consumer);
  }

  addForwarder(forwarder: EventForwarder): void {
    this.forwarders.push(forwarder);
  }

  /** The position of the last event handed to live listeners. */
  get position(): number {
    return this.liveCursor;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.liveCursor = await this.maxPosition();
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.pumping;
    // Hand the forwarders over at once instead of letting their leases run out.
    if (this.leases.size > 0) {
      await this.database.db
        .updateTable('event_consumers')
        .set({ held_by: null, held_until: null })
        .where('name', 'in', [...this.leases.keys()])
        .where('held_by', '=', this.nodeId)
        .execute()
        .catch((error: unknown) => this.log.warn({ err: error }, 'could not release forwarder leases'));
      this.leases.clear();
    }
  }

  /** Asks for a publish round soon (after a commit); many kicks in one tick make one round. */
  kick(): void {
    if (!this.started || this.kickScheduled) return;
    this.kickScheduled = true;
    setImmediate(() => {
      this.kickScheduled = false;
      void this.pump();
    });
  }

  /** Runs publish and delivery until nothing is left; resolves when this round is done. */
  pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    if (!this.outage.ready()) return Promise.resolve();
    this.pumping = (async () => {
      try {
        do {
          this.again = false;
          await this.publish();
          await this.deliverLive();
          await this.runConsumers();
        } while (this.again && this.started);
        this.outage.succeeded();
      } catch (error) {
        if (!this.outage.failed(error))
          this.log.error({ err: error }, 'event dispatch failed; retrying on the next round');
      } finally {
        this.pumping = undefined;
      }
    })();
    return this.pumping;
  }

  /** Events after `position` in order, for replay (SSE `Last-Event-ID`) and catch-up. */
  async readAfter(position: number, options: ReadOptions = {}): Promise<PublishedEvent[]> {
    let query = this.database.db
      .selectFrom('outbox_events')
      .selectAll()
      .where('position', '>', position)
      .orderBy('position')
      .limit(options.limit ?? 500);
    if (options.topics && options.topics.length > 0) query = query.where('topic', 'in', [...options.topics]);
    if (options.location !== undefined) query = query.where('location', '=', options.location);
    return (await query.execute()).map(toPublishedEvent);
  }

  async maxPosition(): Promise<number> {
    const row = await this.database.db
      .selectFrom('outbox_events')
      .select((eb) => eb.fn.max('position').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  private async publish(): Promise<void> {
    // When commits place the events they write (SQLite's group commit), after them (the kicks) there is nothing
    // to place. Only an event written some other way could wait, and looking once per poll interval finds it.
    if (this.database.placesEventsOnCommit) {
      const now = Date.now();
      if (now - this.lastPublishLook < this.pollMs) return;
      this.lastPublishLook = now;
    }
    for (;;) {
      // Nothing waiting (the usual case on SQLite, where commits place their own events): no write transaction.
      if (!(await hasUnpublished(this.database.db))) return;
      const assigned = await this.database.db.transaction().execute(async (trx) => {
        if (this.database.engine === 'postgres')
          await sql`select pg_advisory_xact_lock(${PUBLISH_LOCK_KEY})`.execute(trx);
        return assignPositions(trx);
      });
      if (assigned < PUBLISH_BATCH) return;
    }
  }

  private async deliverLive(): Promise<void> {
    for (;;) {
      const after = this.liveCursor;
      let events: EventHeader[];
      if (this.listeners.size > 0) {
        const published = await this.readAfter(after, { limit: 1000 });
        for (const event of published) {
          this.liveCursor = event.position;
          for (const listener of this.listeners) {
            try {
              listener(event);
            } catch (error) {
              this.log.error({ err: error, event: event.id }, 'live event listener failed');
            }
          }
        }
        events = published;
      } else {
        // Nobody listens live: the headers are enough to move on and to tell consumers what is new.
        events = await headersAfter(this.database.db, after, 1000);
        if (events.length > 0) this.liveCursor = events[events.length - 1]!.position;
      }
      this.recent = { after, events };
      if (events.length < 1000) return;
    }
  }

  private async runConsumers(): Promise<void> {
    for (const consumer of this.consumers) {
      if (!this.due(consumer.name)) continue;
      try {
        while (await this.runConsumerBatch(consumer)) {}
        this.retryAt.delete(consumer.name);
      } catch (error) {
        this.backOff(consumer.name, error);
      }
    }
    for (const forwarder of this.forwarders) {
      if (!this.due(forwarder.name)) continue;
      try {
        while (await this.runForwarderBatch(forwarder)) {}
        this.retryAt.delete(forwarder.name);
      } catch (error) {
        this.backOff(forwarder.name, error);
      }
    }
  }

  private due(name: string): boolean {
    return (this.retryAt.get(name) ?? 0) <= Date.now();
  }

  private backOff(name: string, error: unknown): void {
    const delay = Math.min(30_000, this.retryAt.has(name) ? 2_000 : 500);
    this.retryAt.set(name, Date.now() + delay);
    this.log.error({ err: error, consumer: name }, 'event consumer failed; it will retry');
  }

  private async ensureCheckpoint(name: string): Promise<void> {
    if (this.checkpointAt.has(name)) return;
    await this.database.db
      .insertInto('event_consumers')
      .values({ name, position: 0, updated_at: nowIso() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.database.db
      .selectFrom('event_consumers')
      .select('position')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    this.checkpointAt.set(name, Number(row.position));
  }

  /** One batch of a durable consumer; returns whether a full batch was handled (more may wait). */
  private async runConsumerBatch(consumer: EventConsumer): Promise<boolean> {
    await this.ensureCheckpoint(consumer.name);
    const from = this.checkpointAt.get(consumer.name) ?? 0;
    if (from >= this.liveCursor) return false;
    const wanted = (event: { topic: string; type: string }) =>
      (consumer.topics === undefined || consumer.topics.includes(event.topic)) &&
      (consumer.types === undefined || consumer.types.includes(event.type));
    // A read-only look first: most events are of no interest to a given consumer, and passing over them needs no
    // write (the stored checkpoint may lag behind; after a restart those events are only looked at again).
    const ahead =
      from >= this.recent.after
        ? this.recent.events.filter((event) => event.position > from)
        : await headersAfter(this.database.db, from, 1000);
    const wantedAhead = ahead.filter(wanted);
    if (wantedAhead.length === 0) {
      if (ahead.length > 0) this.checkpointAt.set(consumer.name, Number(ahead[ahead.length - 1]!.position));
      return ahead.length === 1000;
    }
    // This round handles the wanted events among those headers (at most a batch) and moves the checkpoint past
    // everything up to the last of them; only the wanted rows are read in full.
    const full = wantedAhead.length >= CONSUMER_BATCH;
    const upto = full ? wantedAhead[CONSUMER_BATCH - 1]!.position : ahead[ahead.length - 1]!.position;
    const handled = await this.database.transaction(async (trx) => {
      // On PostgreSQL another node may be running this consumer: skip instead of waiting.
      let checkpoint = trx.selectFrom('event_consumers').select('position').where('name', '=', consumer.name);
      if (this.database.engine === 'postgres') checkpoint = checkpoint.forUpdate().skipLocked();
      const row = await checkpoint.executeTakeFirst();
      if (!row) return 0 as const;
      // Another node has already handled these.
      if (Number(row.position) >= upto) return { last: Number(row.position) };
      let query = trx
        .selectFrom('outbox_events')
        .selectAll()
        .where('position', '>', Number(row.position))
        .where('position', '<=', upto)
        .orderBy('position');
      if (consumer.topics !== undefined) query = query.where('topic', 'in', consumer.topics);
      if (consumer.types !== undefined) query = query.where('type', 'in', consumer.types);
      for (const event of (await query.execute()).map(toPublishedEvent)) {
        if (wanted(event)) await consumer.handle(trx, event);
      }
      await trx
        .updateTable('event_consumers')
        .set({ position: upto, updated_at: nowIso() })
        .where('name', '=', consumer.name)
        .execute();
      return { last: upto };
    });
    if (handled === 0) return false;
    this.checkpointAt.set(consumer.name, handled.last);
    return full || ahead.length === 1000;
  }

  /**
   * A forwarder runs on one node at a time, so that events go out once and in order: each round takes or renews
   * its lease, and a node that died lets another take it over once FORWARDER_LEASE_MS has passed.
   */
  private async runForwarderBatch(forwarder: EventForwarder): Promise<boolean> {
    await this.ensureCheckpoint(forwarder.name);
    const now = Date.now();
    const name = forwarder.name;
    // Most rounds (every poll) only read; the lease is written again when a third of it is left.
    const fresh = (this.leases.get(name) ?? 0) - now > FORWARDER_LEASE_MS / 3;
    const row = fresh
      ? await this.database.db
          .selectFrom('event_consumers')
          .select('position')
          .where('name', '=', name)
          .where('held_by', '=', this.nodeId)
          .executeTakeFirst()
      : await this.database.db
          .updateTable('event_consumers')
          .set({ held_by: this.nodeId, held_until: now + FORWARDER_LEASE_MS })
          .where('name', '=', name)
          .where((eb) =>
            eb.or([eb('held_by', 'is', null), eb('held_by', '=', this.nodeId), eb('held_until', '<', now)]),
          )
          .returning('position')
          .executeTakeFirst();
    if (!row) {
      this.leases.delete(name);
      return false;
    }
    if (!fresh) this.leases.set(name, now + FORWARDER_LEASE_MS);
    const from = Number(row.position);
    const events = await this.readAfter(from, { limit: CONSUMER_BATCH });
    if (events.length === 0) return false;
    // The call goes out before the checkpoint moves (at least once); no transaction is held open meanwhile.
    await forwarder.forward(events);
    await this.database.db
      .updateTable('event_consumers')
      .set({ position: events[events.length - 1]!.position, updated_at: nowIso() })
      .where('name', '=', forwarder.name)
      .where('held_by', '=', this.nodeId)
      .where('position', '=', from)
      .execute();
    return events.length === CONSUMER_BATCH;
  }
}
