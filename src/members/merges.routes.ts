import Type from 'typebox';
import {
  type Api,
  type AppContext,
  actorOf,
  codeString,
  command,
  idParams,
  pageOf,
  pageQuery,
} from '../platform/index.js';
import { HQ, MergeLogEntry } from './members.http.js';
import { piiFor } from './members.pii.js';
import { IDENTIFIER_TYPES } from './members.rules.js';
import { blockIdentifier, decideReview, listMerges, listReviews, unmerge } from './merges.service.js';

const reviewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    reason: { type: 'string' },
    memberIds: { type: 'array', items: { type: 'string' } },
    identifiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { type: { type: 'string' }, appId: { type: 'string' }, masked: { type: 'string' } },
      },
    },
    channel: { type: 'string' },
    createdAt: { type: 'string' },
    decidedAt: { type: ['string', 'null'] },
    decidedBy: { type: ['string', 'null'] },
    mergeIds: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function registerMergeRoutes(app: Api, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/merges',
    {
      config: { auth: { roles: HQ } },
      schema: {
        response: { 200: Type.Object({ items: Type.Array(MergeLogEntry), nextCursor: Type.Null() }) },
        tags: ['members'],
        summary: 'The merge log of a member',
        params: idParams,
      },
    },
    async (request) => ({ items: await listMerges(db, request.params.id), nextCursor: null }),
  );

  app.post(
    '/v1/members/:id/unmerge',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['members'],
        summary: 'Undo a merge: both members as before, with every re-pointed row',
        params: idParams,
        body: {
          type: 'object',
          required: ['mergeId'],
          additionalProperties: false,
          properties: { mergeId: codeString },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              memberId: { type: 'string' },
              restoredMemberId: { type: 'string' },
              mergeId: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        unmerge(trx, pii, request.params.id, request.body.mergeId, actorOf(request)),
      ),
  );

  app.get(
    '/v1/identity/reviews',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['members'],
        summary: 'Identity reviews: cases One ID would not merge on its own',
        querystring: pageQuery({ status: { type: 'string', enum: ['pending', 'merged', 'rejected'] } }),
        response: { 200: pageOf(reviewSchema) },
      },
    },
    async (request) => listReviews(db, pii, request.query),
  );

  for (const decision of ['merge', 'reject'] as const) {
    app.post(
      `/v1/identity/reviews/:id/${decision}`,
      {
        config: { auth: { roles: HQ } },
        schema: {
          tags: ['members'],
          summary:
            decision === 'merge'
              ? 'The members are one person: merge them and attach the held-back identifiers'
              : 'The members are different people: keep them apart',
          params: idParams,
          response: { 200: reviewSchema },
        },
      },
      async (request, reply) =>
        command(ctx, request, reply, 200, (trx) =>
          decideReview(trx, pii, request.params.id, decision, actorOf(request)),
        ),
    );
  }

  app.post(
    '/v1/identity/blocklist',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['members'],
        summary: 'Never identify anyone by this value (a shared store device, a test phone)',
        body: {
          type: 'object',
          required: ['type', 'value', 'reason'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: [...IDENTIFIER_TYPES] },
            value: { type: 'string', minLength: 1, maxLength: 256 },
            appId: { type: 'string', maxLength: 64 },
            reason: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              appId: { type: 'string' },
              masked: { type: 'string' },
              reason: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => blockIdentifier(trx, pii, request.body, actorOf(request))),
  );
}
