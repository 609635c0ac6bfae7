import { memberInScope } from '../members/index.js';
import {
  type Api,
  type AppContext,
  AuthErrors,
  actorName,
  actorOf,
  command,
  idParams,
  isStoreScoped,
  listOf,
  type Principal,
  pageOf,
  pageQuery,
  STAFF_ROLES,
} from '../platform/index.js';
import {
  Experience,
  Favourite,
  FavouriteParams,
  FavouriteSaved,
  NewExperience,
  NewFavourite,
  RecommendationQuery,
  Recommendations,
} from './experience.contract.js';
import {
  experiencesOf,
  favouritesOf,
  recommendationsFor,
  recordExperience,
  removeFavourite,
  saveFavourite,
} from './experience.service.js';

const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

/** The member behind a path id (merges followed); a customer only reaches their own. */
const memberFor = (ctx: AppContext, principal: Principal, requestedId: string) =>
  memberInScope(ctx.database.db, principal, requestedId);

export function registerExperienceRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.post(
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
        body: NewExperience,
        response: { 201: Experience },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const guide = request.body.guide ?? (principal.role === 'guide' ? principal.subject : undefined);
      return command(ctx, request, reply, 201, (trx) =>
        recordExperience(trx, { ...request.body, guide, recordedBy: actorName(actorOf(request)) }),
      );
    },
  );

  app.get(
    '/v1/members/:id/experiences',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary: "A member's in-store experiences, newest first",
        params: idParams,
        querystring: pageQuery(),
        response: { 200: pageOf(Experience) },
      },
    },
    async (request) =>
      experiencesOf(db, await memberFor(ctx, request.principal, request.params.id), request.query),
  );

  app.post(
    '/v1/members/:id/favourites',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary:
          'Save a product as a favourite (scanned in store, or in an app); saving again keeps the first',
        params: idParams,
        body: NewFavourite,
        response: { 201: FavouriteSaved },
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
          recordedBy: actorName(actorOf(request)),
        });
        return { ...favourite, created };
      });
    },
  );

  app.delete(
    '/v1/members/:id/favourites/:sku',
    {
      config: { auth: { roles: ['customer', 'channel', 'admin', 'ops'] } },
      schema: {
        tags: ['experience'],
        summary:
          'Take a product off her favourites (answers the favourites left); one never saved changes nothing',
        params: FavouriteParams,
        response: { 200: listOf(Favourite) },
      },
    },
    async (request, reply) => {
      const memberId = await memberFor(ctx, request.principal, request.params.id);
      return command(ctx, request, reply, 200, async (trx) => ({
        items: await removeFavourite(trx, memberId, request.params.sku),
      }));
    },
  );

  app.get(
    '/v1/members/:id/favourites',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary: "A member's favourites, newest first",
        params: idParams,
        response: { 200: listOf(Favourite) },
      },
    },
    async (request) => ({
      items: await favouritesOf(db, await memberFor(ctx, request.principal, request.params.id)),
    }),
  );

  app.get(
    '/v1/members/:id/recommendations',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['experience'],
        summary:
          'Recommendations with a reason (tried_in_store, favourited, bought_together, bestseller), in stock for the channel; not personalised without personalization consent',
        params: idParams,
        querystring: RecommendationQuery,
        response: { 200: Recommendations },
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
