import { memberInScope } from '../members/index.js';
import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  command,
  idParams,
  nowIso,
  type Principal,
  STAFF_ROLES,
  type Trx,
} from '../platform/index.js';
import { requireTag } from './tags.catalogue.js';
import { MemberTagParams, MemberTags } from './tags.contract.js';
import { TagErrors } from './tags.errors.js';
import { memberTags, removeMemberTag, setMemberTag } from './tags.service.js';

/**
 * A member's tags by hand: HQ and store staff set and take off manual and fed tags (a rule tag follows its rule
 * only); every change is kept with who made it. Answers are the member's tags and their history.
 */
export function registerMemberTagRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/members/:id/tags',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'customer'] } },
      schema: {
        tags: ['audience'],
        summary: "A member's tags, what set each and when, and the latest changes",
        params: idParams,
        response: { 200: MemberTags },
      },
    },
    async (request) => memberTags(db, await memberInScope(db, request.principal, request.params.id)),
  );

  const route = (summary: string) => ({
    config: { auth: { roles: STAFF_ROLES } },
    schema: { tags: ['audience'], summary, params: MemberTagParams, response: { 200: MemberTags } },
  });
  /** Checks the member and the tag before the transaction, then sets or removes inside it (idempotent). */
  const byHand = async (
    principal: Principal,
    params: { id: string; code: string },
    actor: string,
    change: typeof setMemberTag,
    run: (work: (trx: Trx) => Promise<MemberTags>) => Promise<MemberTags>,
  ) => {
    const memberId = await memberInScope(db, principal, params.id);
    const tag = await requireTag(db, params.code);
    if (tag.rule !== null)
      throw TagErrors.setByRule(`Tag ${tag.code} follows its rule`, { extra: { tag: tag.code } });
    return run(async (trx) => {
      await change(trx, { memberId, tagCode: tag.code, source: 'manual', actor, at: nowIso() });
      return memberTags(trx, memberId);
    });
  };

  app.put(
    '/v1/members/:id/tags/:code',
    route('Give a member a tag by hand (in an exclusive group it replaces her other tag of the group)'),
    (request, reply) =>
      byHand(request.principal, request.params, actorName(actorOf(request)), setMemberTag, (work) =>
        command(ctx, request, reply, 200, work),
      ),
  );
  app.delete('/v1/members/:id/tags/:code', route('Take a tag off a member by hand'), (request, reply) =>
    byHand(request.principal, request.params, actorName(actorOf(request)), removeMemberTag, (work) =>
      command(ctx, request, reply, 200, work),
    ),
  );
}
