import Type from 'typebox';
import { type Api, type AppContext, actorOf, command, idParams, pageOf } from '../platform/index.js';
import {
  Blocked,
  BlockedIdentifier,
  IdentityReview,
  ReviewQuery,
  Unmerge,
  Unmerged,
} from './members.contract.js';
import { HQ, MergeLogEntry } from './members.http.js';
import { piiFor } from './members.pii.js';
import { blockIdentifier, decideReview, listMerges, listReviews, unmerge } from './merges.service.js';

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
        body: Unmerge,
        response: { 200: Unmerged },
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
        querystring: ReviewQuery,
        response: { 200: pageOf(IdentityReview) },
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
          response: { 200: IdentityReview },
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
        body: BlockedIdentifier,
        response: { 201: Blocked },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => blockIdentifier(trx, pii, request.body, actorOf(request))),
  );
}
