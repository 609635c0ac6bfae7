import { memberInScope } from '../members/index.js';
import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  command,
  decodeCursor,
  encodeCursor,
  idParams,
  pageOf,
  STAFF_ROLES,
} from '../platform/index.js';
import {
  MemberRfm,
  MovementsQuery,
  RfmGrid,
  RfmMovements,
  RfmRun,
  RfmRunRequest,
  RfmRunsQuery,
  RunParams,
} from './rfm.contract.js';
import { grid, memberRfm, movements, requireRun, runRfm, toRfmRun } from './rfm.service.js';
import { RfmSchedule, RfmScheduleView, readSchedule, writeSchedule } from './rfm-schedule.service.js';

const HQ = ['admin', 'ops'] as const;

export function registerRfmRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.post(
    '/v1/rfm/runs',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary:
          'Run RFM (quintile or eight classes) over every member with a purchase in the window; stored',
        body: RfmRunRequest,
        response: { 201: RfmRun },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) =>
        runRfm(trx, ctx.database.engine, request.body, actorName(actorOf(request))),
      ),
  );

  app.get(
    '/v1/rfm/runs',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'RFM runs, newest first',
        querystring: RfmRunsQuery,
        response: { 200: pageOf(RfmRun) },
      },
    },
    async (request) => {
      const { limit, cursor, scheme } = request.query;
      const after = decodeCursor(cursor, ['string', 'string'] as const);
      let query = db.selectFrom('rfm_runs').selectAll();
      if (scheme) query = query.where('scheme', '=', scheme);
      if (after) {
        const [createdAt, id] = after;
        query = query.where((eb) =>
          eb.or([
            eb('created_at', '<', createdAt),
            eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
          ]),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(toRfmRun),
        nextCursor: rows.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
      };
    },
  );

  app.get(
    '/v1/rfm/runs/:id',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'One RFM run with its segment sizes',
        params: RunParams,
        response: { 200: RfmRun },
      },
    },
    async (request) => toRfmRun(await requireRun(db, request.params.id)),
  );

  app.get(
    '/v1/rfm/runs/:id/movements',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Who moved from which segment to which since an earlier run (null: entered or left)',
        params: RunParams,
        querystring: MovementsQuery,
        response: { 200: RfmMovements },
      },
    },
    async (request) => movements(db, request.params.id, request.query.from),
  );

  app.get(
    '/v1/rfm/runs/:id/grid',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'The run’s R × F heat map: members and monetary per cell',
        params: RunParams,
        response: { 200: RfmGrid },
      },
    },
    async (request) => grid(db, request.params.id),
  );

  app.get(
    '/v1/members/:id/rfm',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['audience'],
        summary: 'A member’s scores in the latest run of each scheme',
        params: idParams,
        response: { 200: MemberRfm },
      },
    },
    async (request) => memberRfm(db, await memberInScope(db, request.principal, request.params.id)),
  );

  app.get(
    '/v1/rfm/schedule',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'The monthly RFM run’s schedule',
        response: { 200: RfmScheduleView },
      },
    },
    async () => ctx.database.transaction((trx) => readSchedule(trx)),
  );

  app.put(
    '/v1/rfm/schedule',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Set the monthly RFM run: on or off, the day of the month, the run’s settings',
        body: RfmSchedule,
        response: { 200: RfmScheduleView },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => writeSchedule(trx, request.body, actorOf(request))),
  );
}
