import { sql } from 'kysely';
import Type from 'typebox';
import { memberContacts, piiFor } from '../members/index.js';
import {
  type Api,
  type AppContext,
  actorOf,
  command,
  decodeCursor,
  encodeCursor,
  idParams,
  listQuery,
  pageOf,
  STAFF_ROLES,
} from '../platform/index.js';
import {
  ExportQuery,
  NewSegment,
  Preview,
  PreviewRequest,
  Segment,
  SegmentMemberListed,
} from './segments.contract.js';
import {
  compileContext,
  countMatching,
  createSegment,
  deleteSegment,
  listSegments,
  requireSegment,
  sampleMatching,
  toSegment,
  updateSegment,
} from './segments.service.js';

// Defining, previewing and exporting are HQ's; every staff role reads the segments and their members (masked), so
// that store staff can follow up the customers HQ picked out.
const HQ = ['admin', 'ops'] as const;

export function registerSegmentRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;
  const engine = ctx.database.engine;
  const pii = piiFor(ctx.config.secret);

  app.post(
    '/v1/segments/preview',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'How many members a rule matches now, and a few of them',
        body: PreviewRequest,
        response: { 200: Preview },
      },
    },
    async (request) => {
      const context = await compileContext(db, engine);
      const [count, sample] = await Promise.all([
        countMatching(db, request.body.rule, context),
        sampleMatching(db, request.body.rule, context),
      ]);
      return { count, sample };
    },
  );

  app.post(
    '/v1/segments',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Define a segment: its members are found at once and kept current as events arrive',
        body: NewSegment,
        response: { 201: Segment },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => createSegment(trx, engine, request.body, actorOf(request))),
  );

  app.get(
    '/v1/segments',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['audience'],
        summary: 'The brand’s segments, newest first',
        response: { 200: Type.Object({ items: Type.Array(Segment) }) },
      },
    },
    async () => ({ items: await listSegments(db) }),
  );

  app.get(
    '/v1/segments/:id',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['audience'],
        summary: 'One segment with its member count',
        params: idParams,
        response: { 200: Segment },
      },
    },
    async (request) => toSegment(await requireSegment(db, request.params.id)),
  );

  app.put(
    '/v1/segments/:id',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Rename or redefine a segment (its members are found again)',
        params: idParams,
        body: NewSegment,
        response: { 200: Segment },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateSegment(trx, engine, request.params.id, request.body)),
  );

  app.delete(
    '/v1/segments/:id',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Delete a segment (answers it as it was)',
        params: idParams,
        response: { 200: Segment },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => deleteSegment(trx, request.params.id)),
  );

  app.get(
    '/v1/segments/:id/members',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['audience'],
        summary: 'A segment’s members with their purchases; names and phones masked (138****5678)',
        params: idParams,
        querystring: Type.Object(listQuery, { additionalProperties: false }),
        response: { 200: pageOf(SegmentMemberListed) },
      },
    },
    async (request) => {
      await requireSegment(db, request.params.id);
      const { limit, cursor } = request.query;
      const after = decodeCursor(cursor, ['string'] as const);
      let query = db
        .selectFrom('segment_members as s')
        .leftJoin('member_traits as t', 't.member_id', 's.member_id')
        .where('s.segment_id', '=', request.params.id)
        .select([
          's.member_id',
          's.entered_at',
          't.order_count',
          't.spend',
          't.last_order_at',
          't.home_store',
        ])
        .orderBy('s.member_id')
        .limit(limit + 1);
      if (after) query = query.where('s.member_id', '>', after[0]);
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const contacts = await memberContacts(
        db,
        pii,
        page.map((r) => r.member_id),
      );
      return {
        items: page.map((r) => ({
          memberId: r.member_id,
          enteredAt: r.entered_at,
          orderCount: Number(r.order_count ?? 0),
          spend: Number(r.spend ?? 0),
          lastOrderAt: r.last_order_at,
          homeStore: r.home_store,
          name: contacts.get(r.member_id)?.name ?? null,
          phone: contacts.get(r.member_id)?.phone ?? null,
        })),
        nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1]!.member_id]) : null,
      };
    },
  );

  app.get(
    '/v1/segments/:id/export',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary:
          'A segment’s members as CSV (member, card, orders, spend, last order), optionally only those with a consent',
        params: idParams,
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }) },
      },
    },
    async (request, reply) => {
      const segment = await requireSegment(db, request.params.id);
      const consent = request.query.consent;
      let query = db
        .selectFrom('segment_members as s')
        .leftJoin('member_traits as t', 't.member_id', 's.member_id')
        .where('s.segment_id', '=', segment.id)
        .select(['s.member_id', 't.card', 't.order_count', 't.spend', 't.last_order_at'])
        .orderBy('s.member_id');
      if (consent) {
        // Her current choice: the latest record of that purpose says granted.
        query = query.where(
          sql<boolean>`exists (select 1 from member_consents c where c.member_id = s.member_id and c.purpose = ${consent}
            and c.granted = 1 and c.seq = (select max(c2.seq) from member_consents c2
              where c2.member_id = s.member_id and c2.purpose = ${consent}))`,
        );
      }
      const rows = await query.execute();
      const quote = (v: unknown) =>
        v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`;
      const csv = [
        'member_id,card,order_count,spend_fen,last_order_at',
        ...rows.map((r) =>
          [r.member_id, r.card, r.order_count ?? 0, r.spend ?? 0, r.last_order_at].map(quote).join(','),
        ),
      ].join('\n');
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="segment-${segment.id}.csv"`)
        .send(`${csv}\n`);
    },
  );
}
