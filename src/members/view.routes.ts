import { type Api, type AppContext, actorOf, idParams, pageOf, STAFF_ROLES } from '../platform/index.js';
import { MemberListQuery, MemberSummary } from './members.contract.js';
import { assertOwnMember, memberViewAnswer, READERS, viewerOf } from './members.http.js';
import { piiFor } from './members.pii.js';
import { memberView, searchMembers } from './view.service.js';

export function registerMemberViewRoutes(app: Api, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.get(
    '/v1/members',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['members'],
        summary:
          'Members, newest first; q searches an exact phone, e-mail, card or other identifier, or a full name',
        querystring: MemberListQuery,
        response: { 200: pageOf(MemberSummary) },
      },
    },
    async (request) => searchMembers(db, pii, request.query),
  );

  app.get(
    '/v1/members/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'The member 360 view (masked for store staff; HQ reads of personal data are audited)',
        params: idParams,
        response: { 200: memberViewAnswer() },
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      const viewer = viewerOf(request.principal);
      const audit = request.principal.role === 'customer' ? null : actorOf(request);
      return memberView(db, pii, request.params.id, viewer, audit);
    },
  );
}
