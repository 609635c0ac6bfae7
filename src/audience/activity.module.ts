import Type from 'typebox';
import { memberInScope } from '../members/index.js';
import { MemberErased, MemberIdentifiersAdded } from '../members/members.events.js';
import {
  type AppModule,
  actorName,
  actorOf,
  appendEvent,
  command,
  idParams,
  isStoreScoped,
  listOf,
  markAnswered,
  memberViewSection,
  newEvent,
  type Principal,
  pageOf,
  pageQuery,
  payloadOf,
  recordAnswer,
  STAFF_ROLES,
  type Trx,
} from '../platform/index.js';
import {
  ActivityItem,
  ActivityRecomputeAnswer,
  ActivitySettings,
  TrackAnswer,
  TrackBody,
} from './activity.contract.js';
import { ActivityJoined } from './activity.events.js';
import { FACT_EVENT_TYPES, FACT_TYPES, recomputeFactActivity, recordFact } from './activity.facts.js';
import { activityOf } from './activity.read.js';
import type { Tracker } from './activity.rules.js';
import { activitySettings, changeActivitySettings, PURGE_JOB, purgeJob } from './activity.settings.js';
import { profileChanged } from './audience.events.js';
import { TrackBatcher } from './track.service.js';

/** Rows of the member 360 view's activity section. */
const VIEW_ROWS = 20;

function trackerOf(principal: Principal): Tracker {
  if (principal.role === 'customer') return { kind: 'customer', memberId: principal.memberId };
  if (principal.role === 'channel') return { kind: 'channel', channel: principal.channel };
  return { kind: 'staff' };
}

/**
 * What a device did before she was known becomes hers when identify adds that device id to her (the rows keep
 * the device id). In the consumer's transaction: delivered again, it finds nothing left to join.
 */
async function joinDevices(trx: Trx, memberId: string, devices: string[]): Promise<void> {
  if (devices.length === 0) return;
  const joined = await trx
    .updateTable('member_activity')
    .set({ member_id: memberId })
    .where('anonymous_id', 'in', devices)
    .where('member_id', 'is', null)
    .executeTakeFirst();
  const rows = Number(joined.numUpdatedRows);
  if (rows === 0) return;
  await appendEvent(
    trx,
    newEvent(ActivityJoined, { stream: `member:${memberId}`, payload: { memberId, rows } }),
  );
  await profileChanged(trx, [memberId], 'activity');
}

/**
 * Erasure (PIPL): what she did in the apps, and the devices she did it on, is her personal data and goes. The
 * facts' rows stay with the anonymised member, as her orders and returns do.
 */
async function forgetTracked(trx: Trx, memberId: string): Promise<void> {
  await trx
    .deleteFrom('member_activity')
    .where('member_id', '=', memberId)
    .where('type', 'not in', FACT_TYPES)
    .execute();
}

/** The audience context's activity: tracked app events (POST /v1/track), the facts the platform records (orders, returns, trials, coupons) as member_activity, device joins, retention. */
export const activityModule: AppModule = {
  name: 'audience.activity',
  routes: (app, ctx) => {
    const batcher = new TrackBatcher(ctx.database);
    app.post(
      '/v1/track',
      {
        config: { auth: { roles: ['admin', 'ops', 'channel', 'customer'] } },
        schema: {
          tags: ['audience'],
          summary:
            'Track app events (product_viewed, cart_added, searched …): each bad event is refused alone, the rest recorded',
          body: TrackBody,
          response: { 202: TrackAnswer },
        },
      },
      async (request, reply) => {
        reply.code(202);
        // Through the group commit: concurrent requests' events are written by one insert in one transaction.
        const answer = await batcher.track(request.body.events, trackerOf(request.principal), (trx, value) =>
          recordAnswer(trx, request, reply, value),
        );
        markAnswered(request);
        return answer;
      },
    );

    app.get(
      '/v1/members/:id/activity',
      {
        config: { auth: { roles: [...STAFF_ROLES, 'customer'] } },
        schema: {
          tags: ['audience'],
          summary:
            'A member’s activity, newest first: tracked events and the facts (orders, returns, trials)',
          params: idParams,
          querystring: pageQuery({ type: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: pageOf(ActivityItem) },
        },
      },
      async (request) => {
        const memberId = await memberInScope(ctx.database.db, request.principal, request.params.id);
        const { type, cursor, limit } = request.query;
        return activityOf(
          ctx.database.db,
          memberId,
          { type, cursor, limit: limit ?? 50 },
          { masked: isStoreScoped(request.principal) },
        );
      },
    );

    app.post(
      '/v1/audience/activity/recompute',
      {
        config: { auth: { roles: ['admin', 'ops'] } },
        schema: {
          tags: ['audience'],
          summary:
            'Rebuild the activity of every fact (orders, returns, trials, coupons) from the facts’ log',
          response: { 200: ActivityRecomputeAnswer },
        },
      },
      async (request) => {
        const started = performance.now();
        const done = await recomputeFactActivity(ctx.database);
        request.log.info({ actor: actorName(actorOf(request)), ...done }, 'fact activity recomputed');
        return { ...done, durationMs: Math.round(performance.now() - started) };
      },
    );

    app.get(
      '/v1/activity/settings',
      {
        config: { auth: { roles: ['admin', 'ops'] } },
        schema: {
          tags: ['audience'],
          summary: 'How long tracked app events are kept',
          response: { 200: ActivitySettings },
        },
      },
      async () => activitySettings(ctx.database.db),
    );

    app.put(
      '/v1/activity/settings',
      {
        config: { auth: { roles: ['admin', 'ops'] } },
        schema: {
          tags: ['audience'],
          summary: 'Change how long tracked app events are kept (the purge follows within the hour)',
          body: ActivitySettings,
          response: { 200: ActivitySettings },
        },
      },
      async (request, reply) =>
        command(ctx, request, reply, 200, (trx) =>
          changeActivitySettings(trx, request.body, actorName(actorOf(request))),
        ),
    );
  },
  consumers: () => [
    {
      name: 'audience.activity.facts',
      types: FACT_EVENT_TYPES,
      handle: (trx, event) => recordFact(trx, event),
    },
    {
      name: 'audience.activity.members',
      types: [MemberIdentifiersAdded.type, MemberErased.type],
      async handle(trx, event) {
        if (event.type === MemberErased.type) {
          await forgetTracked(trx, payloadOf(MemberErased, event).memberId);
          return;
        }
        const { memberId, identifiers } = payloadOf(MemberIdentifiersAdded, event);
        const devices = identifiers.flatMap((i) =>
          i.type === 'device' && i.value !== null ? [i.value] : [],
        );
        await joinDevices(trx, memberId, devices);
      },
    },
  ],
  jobs: { [PURGE_JOB]: (trx) => purgeJob(trx) },
  // Her activity follows her through merges (and back on unmerge).
  memberReferences: [{ table: 'member_activity', memberColumn: 'member_id', keyColumn: 'seq' }],
  memberViewSections: {
    activity: memberViewSection(listOf(ActivityItem), async (db, memberId, viewer) => {
      const page = await activityOf(db, memberId, { limit: VIEW_ROWS }, { masked: viewer.masked });
      return { items: page.items };
    }),
  },
};
