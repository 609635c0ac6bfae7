import Type from 'typebox';
import { type Api, type AppContext, actorOf, command, idParams, STAFF_ROLES } from '../platform/index.js';
import { memberCodeFor, memberCodeKey, memberOfCode } from './member-code.service.js';
import { memberViewAnswer, viewerOf } from './members.http.js';
import { piiFor } from './members.pii.js';
import { memberInScope, memberView } from './view.service.js';

const MemberCodeAnswer = Type.Object({
  code: Type.String({ pattern: '^8[0-9]{17}$', description: '18 digits for the QR code and the barcode' }),
  expiresAt: Type.String({ format: 'date-time', description: 'the till stops taking it then' }),
  refreshAt: Type.String({ format: 'date-time', description: 'show the next code then' }),
});
const CodeParams = Type.Object({
  code: Type.String({ pattern: '^[0-9]{1,32}$', description: 'as scanned' }),
});

export function registerMemberCodeRoutes(app: Api, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const key = memberCodeKey(ctx.config.secret);
  const db = ctx.database.db;

  app.post(
    '/v1/members/:id/code',
    {
      config: { auth: { roles: ['customer'] } },
      schema: {
        tags: ['members'],
        summary:
          'Her member code (会员码) for this minute: a signed 18-digit code the till scans; a new one each minute',
        params: idParams,
        response: { 201: MemberCodeAnswer },
      },
    },
    async (request, reply) => {
      const memberId = await memberInScope(db, request.principal, request.params.id);
      return command(ctx, request, reply, 201, (trx) => memberCodeFor(trx, key, memberId));
    },
  );

  app.get(
    '/v1/member-codes/:code',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['members'],
        summary:
          'The member a scanned member code names (404 MEMBER.CODE_INVALID, 422 MEMBER.CODE_EXPIRED); masked for store staff',
        params: CodeParams,
        response: { 200: memberViewAnswer() },
      },
    },
    async (request) => {
      const memberId = await memberOfCode(db, key, request.params.code);
      return memberView(db, pii, memberId, viewerOf(request.principal), actorOf(request));
    },
  );
}
