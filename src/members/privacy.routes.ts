import { type Api, type AppContext, actorOf, command, idParams, pageOf } from '../platform/index.js';
import { AuditQuery, Erased } from './members.contract.js';
import { AccessLogEntry, assertOwnMember, memberExportAnswer } from './members.http.js';
import { piiFor } from './members.pii.js';
import { accessLog, eraseMember, exportMember } from './privacy.service.js';

export function registerPrivacyRoutes(app: Api, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/export',
    {
      config: { auth: { roles: ['admin', 'customer'] } },
      schema: {
        response: { 200: memberExportAnswer() },
        tags: ['members'],
        summary: 'Everything held about the member, decrypted (audited)',
        params: idParams,
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return exportMember(db, pii, request.params.id, actorOf(request));
    },
  );

  app.post(
    '/v1/members/:id/erase',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['members'],
        summary: 'Erase personal data and identifiers; an anonymised shell stays for accounting',
        params: idParams,
        response: { 200: Erased },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => eraseMember(trx, request.params.id, actorOf(request))),
  );

  app.get(
    '/v1/audit-log',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        response: { 200: pageOf(AccessLogEntry) },
        tags: ['members'],
        summary: 'Who read or exported whose personal data, and when',
        querystring: AuditQuery,
      },
    },
    async (request) => accessLog(db, request.query),
  );
}
