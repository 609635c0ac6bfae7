import {
  type Api,
  type AppContext,
  actorOf,
  command,
  nowIso,
  type Queryable,
  STAFF_ROLES,
} from '../platform/index.js';
import { createTag, deleteTag, listTags, requireTag, updateTag } from './tags.catalogue.js';
import {
  GroupCodeParams,
  Tag,
  TagCodeParams,
  TagGroup,
  TagGroupInput,
  TagGroupList,
  TagInput,
  TagList,
} from './tags.contract.js';
import { TagErrors } from './tags.errors.js';

const HQ = ['admin', 'ops'] as const;

async function listGroups(db: Queryable, code?: string): Promise<TagGroup[]> {
  let query = db
    .selectFrom('tag_groups as g')
    .select((eb) => [
      'g.code',
      'g.names',
      'g.exclusive',
      'g.position',
      'g.updated_at',
      eb
        .selectFrom('tags')
        .select(eb.fn.countAll().as('n'))
        .whereRef('tags.group_code', '=', 'g.code')
        .as('tags'),
    ])
    .orderBy('g.position')
    .orderBy('g.code');
  if (code) query = query.where('g.code', '=', code);
  return (await query.execute()).map((g) => ({
    code: g.code,
    names: JSON.parse(g.names),
    exclusive: Number(g.exclusive) === 1,
    position: Number(g.position),
    tags: Number(g.tags ?? 0),
    updatedAt: g.updated_at,
  }));
}

export function registerTagRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  app.get(
    '/v1/tag-groups',
    {
      config: { auth: { roles: HQ } },
      schema: { tags: ['audience'], summary: 'Tag groups, in their order', response: { 200: TagGroupList } },
    },
    async () => ({ items: await listGroups(db) }),
  );

  app.post(
    '/v1/tag-groups',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Create a tag group',
        body: TagGroupInput,
        response: { 201: TagGroup },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, async (trx) => {
        const group = request.body;
        const inserted = await trx
          .insertInto('tag_groups')
          .values({
            code: group.code,
            names: JSON.stringify(group.names),
            exclusive: group.exclusive ? 1 : 0,
            position: group.position,
            updated_at: nowIso(),
          })
          .onConflict((oc) => oc.column('code').doNothing())
          .returning('code')
          .executeTakeFirst();
        if (!inserted)
          throw TagErrors.codeTaken(`Tag group ${group.code} exists`, {
            errors: [{ path: 'code', message: 'taken' }],
          });
        return (await listGroups(trx, group.code))[0]!;
      }),
  );

  app.put(
    '/v1/tag-groups/:code',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: "Change a tag group's names, exclusivity or position",
        params: GroupCodeParams,
        body: TagGroupInput,
        response: { 200: TagGroup },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, async (trx) => {
        const group = request.body;
        const updated = await trx
          .updateTable('tag_groups')
          .set({
            names: JSON.stringify(group.names),
            exclusive: group.exclusive ? 1 : 0,
            position: group.position,
            updated_at: nowIso(),
          })
          .where('code', '=', request.params.code)
          .returning('code')
          .executeTakeFirst();
        if (!updated) throw TagErrors.groupNotFound(`No tag group ${request.params.code}`);
        return (await listGroups(trx, request.params.code))[0]!;
      }),
  );

  registerTagCatalogueRoutes(app, ctx);
}

/** The tags themselves: listed with their holders, created (a rule tag is given at once), changed, deleted. */
function registerTagCatalogueRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;
  const engine = ctx.database.engine;

  app.get(
    '/v1/tags',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['audience'],
        summary: 'Tags, by group, with how many members hold each',
        response: { 200: TagList },
      },
    },
    async () => ({ items: await listTags(db) }),
  );

  app.get(
    '/v1/tags/:code',
    {
      config: { auth: { roles: HQ } },
      schema: { tags: ['audience'], summary: 'One tag', params: TagCodeParams, response: { 200: Tag } },
    },
    async (request) => requireTag(db, request.params.code),
  );

  app.post(
    '/v1/tags',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary:
          'Create a tag: manual, fed by trials and purchases, or kept by a rule (given at once to who matches)',
        body: TagInput,
        response: { 201: Tag },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => createTag(trx, engine, request.body, actorOf(request))),
  );

  app.put(
    '/v1/tags/:code',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary:
          "Change a tag's names, group, feed or rule (a rule tag's holders follow the new rule at once)",
        params: TagCodeParams,
        body: TagInput,
        response: { 200: Tag },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateTag(trx, engine, request.params.code, request.body)),
  );

  app.delete(
    '/v1/tags/:code',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['audience'],
        summary: 'Delete a tag: taken off every member who holds it (with history), then gone',
        params: TagCodeParams,
        response: { 200: Tag },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => deleteTag(trx, request.params.code, actorOf(request))),
  );
}
