import { type Api, type AppContext, command, pageOf } from '../platform/index.js';
import {
  CustomerLogin,
  CustomerToken,
  CustomerTokenRequest,
  SmsCodeRequest,
  SmsCodeSent,
  SmsQuery,
} from './members.contract.js';
import { SmsMessage } from './members.http.js';
import { piiFor } from './members.pii.js';
import { requireActiveMember } from './members.rows.js';
import { listSmsMessages, localSmsSender, loginWithCode, requestLoginCode } from './members.sms.js';

/** A customer's session on the customer pages or a channel app: a week, then log in again. */
export const CUSTOMER_TOKEN_TTL_S = 7 * 24 * 3600;

export function registerLoginRoutes(app: Api, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.post(
    '/v1/auth/customer-tokens',
    {
      config: { auth: { roles: ['admin', 'channel'] } },
      schema: {
        tags: ['auth'],
        summary:
          'A customer token for a member the channel app has authenticated (e.g. WeChat login → identify)',
        body: CustomerTokenRequest,
        response: { 201: CustomerToken },
      },
    },
    async (request, reply) => {
      const memberId = await requireActiveMember(db, request.body.memberId);
      reply.code(201);
      return { ...customerToken(ctx, memberId), memberId };
    },
  );

  app.post(
    '/v1/auth/sms-codes',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Send a 6-digit login code to a phone (valid 5 minutes, 5 tries)',
        security: [],
        body: SmsCodeRequest,
        response: { 202: SmsCodeSent },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 202, (trx) =>
        requestLoginCode(trx, pii, localSmsSender(trx, pii), request.body.phone),
      ),
  );

  app.post(
    '/v1/auth/customer-login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log a customer in with the SMS code; a new phone becomes a new member',
        security: [],
        body: CustomerLogin,
        response: { 200: CustomerToken },
      },
    },
    async (request) => {
      const { memberId, created } = await loginWithCode(ctx.database, pii, request.body);
      return { ...customerToken(ctx, memberId), memberId, created };
    },
  );

  app.get(
    '/v1/sms/messages',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        response: { 200: pageOf(SmsMessage) },
        tags: ['members'],
        summary: 'Messages sent through the built-in SMS carrier, with their delivery status',
        querystring: SmsQuery,
      },
    },
    async (request) => listSmsMessages(db, pii, request.query),
  );
}

function customerToken(ctx: AppContext, memberId: string): { token: string; expiresAt: string } {
  return ctx.tokens.sign(
    { role: 'customer', subject: `member:${memberId}`, memberId, storeCode: null },
    CUSTOMER_TOKEN_TTL_S,
  );
}
