import { sql } from 'kysely';
import type { AppModule } from '../platform/index.js';
import { memberViewSection } from '../platform/index.js';
import { MemberRfm } from './rfm.contract.js';
import { registerRfmRoutes } from './rfm.routes.js';
import { memberRfm } from './rfm.service.js';
import { RFM_MONTHLY_JOB, runMonthly } from './rfm-schedule.service.js';

/**
 * The audience context's RFM: runs of both schemes of DOMAIN.md stored with every member's scores, movements
 * between two runs, the R × F grid, the member's latest scores, and the brand's monthly run as a durable job.
 */
export const rfmModule: AppModule = {
  name: 'audience.rfm',
  routes: registerRfmRoutes,
  jobs: (ctx) => ({ [RFM_MONTHLY_JOB]: (trx) => runMonthly(trx, ctx.database.engine, ctx.config.timeZone) }),
  // A run is a snapshot: a merged member's scores stay under the id they were scored as (moving them could
  // collide with the survivor's own score in the same run); the next run scores the survivor.
  // The latest run of the scheme (as the member's view shows), e.g. `quintile:champions`.
  memberListFilters: {
    rfm: (value) => {
      const [scheme, segment] = value.split(':');
      return sql<boolean>`members.id in (select s.member_id from rfm_scores s where s.segment = ${segment}
        and s.run_id = (select r.id from rfm_runs r where r.scheme = ${scheme}
          order by r.created_at desc, r.id desc limit 1))`;
    },
  },
  memberViewSections: {
    rfm: memberViewSection(MemberRfm, (db, memberId) => memberRfm(db, memberId)),
  },
};
