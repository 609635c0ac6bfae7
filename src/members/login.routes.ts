import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  CHANNELS,
  type Channel,
  codeString,
  command,
  pageOf,
  pageQuery,
} from '../platform/index.js';
import { SmsMessage } from './members.http.js';
import { piiFor } from './members.pii.js';
import { requireActiveMember } from './members.rows.js';
import { listSmsMessages, localSmsSender, loginWithCode, requestLoginCode } from './members.sms.js';

/** A customer's session on the customer pages or a channel app: a week, then log in again. */
export const CUSTOMER_TOKEN_TTL_S = 7 * 24 * 3600;

const tokenResponse = {
  type: 'object',
  properties: {
    token: { type: 'string' },
    expiresAt: { type: 'string' },
    memberId: { type: 'string' },
    created: { type: 'boolean' },
  },
} as const;

export function registerLoginRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.post<{ Body: { memberId: string } }>(
    '/v1/auth/customer-tokens',
    {
      config: { auth: { roles: ['admin', 'channel'] } },
      schema: {
        tags: ['auth'],
        summary:
          'A customer token for a member the channel app has authenticated (e.g. WeChat login → identify)',
        body: {
          type: 'object',
          required: ['memberId'],
          additionalProperties: false,
          properties: { memberId: codeString },
        },
        response: { 201: tokenResponse },
      },
    },
    async (request, reply) => {
      const memberId = await requireActiveMember(db, request.body.memberId);
      reply.code(201);
      return { ...customerToken(ctx, memberId), memberId };
    },
  );

  app.post<{ Body: { phone: string } }>(
    '/v1/auth/sms-codes',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Send a 6-digit login code to a phone (valid 5 minutes, 5 tries)',
        security: [],
        body: {
          type: 'object',
          required: ['phone'],
          additionalProperties: false,
          properties: { phone: { type: 'string', minLength: 1, maxLength: 32 } },
        },
        response: {
          202: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['queued'] },
              messageId: { type: 'string' },
              expiresAt: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 202, (trx) =>
        requestLoginCode(trx, pii, localSmsSender(trx, pii), request.body.phone),
      ),
  );

  app.post<{ Body: { phone: string; code: string; channel: Channel } }>(
    '/v1/auth/customer-login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log a customer in with the SMS code; a new phone becomes a new member',
        security: [],
        body: {
          type: 'object',
          required: ['phone', 'code'],
          additionalProperties: false,
          properties: {
            phone: { type: 'string', minLength: 1, maxLength: 32 },
            code: { type: 'string', pattern: '^\\d{6}$' },
            channel: { type: 'string', enum: [...CHANNELS], default: 'online' },
          },
        },
        response: { 200: tokenResponse },
      },
    },
    async (request) => {
      const { memberId, created } = await loginWithCode(ctx.database, pii, request.body);
      return { ...customerToken(ctx, memberId), memberId, created };
    },
  );

  app.get<{ Querystring: { phone?: string; limit: number; cursor?: string } }>(
    '/v1/sms/messages',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        response: { 200: pageOf(SmsMessage) },
        tags: ['members'],
        summary: 'Messages sent through the built-in SMS carrier, with their delivery status',
        querystring: pageQuery({ phone: { type: 'string', maxLength: 32 } }),
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
