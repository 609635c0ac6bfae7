import type { FastifyInstance } from 'fastify';
import { type AppContext, AuthErrors, actorOf, CHANNELS, command } from '../platform/index.js';
import { findMemberIdByIdentifier, type IdentifyInput, identify, retryOnRace } from './identify.service.js';
import { IDENTIFIERS, memberViewSchema, viewerOf } from './members.http.js';
import { piiFor } from './members.pii.js';
import { IDENTIFIER_TYPES, type IdentifierType } from './members.rules.js';
import { memberView } from './view.service.js';

const identifierSchema = {
  type: 'object',
  required: ['type', 'value'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: [...IDENTIFIER_TYPES] },
    value: { type: 'string', maxLength: 256 },
    appId: {
      type: 'string',
      maxLength: 64,
      description: 'The mini-program / official account of an openid; the marketplace of a buyer id',
    },
    verified: { type: 'boolean', description: 'The channel confirmed it (an SMS code, WeChat login)' },
  },
} as const;

const traitsSchema = {
  type: 'object',
  maxProperties: 50,
  description:
    'name, birthday (YYYY-MM-DD) and address are personal data (encrypted, masked for store staff); anything else (gender, skinType …) is kept as given. null removes a trait.',
  properties: {
    name: { type: ['string', 'null'], maxLength: 100 },
    birthday: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    address: { type: ['string', 'null'], maxLength: 300 },
  },
  additionalProperties: {
    anyOf: [{ type: 'string', maxLength: 300 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
  },
} as const;

const ignoredSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { type: { type: 'string' }, appId: { type: 'string' }, reason: { type: 'string' } },
  },
} as const;

const identifyResponse = {
  type: 'object',
  required: ['memberId', 'created', 'mergedFrom', 'ignored'],
  properties: {
    memberId: { type: 'string' },
    created: { type: 'boolean' },
    mergedFrom: { type: 'array', items: { type: 'string' } },
    review: {
      type: 'object',
      required: ['id', 'reason'],
      properties: { id: { type: 'string' }, reason: { type: 'string' } },
    },
    ignored: ignoredSchema,
  },
} as const;

export function registerIdentifyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.post<{ Body: IdentifyInput }>(
    '/v1/identify',
    {
      config: { auth: { roles: IDENTIFIERS } },
      schema: {
        tags: ['members'],
        summary: 'One ID: resolve identifiers to one member (create, attach, merge, or open a review)',
        body: {
          type: 'object',
          required: ['identifiers', 'channel'],
          additionalProperties: false,
          properties: {
            identifiers: { type: 'array', minItems: 1, maxItems: 20, items: identifierSchema },
            traits: traitsSchema,
            channel: { type: 'string', enum: [...CHANNELS] },
          },
        },
        response: { 200: identifyResponse },
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

  app.get<{ Querystring: { type: IdentifierType; value: string; appId?: string } }>(
    '/v1/members/lookup',
    {
      config: { auth: { roles: IDENTIFIERS } },
      schema: {
        tags: ['members'],
        summary: 'The member holding an identifier (404 MEMBER.NOT_FOUND when nobody does)',
        querystring: {
          type: 'object',
          required: ['type', 'value'],
          properties: {
            type: { type: 'string', enum: [...IDENTIFIER_TYPES] },
            value: { type: 'string', maxLength: 256 },
            appId: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: memberViewSchema },
      },
    },
    async (request) => {
      const memberId = await findMemberIdByIdentifier(db, pii, request.query);
      const viewer = viewerOf(request.principal);
      return memberView(db, pii, memberId, viewer, actorOf(request));
    },
  );
}
