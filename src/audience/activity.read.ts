import type { Kysely } from 'kysely';
import { type DB, decodeCursor, encodeCursor, type Page } from '../platform/index.js';
import type { ActivityItem } from './activity.contract.js';

/** Who reads: store staff do not see the device id nor the app's own properties. */
export interface ActivityReader {
  masked: boolean;
}

/** A member's activity, newest first (by seq: the order it was recorded in), optionally of one type. */
export async function activityOf(
  db: Kysely<DB>,
  memberId: string,
  options: { type?: string | undefined; cursor?: string | undefined; limit: number },
  reader: ActivityReader,
): Promise<Page<ActivityItem>> {
  // An invalid cursor is the paging codec's 400.
  const before = decodeCursor(options.cursor, ['number'])?.[0];
  let query = db
    .selectFrom('member_activity')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('seq', 'desc')
    .limit(options.limit + 1);
  if (options.type !== undefined) query = query.where('type', '=', options.type);
  if (before !== undefined) query = query.where('seq', '<', before);
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      seq: Number(r.seq),
      type: r.type,
      channel: r.channel,
      sku: r.sku,
      category: r.category,
      store: r.store,
      ref: r.ref,
      amount: r.amount === null ? null : Number(r.amount),
      anonymousId: reader.masked ? null : r.anonymous_id,
      occurredAt: r.occurred_at,
      properties: reader.masked || r.properties === null ? null : JSON.parse(r.properties),
    })),
    nextCursor: rows.length > options.limit && last ? encodeCursor([Number(last.seq)]) : null,
  };
}
