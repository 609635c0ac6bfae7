import Type, { type Static } from 'typebox';
import { type Actor, actorName, type Engine, localDay, nowIso, type Trx } from '../platform/index.js';
import { RfmRunRequest } from './rfm.contract.js';
import { runRfm } from './rfm.service.js';

/** The recurring job that makes the month's run when the schedule says so. */
export const RFM_MONTHLY_JOB = 'rfm.monthly';
/** How often the job looks (a month's run waits at most this long past its day). */
const CHECK_EVERY_MS = 60 * 60_000;

export const RfmSchedule = Type.Object(
  {
    enabled: Type.Boolean(),
    dayOfMonth: Type.Integer({
      minimum: 1,
      maximum: 28,
      description: 'the brand’s day of the month it runs on',
    }),
    run: RfmRunRequest,
  },
  { additionalProperties: false },
);
export type RfmSchedule = Static<typeof RfmSchedule>;
export const RfmScheduleView = Type.Object({
  ...RfmSchedule.properties,
  lastMonth: Type.Union([Type.String(), Type.Null()], { description: 'YYYY-MM of the last scheduled run' }),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type RfmScheduleView = Static<typeof RfmScheduleView>;

/** Pure: whether the month's run is due on this local day. */
export function monthlyRunDue(
  schedule: { enabled: boolean; dayOfMonth: number; lastMonth: string | null },
  day: string,
): boolean {
  if (!schedule.enabled) return false;
  const month = day.slice(0, 7);
  return schedule.lastMonth !== month && Number(day.slice(8, 10)) >= schedule.dayOfMonth;
}

export async function readSchedule(trx: Trx): Promise<RfmScheduleView> {
  const row = await trx.selectFrom('rfm_schedule').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  return {
    enabled: row.enabled === 1,
    dayOfMonth: Number(row.day_of_month),
    run: JSON.parse(row.run) as RfmSchedule['run'],
    lastMonth: row.last_month,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export async function writeSchedule(trx: Trx, schedule: RfmSchedule, actor: Actor): Promise<RfmScheduleView> {
  await trx
    .updateTable('rfm_schedule')
    .set({
      enabled: schedule.enabled ? 1 : 0,
      day_of_month: schedule.dayOfMonth,
      run: JSON.stringify({ ...schedule.run, asOf: undefined }),
      updated_by: actorName(actor),
      updated_at: nowIso(),
    })
    .where('id', '=', 1)
    .execute();
  return readSchedule(trx);
}

/**
 * The recurring job: makes the month's run once the brand's day of the month has come, and records the month in
 * the same transaction — the job row is held by one node at a time, so a month runs once across nodes.
 */
export async function runMonthly(
  trx: Trx,
  engine: Engine,
  timeZone: string,
  now = new Date(),
): Promise<{ runAgainAt: string }> {
  const schedule = await readSchedule(trx);
  const day = localDay(now, timeZone);
  if (monthlyRunDue(schedule, day)) {
    await runRfm(trx, engine, schedule.run, 'schedule', now);
    await trx
      .updateTable('rfm_schedule')
      .set({ last_month: day.slice(0, 7) })
      .where('id', '=', 1)
      .execute();
  }
  return { runAgainAt: new Date(now.getTime() + CHECK_EVERY_MS).toISOString() };
}
