import { ReturnReceived, ReturnRefunded } from '../aftersales/aftersales.events.js';
import { ExperienceRecorded } from '../experience/experience.events.js';
import { ReturnImported } from '../imports/imports.events.js';
import { memberInScope, piiFor } from '../members/index.js';
import { MemberErased, MemberMerged, MemberUnmerged } from '../members/members.events.js';
import { OrderCompleted, OrderImported } from '../orders/orders.events.js';
import {
  type AppModule,
  actorName,
  actorOf,
  type EventContract,
  idParams,
  memberViewSection,
  Nullable,
  type PublishedEvent,
  payloadOf,
  STAFF_ROLES,
} from '../platform/index.js';
import { MemberProfileChanged } from './audience.events.js';
import { MemberTraits, RecomputeAnswer } from './traits.contract.js';
import { traitsOf } from './traits.read.js';
import { recomputeTraits, refreshTraits } from './traits.service.js';

/** Which members a fact is about, per event that can change a member's traits. */
const MEMBERS_OF: [EventContract, (event: PublishedEvent) => (string | null)[]][] = [
  [OrderCompleted, (e) => [payloadOf(OrderCompleted, e).memberId]],
  [OrderImported, (e) => [payloadOf(OrderImported, e).memberId]],
  [ReturnReceived, (e) => [payloadOf(ReturnReceived, e).memberId]],
  [ReturnRefunded, (e) => [payloadOf(ReturnRefunded, e).memberId]],
  [ReturnImported, (e) => [payloadOf(ReturnImported, e).memberId]],
  [ExperienceRecorded, (e) => [payloadOf(ExperienceRecorded, e).memberId]],
  [MemberMerged, (e) => [payloadOf(MemberMerged, e).memberId, payloadOf(MemberMerged, e).mergedFrom]],
  [
    MemberUnmerged,
    (e) => [payloadOf(MemberUnmerged, e).memberId, payloadOf(MemberUnmerged, e).restoredMemberId],
  ],
  [MemberErased, (e) => [payloadOf(MemberErased, e).memberId]],
  // Tracked activity moves lastSeenAt (the traits' own changes are not followed: that would loop).
  [
    MemberProfileChanged,
    (e) => {
      const { memberIds, what } = payloadOf(MemberProfileChanged, e);
      return what === 'activity' ? memberIds : [];
    },
  ],
];
const extractors = new Map(MEMBERS_OF.map(([contract, of]) => [contract.type, of]));

/**
 * The audience context's traits: the computed profile of each member, kept current by a durable consumer of every
 * fact that changes it (each event re-derives just its members from the facts, in the consumer's transaction), and
 * recomputed whole by `POST /v1/audience/traits/recompute` or `omniloop audience recompute-traits`.
 */
export const traitsModule: AppModule = {
  name: 'audience.traits',
  consumers: (ctx) => {
    const pii = piiFor(ctx.config.secret);
    return [
      {
        name: 'audience.traits',
        types: [...extractors.keys()],
        async handle(trx, event) {
          const ids = (extractors.get(event.type)?.(event) ?? []).filter((id): id is string => id !== null);
          await refreshTraits(trx, pii, ids);
        },
      },
    ];
  },
  routes: (app, ctx) => {
    const pii = piiFor(ctx.config.secret);
    app.get(
      '/v1/members/:id/traits',
      {
        config: { auth: { roles: STAFF_ROLES } },
        schema: {
          tags: ['audience'],
          summary:
            'A member’s computed traits (null before anything is known of her), kept current from the facts',
          params: idParams,
          response: { 200: Nullable(MemberTraits) },
        },
      },
      async (request) => {
        const memberId = await memberInScope(ctx.database.db, request.principal, request.params.id);
        return traitsOf(ctx.database.db, memberId);
      },
    );
    app.post(
      '/v1/audience/traits/recompute',
      {
        config: { auth: { roles: ['admin', 'ops'] } },
        schema: {
          tags: ['audience'],
          summary: 'Recompute every member’s traits from the facts (a chunk of members per transaction)',
          response: { 200: RecomputeAnswer },
        },
      },
      async (request) => {
        const started = performance.now();
        let members = 0;
        const withTraits = await recomputeTraits(ctx.database, pii, (done) => {
          members = done;
        });
        request.log.info({ actor: actorName(actorOf(request)), members, withTraits }, 'traits recomputed');
        return { members, withTraits, durationMs: Math.round(performance.now() - started) };
      },
    );
  },
  memberViewSections: {
    computedTraits: memberViewSection(Nullable(MemberTraits), (db, memberId) => traitsOf(db, memberId)),
  },
};
