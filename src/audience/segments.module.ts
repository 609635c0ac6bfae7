import { sql } from 'kysely';
import type { AppModule } from '../platform/index.js';
import { membersMovedBy, PROFILE_MOVE_TYPES } from './profile-moves.js';
import { registerSegmentRoutes } from './segments.routes.js';
import { refreshSegments } from './segments.service.js';

/** The hourly pass over the segments whose rules move with time. */
export const SEGMENTS_SWEEP_JOB = 'audience.segments.sweep';
const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * The audience context's segments: the rule language of API.md compiled to one SQL predicate; live membership kept
 * by a durable consumer of profile changes (traits, activity, tags), consent, tier, merges and RFM runs, with
 * `segment.entered` / `segment.exited`; an hourly pass for rules whose time window moves.
 */
export const segmentsModule: AppModule = {
  name: 'audience.segments',
  routes: registerSegmentRoutes,
  consumers: (ctx) => [
    {
      name: 'audience.segments',
      types: [...PROFILE_MOVE_TYPES],
      async handle(trx, event) {
        const members = membersMovedBy(event);
        await refreshSegments(trx, ctx.database.engine, members === 'all' ? {} : { memberIds: members });
      },
    },
  ],
  memberListFilters: {
    segment: (id) =>
      sql<boolean>`members.id in (select sm.member_id from segment_members sm where sm.segment_id = ${id})`,
  },
  jobs: (ctx) => ({
    [SEGMENTS_SWEEP_JOB]: async (trx) => {
      await refreshSegments(trx, ctx.database.engine, { onlyMoving: true });
      return { runAgainAt: new Date(Date.now() + SWEEP_EVERY_MS).toISOString() };
    },
  }),
};
