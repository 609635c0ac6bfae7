import { nowIso, type Queryable, type Trx } from '../platform/index.js';
import type { ActivitySettings } from './activity.contract.js';
import { DAY_MS, TRACKED_TYPES } from './activity.rules.js';

// The retention of tracked app events, and its purge. Facts the platform records (orders, returns, trials,
// coupons) are the brand's history and stay; only what channel apps tracked is purged.

export const PURGE_JOB = 'audience.activity.purge';
/** Rows deleted per transaction: a purge never holds the writer long. */
export const PURGE_CHUNK = 5000;
const PURGE_EVERY_MS = 3_600_000;
const DEFAULT_RETENTION_DAYS = 180;

export async function retentionDaysOf(db: Queryable): Promise<number> {
  const row = await db
    .selectFrom('activity_settings')
    .select('retention_days')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(row?.retention_days ?? DEFAULT_RETENTION_DAYS);
}

export async function activitySettings(db: Queryable): Promise<ActivitySettings> {
  return { retentionDays: await retentionDaysOf(db) };
}

export async function changeActivitySettings(
  trx: Trx,
  settings: ActivitySettings,
  actor: string,
): Promise<ActivitySettings> {
  await trx
    .updateTable('activity_settings')
    .set({ retention_days: settings.retentionDays, updated_at: nowIso(), updated_by: actor })
    .where('id', '=', 1)
    .execute();
  return activitySettings(trx);
}

/**
 * Deletes up to PURGE_CHUNK tracked events older than the retention (oldest first, by seq) and says how many; the
 * job runs again at once while a chunk came back full, else in an hour.
 */
export async function purgeChunk(trx: Trx, now = Date.now()): Promise<number> {
  const days = await retentionDaysOf(trx);
  const cutoff = new Date(now - days * DAY_MS).toISOString();
  const doomed = trx
    .selectFrom('member_activity')
    .select('seq')
    .where('occurred_at', '<', cutoff)
    .where('type', 'in', [...TRACKED_TYPES])
    .orderBy('seq')
    .limit(PURGE_CHUNK);
  const result = await trx.deleteFrom('member_activity').where('seq', 'in', doomed).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function purgeJob(trx: Trx): Promise<{ runAgainAt: string }> {
  const deleted = await purgeChunk(trx);
  const wait = deleted === PURGE_CHUNK ? 0 : PURGE_EVERY_MS;
  return { runAgainAt: new Date(Date.now() + wait).toISOString() };
}
