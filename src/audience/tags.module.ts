import { sql } from 'kysely';
import Type from 'typebox';
import { ExperienceRecorded } from '../experience/experience.events.js';
import { resolveMemberId } from '../members/index.js';
import { MemberMerged } from '../members/members.events.js';
import { OrderCompleted, OrderImported } from '../orders/orders.events.js';
import { type AppModule, memberViewSection, payloadOf, type Trx } from '../platform/index.js';
import { registerMemberTagRoutes } from './member-tags.routes.js';
import { membersMovedBy, PROFILE_MOVE_TYPES } from './profile-moves.js';
import { feedFromPurchase, feedFromTrial, moveTagsOnMerge, refreshRuleTags } from './tags.automatic.js';
import { MemberTag } from './tags.contract.js';
import { registerTagRoutes } from './tags.routes.js';
import { memberTags } from './tags.service.js';

/** The hourly pass over the rule tags whose rules move with time. */
export const TAGS_SWEEP_JOB = 'audience.tags.sweep';
const SWEEP_EVERY_MS = 60 * 60_000;

/** The member a fact names, after merges (a fact recorded before a merge tags the member who stays). */
async function current(trx: Trx, memberId: string | null): Promise<string | null> {
  return memberId === null ? null : resolveMemberId(trx, memberId);
}

/**
 * The audience context's tags: tag groups, manual tags with history, tags fed by trials and purchases (a durable
 * consumer of trials and orders), rule tags kept like segments (a durable consumer of profile changes and an
 * hourly pass for rules that move with time); a merge moves the merged member's tags to the one who stays.
 */
export const tagsModule: AppModule = {
  name: 'audience.tags',
  routes: (app, ctx) => {
    registerTagRoutes(app, ctx);
    registerMemberTagRoutes(app, ctx);
  },
  consumers: (ctx) => [
    {
      name: 'audience.rule_tags',
      types: [...PROFILE_MOVE_TYPES],
      async handle(trx, event) {
        const members = membersMovedBy(event, ['tags']);
        await refreshRuleTags(trx, ctx.database.engine, members === 'all' ? {} : { memberIds: members });
      },
    },
    {
      name: 'audience.tag_feeds',
      types: [ExperienceRecorded.type, OrderCompleted.type, OrderImported.type, MemberMerged.type],
      async handle(trx, event) {
        if (event.type === MemberMerged.type) {
          const merge = payloadOf(MemberMerged, event);
          await moveTagsOnMerge(trx, merge.memberId, merge.mergedFrom);
        } else if (event.type === ExperienceRecorded.type) {
          const trial = payloadOf(ExperienceRecorded, event);
          const memberId = await current(trx, trial.memberId);
          if (memberId !== null)
            await feedFromTrial(trx, {
              id: trial.id,
              memberId,
              result: trial.result,
              recordedAt: trial.recordedAt,
            });
        } else {
          const imported = event.type === OrderImported.type;
          const order = imported ? payloadOf(OrderImported, event) : payloadOf(OrderCompleted, event);
          const memberId = await current(trx, order.memberId);
          if (memberId !== null)
            await feedFromPurchase(trx, {
              id: order.orderId,
              memberId,
              skus: order.lines.map((l) => l.sku),
              at: order.completedAt,
              imported,
            });
        }
      },
    },
  ],
  jobs: (ctx) => ({
    [TAGS_SWEEP_JOB]: async (trx) => {
      await refreshRuleTags(trx, ctx.database.engine, { onlyMoving: true });
      return { runAgainAt: new Date(Date.now() + SWEEP_EVERY_MS).toISOString() };
    },
  }),
  memberListFilters: {
    tag: (code) =>
      sql<boolean>`members.id in (select mt.member_id from member_tags mt where mt.tag_code = ${code})`,
  },
  memberViewSections: {
    tags: memberViewSection(
      Type.Array(MemberTag),
      async (db, memberId) => (await memberTags(db, memberId)).items,
    ),
  },
};
