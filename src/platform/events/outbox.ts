import type { Selectable } from 'kysely';
import type { Trx } from '../db.js';
import { newId } from '../ids.js';
import type { OutboxEventsTable } from '../platform.schema.js';
import { insertRows } from '../prepared.js';
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
 */
export async function appendEvents(trx: Trx, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const occurredAt = nowIso();
  const place = positionsIn.get(trx);
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
      position: place ? place() : null,
    })),
  );
}

const positionsIn = new WeakMap<object, () => number>();

/**
 * Lets the events appended in this transaction take their positions as they are written. Only for a
 * transaction that is the database's one writer (SQLite's group commit): its events are the next ones in the
 * global order, and writing the position with the row spares the dispatcher updating every row after the commit.
 * Elsewhere events are written without a position and the dispatcher places them (`assignPositions`).
 */
export function placeEventsAsWritten(trx: object, next: () => number): () => void {
  positionsIn.set(trx, next);
  return () => positionsIn.delete(trx);
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
