import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  actorOf,
  CHANNELS,
  type Channel,
  codeString,
  command,
  idParams,
} from '../platform/index.js';
import { consentsOf, recordConsent } from './consent.service.js';
import { assertOwnMember, consentSchema, READERS } from './members.http.js';
import { requireMemberId } from './members.rows.js';
import { CONSENT_PURPOSES, type ConsentPurpose } from './members.rules.js';

const consentsResponse = {
  type: 'object',
  properties: {
    current: { type: 'array', items: consentSchema },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...consentSchema.properties, recordedBy: { type: 'string' } },
      },
    },
  },
} as const;

export function registerConsentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id/consents',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'Consent per purpose now, and its history',
        params: idParams,
        response: { 200: consentsResponse },
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return consentsOf(db, await requireMemberId(db, request.params.id));
    },
  );

  app.put<{
    Params: { id: string; purpose: ConsentPurpose };
    Body: { granted: boolean; channel: Channel; source?: string };
  }>(
    '/v1/members/:id/consents/:purpose',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'Grant or withdraw consent for a purpose (withdrawal holds at once)',
        params: {
          type: 'object',
          required: ['id', 'purpose'],
          properties: {
            id: codeString,
            purpose: { type: 'string', enum: [...CONSENT_PURPOSES] },
          },
        },
        body: {
          type: 'object',
          required: ['granted', 'channel'],
          additionalProperties: false,
          properties: {
            granted: { type: 'boolean' },
            channel: { type: 'string', enum: [...CHANNELS] },
            source: {
              type: 'string',
              maxLength: 500,
              description: 'The wording the customer agreed to, or where',
            },
          },
        },
        response: { 200: consentsResponse },
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
