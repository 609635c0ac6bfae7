import type { FastifyInstance, FastifyRequest } from 'fastify';
import { memberInScope } from '../members/index.js';
import {
  type AppContext,
  AuthErrors,
  CHANNELS,
  codeString,
  command,
  idParams,
  isStoreScoped,
  listOf,
  type Principal,
  pageOf,
  pageQuery,
  STAFF_ROLES,
} from '../platform/index.js';
import { EXPERIENCE_KINDS, type ExperienceKind } from './experience.rules.js';
import {
  experiencesOf,
  favouritesOf,
  recommendationsFor,
  recordExperience,
  saveFavourite,
} from './experience.service.js';

const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

const experienceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    memberId: { type: 'string' },
    store: { type: 'string' },
    guide: { type: ['string', 'null'] },
    sku: { type: 'string' },
    kind: { type: 'string', enum: [...EXPERIENCE_KINDS] },
    result: { type: ['object', 'null'], additionalProperties: true },
    recordedBy: { type: 'string' },
    recordedAt: { type: 'string' },
  },
} as const;

const favouriteSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    memberId: { type: 'string' },
    sku: { type: 'string' },
    store: { type: ['string', 'null'] },
    recordedBy: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

/** The member behind a path id (merges followed); a customer only reaches their own. */
const memberFor = (ctx: AppContext, principal: Principal, requestedId: string) =>
  memberInScope(ctx.database.db, principal, requestedId);

const actorOf = (request: FastifyRequest) => `${request.principal.role}:${request.principal.subject}`;

export function registerExperienceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;

  app.post<{
    Body: {
      memberId: string;
      store: string;
      guide?: string;
      sku: string;
      kind: ExperienceKind;
      result?: Record<string, unknown>;
    };
  }>(
    '/v1/experiences',
    {
      config: {
        // Store staff record at their own store; a POS, pad or smart mirror records with its channel key.
        auth: {
          roles: [...STAFF_ROLES, 'channel'],
          store: (request) => (request.body as { store: string }).store,
        },
      },
      schema: {
        tags: ['experience'],
        summary: 'Record an in-store trial (试用 / 试色 / 试穿 / skin test) for a member',
        body: {
          type: 'object',
          required: ['memberId', 'store', 'sku', 'kind'],
          additionalProperties: false,
          properties: {
            memberId: codeString,
            store: { type: 'string', minLength: 1, maxLength: 32 },
            guide: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'The guide who served (a guide: themself)',
            },
            sku: codeString,
            kind: { type: 'string', enum: [...EXPERIENCE_KINDS] },
            result: {
              type: 'object',
              maxProperties: 20,
              description: 'What came out of it: {shade: "999"}, {skinType: "dry"} …',
              additionalProperties: {
                anyOf: [{ type: 'string', maxLength: 200 }, { type: 'number' }, { type: 'boolean' }],
              },
            },
          },
        },
        response: { 201: experienceSchema },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const guide = request.body.guide ?? (principal.role === 'guide' ? principal.subject : undefined);
      return command(ctx, request, reply, 201, (trx) =>
        recordExperience(trx, { ...request.body, guide, recordedBy: actorOf(request) }),
      );
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>(
    '/v1/members/:id/experiences',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary: "A member's in-store experiences, newest first",
        params: idParams,
        querystring: pageQuery(),
        response: { 200: pageOf(experienceSchema) },
      },
    },
    async (request) =>
      experiencesOf(db, await memberFor(ctx, request.principal, request.params.id), request.query),
  );

  app.post<{ Params: { id: string }; Body: { sku: string; store?: string } }>(
    '/v1/members/:id/favourites',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary:
          'Save a product as a favourite (scanned in store, or in an app); saving again keeps the first',
        params: idParams,
        body: {
          type: 'object',
          required: ['sku'],
          additionalProperties: false,
          properties: {
            sku: codeString,
            store: { type: 'string', minLength: 1, maxLength: 32, description: 'Where it was scanned' },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { ...favouriteSchema.properties, created: { type: 'boolean' } },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const memberId = await memberFor(ctx, principal, request.params.id);
      let store = request.body.store ?? null;
      if (isStoreScoped(principal)) {
        if (store !== null && store !== principal.storeCode) {
          throw AuthErrors.storeForbidden(
            `${principal.subject} works at ${principal.storeCode}, not ${store}`,
          );
        }
        store = principal.storeCode;
      }
      return command(ctx, request, reply, 201, async (trx) => {
        const { favourite, created } = await saveFavourite(trx, {
          memberId,
          sku: request.body.sku,
          store,
          recordedBy: actorOf(request),
        });
        return { ...favourite, created };
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id/favourites',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary: "A member's favourites, newest first",
        params: idParams,
        response: { 200: listOf(favouriteSchema) },
      },
    },
    async (request) => ({
      items: await favouritesOf(db, await memberFor(ctx, request.principal, request.params.id)),
    }),
  );

  app.get<{ Params: { id: string }; Querystring: { channel?: string; limit: number } }>(
    '/v1/members/:id/recommendations',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary:
          'Recommendations with a reason (tried_in_store, favourited, bought_together, bestseller), in stock for the channel; not personalised without personalization consent',
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            channel: {
              type: 'string',
              enum: [...CHANNELS],
              description: 'Whose stock counts (default: the caller’s channel, else online)',
            },
            limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              memberId: { type: 'string' },
              personalized: { type: 'boolean' },
              channel: { type: 'string' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    sku: { type: 'string' },
                    name: { type: 'string' },
                    productCode: { type: 'string' },
                    price: { type: 'integer' },
                    reason: {
                      type: 'string',
                      enum: ['tried_in_store', 'favourited', 'bought_together', 'bestseller'],
                    },
                    score: { type: 'number' },
                    available: { type: 'integer' },
                    store: { type: ['string', 'null'] },
                    at: { type: 'string' },
                    count: { type: 'integer' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      const memberId = await memberFor(ctx, principal, request.params.id);
      const channel = request.query.channel ?? (principal.role === 'channel' ? principal.channel : 'online');
      return recommendationsFor(db, memberId, { channel, limit: request.query.limit });
    },
  );
}
