import type { FastifyInstance } from 'fastify';
import { type AppContext, actorOf, idParams, pageOf, pageQuery, STAFF_ROLES } from '../platform/index.js';
import { assertOwnMember, memberViewSchema, READERS, viewerOf } from './members.http.js';
import { piiFor } from './members.pii.js';
import { memberView, searchMembers } from './view.service.js';

export function registerMemberViewRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.get<{ Querystring: { q?: string; limit: number; cursor?: string } }>(
    '/v1/members',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['members'],
        summary:
          'Members, newest first; q searches an exact phone, e-mail, card or other identifier, or a full name',
        querystring: pageQuery({ q: { type: 'string', maxLength: 200 } }),
        response: {
          200: pageOf({
            type: 'object',
            properties: {
              id: { type: 'string' },
              status: { type: 'string' },
              channel: { type: 'string' },
              createdAt: { type: 'string' },
              name: { type: ['string', 'null'] },
              phone: { type: ['string', 'null'] },
              identifierTypes: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
      },
    },
    async (request) => searchMembers(db, pii, request.query),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'The member 360 view (masked for store staff; HQ reads of personal data are audited)',
        params: idParams,
        response: { 200: memberViewSchema },
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
