import { TierChanged } from '../loyalty/loyalty.events.js';
import { MemberConsentChanged, MemberMerged, MemberUnmerged } from '../members/members.events.js';
import { type AppModule, type EventContract, type PublishedEvent, payloadOf } from '../platform/index.js';
import { MemberProfileChanged } from './audience.events.js';
import { RfmRunCompleted } from './rfm.events.js';
import { registerSegmentRoutes } from './segments.routes.js';
import { refreshSegments } from './segments.service.js';

/** The hourly pass over the segments whose rules move with time. */
export const SEGMENTS_SWEEP_JOB = 'audience.segments.sweep';
const SWEEP_EVERY_MS = 60 * 60_000;

/** Which members an event may have moved in or out of segments; `all` when a run re-scored everyone. */
const MEMBERS_OF: [EventContract, (event: PublishedEvent) => string[] | 'all'][] = [
  [MemberProfileChanged, (e) => payloadOf(MemberProfileChanged, e).memberIds],
  [MemberConsentChanged, (e) => [payloadOf(MemberConsentChanged, e).memberId]],
  [TierChanged, (e) => [payloadOf(TierChanged, e).memberId]],
  [MemberMerged, (e) => [payloadOf(MemberMerged, e).memberId, payloadOf(MemberMerged, e).mergedFrom]],
  [
    MemberUnmerged,
    (e) => [payloadOf(MemberUnmerged, e).memberId, payloadOf(MemberUnmerged, e).restoredMemberId],
  ],
  [RfmRunCompleted, () => 'all'],
];
const extractors = new Map(MEMBERS_OF.map(([contract, of]) => [contract.type, of]));

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
      types: [...extractors.keys()],
      async handle(trx, event) {
        const members = extractors.get(event.type)?.(event) ?? [];
        await refreshSegments(trx, ctx.database.engine, members === 'all' ? {} : { memberIds: members });
      },
    },
  ],
  jobs: (ctx) => ({
    [SEGMENTS_SWEEP_JOB]: async (trx) => {
      await refreshSegments(trx, ctx.database.engine, { onlyMoving: true });
      return { runAgainAt: new Date(Date.now() + SWEEP_EVERY_MS).toISOString() };
    },
  }),
};
