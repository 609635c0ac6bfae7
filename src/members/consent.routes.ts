import { type Api, type AppContext, actorOf, command, idParams } from '../platform/index.js';
import { consentsOf, recordConsent } from './consent.service.js';
import { ConsentChange, ConsentParams, Consents } from './members.contract.js';
import { assertOwnMember, READERS } from './members.http.js';
import { requireMemberId } from './members.rows.js';

export function registerConsentRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/consents',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'Consent per purpose now, and its history',
        params: idParams,
        response: { 200: Consents },
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return consentsOf(db, await requireMemberId(db, request.params.id));
    },
  );

  app.put(
    '/v1/members/:id/consents/:purpose',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'Grant or withdraw consent for a purpose (withdrawal holds at once)',
        params: ConsentParams,
        body: ConsentChange,
        response: { 200: Consents },
      },
    },
    async (request, reply) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return command(ctx, request, reply, 200, (trx) =>
        recordConsent(trx, request.params.id, request.params.purpose, request.body, actorOf(request)),
      );
    },
  );
}
