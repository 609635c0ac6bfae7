import type { Selectable } from 'kysely';
import { insertRows, type Trx } from '../db/index.js';
import { newId } from '../ids.js';
import type { OutboxEventsTable } from '../platform.schema.js';
import { nowIso } from '../time.js';

/** An event as a context writes it: `type` is `<context>.<what happened>`, e.g. `inventory.level_changed`. */
export interface NewEvent {
  type: string;
  /** What the event is about (`inventory:SKU-1:SH01`); events of one stream are delivered in order. */
  stream: string;
  /** The store or warehouse it concerns, if any: store-scoped staff only see their own store's events. */
  location?: string | null;
  payload: object;
}

/** An event once the dispatcher has given it its place in the global order. */
export interface PublishedEvent {
  id: string;
  position: number;
  type: string;
  topic: string;
  stream: string;
  location: string | null;
  payload: Record<string, unknown>;
  occurredAt: string;
}

/**
 * Appends events to the outbox inside the caller's transaction, so an event exists exactly when the change it
 * reports was committed. Write the rows first and append after: a later transaction on the same rows then
 * waits for this one, so its events also land later in the outbox (order per stream).
 *
 * A transaction that is the database's one writer (a batch of SQLite's group commit, `trx.writer`) writes each
 * event with its position, the next in the global order; elsewhere events are written without one and the
 * dispatcher places them (`assignPositions`).
 */
export async function appendEvents(trx: Trx, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const occurredAt = nowIso();
  const writer = trx.writer;
  await insertRows(
    trx,
    'outbox_events',
    events.map((e) => ({
      event_id: newId('evt'),
      type: e.type,
      topic: topicOf(e.type),
      stream: e.stream,
      location: e.location ?? null,
      payload: JSON.stringify(e.payload),
      occurred_at: occurredAt,
      position: writer ? writer.nextPosition() : null,
    })),
  );
}

export function appendEvent(trx: Trx, event: NewEvent): Promise<void> {
  return appendEvents(trx, [event]);
}

export function topicOf(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}

export function toPublishedEvent(row: Selectable<OutboxEventsTable>): PublishedEvent {
  return {
    id: row.event_id,
    position: Number(row.position),
    type: row.type,
    topic: row.topic,
    stream: row.stream,
    location: row.location,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    occurredAt: row.occurred_at,
  };
}
