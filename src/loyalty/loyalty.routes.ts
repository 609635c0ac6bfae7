import { memberInScope } from '../members/index.js';
import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  command,
  listOf,
  type Principal,
  ROLES,
  STAFF_ROLES,
} from '../platform/index.js';
import { EarningRules, NewEarningRules, NewTiers, Tier } from './loyalty.contract.js';
import { getRules, listTiers, putRules, putTiers } from './loyalty.service.js';

export const HQ = ['admin', 'ops'] as const;
export const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

/** The member behind a path id (merges followed); a customer only reaches their own. */
export const memberFor = (ctx: AppContext, principal: Principal, requestedId: string) =>
  memberInScope(ctx.database.db, principal, requestedId);

export function registerLoyaltyRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;
  app.get(
    '/v1/loyalty/tiers',
    {
      config: { auth: { roles: ROLES } },
      schema: {
        tags: ['loyalty'],
        summary: 'The membership tiers, base first',
        response: { 200: listOf(Tier) },
      },
    },
    async () => ({ items: await listTiers(db) }),
  );

  app.put(
    '/v1/loyalty/tiers',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['loyalty'],
        summary:
          'Replace the tiers (thresholds rise; the first starts at 0). Downgrades wait for the yearly review',
        body: NewTiers,
        response: { 200: listOf(Tier) },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, async (trx) => ({ items: await putTiers(trx, request.body.tiers) })),
  );

  app.get(
    '/v1/loyalty/rules',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: { tags: ['loyalty'], summary: 'The points earning rules', response: { 200: EarningRules } },
    },
    async () => getRules(db),
  );

  app.put(
    '/v1/loyalty/rules',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['loyalty'],
        summary: 'Replace the points earning rules (absent fields take their defaults)',
        body: NewEarningRules,
        response: { 200: EarningRules },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => putRules(trx, request.body, actorName(actorOf(request)))),
  );
}
