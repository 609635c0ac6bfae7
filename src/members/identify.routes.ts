import { type Api, type AppContext, AuthErrors, actorOf, command } from '../platform/index.js';
import { findMemberIdByIdentifier, identify, retryOnRace } from './identify.service.js';
import { Identified, IdentifyRequest, LookupQuery } from './members.contract.js';
import { IDENTIFIERS, memberViewAnswer, viewerOf } from './members.http.js';
import { piiFor } from './members.pii.js';
import { memberView } from './view.service.js';

export function registerIdentifyRoutes(app: Api, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.post(
    '/v1/identify',
    {
      config: { auth: { roles: IDENTIFIERS } },
      schema: {
        tags: ['members'],
        summary: 'One ID: resolve identifiers to one member (create, attach, merge, or open a review)',
        body: IdentifyRequest,
        response: { 200: Identified },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.role === 'channel' && principal.channel !== request.body.channel) {
        throw AuthErrors.forbidden(
          `This API key belongs to channel ${principal.channel}, not ${request.body.channel}`,
        );
      }
      return retryOnRace(() =>
        command(ctx, request, reply, 200, (trx) => identify(trx, pii, request.body, actorOf(request))),
      );
    },
  );

  app.get(
    '/v1/members/lookup',
    {
      config: { auth: { roles: IDENTIFIERS } },
      schema: {
        tags: ['members'],
        summary: 'The member holding an identifier (404 MEMBER.NOT_FOUND when nobody does)',
        querystring: LookupQuery,
        response: { 200: memberViewAnswer() },
      },
    },
    async (request) => {
      const memberId = await findMemberIdByIdentifier(db, pii, request.query);
      const viewer = viewerOf(request.principal);
      return memberView(db, pii, memberId, viewer, actorOf(request));
    },
  );
}
