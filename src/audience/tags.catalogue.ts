import {
  type Actor,
  actorName,
  type Engine,
  insertRows,
  nowIso,
  type Queryable,
  type Trx,
} from '../platform/index.js';
import { profileChanged } from './audience.events.js';
import type { TagsTable } from './audience.schema.js';
import { compileContext } from './segments.service.js';
import { compileRule } from './segments.sql.js';
import { refreshRuleTags } from './tags.automatic.js';
import type { Tag, TagInput } from './tags.contract.js';
import { TagErrors } from './tags.errors.js';
import { tagsReadBy } from './tags.rules.js';

// The brand's tags: created and changed by HQ, each manual, fed (by trials and purchases) or kept by a rule.

function toTag(row: TagsTable & { members?: unknown }): Tag {
  return {
    code: row.code,
    names: JSON.parse(row.names),
    group: row.group_code,
    rule: row.rule === null ? null : JSON.parse(row.rule),
    feed: row.feed === null ? null : JSON.parse(row.feed),
    members: Number(row.members ?? 0),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function listTags(db: Queryable, code?: string): Promise<Tag[]> {
  let query = db
    .selectFrom('tags')
    .selectAll('tags')
    .select((eb) =>
      eb
        .selectFrom('member_tags')
        .select(eb.fn.countAll().as('n'))
        .whereRef('member_tags.tag_code', '=', 'tags.code')
        .as('members'),
    )
    .orderBy('tags.group_code')
    .orderBy('tags.code');
  if (code !== undefined) query = query.where('tags.code', '=', code);
  return (await query.execute()).map(toTag);
}

export async function requireTag(db: Queryable, code: string): Promise<Tag> {
  const [tag] = await listTags(db, code);
  if (!tag) throw TagErrors.notFound(`No tag ${code}`, { extra: { tag: code } });
  return tag;
}

/** Checks what a tag says beyond its schema: its group exists, it is fed or ruled (not both), its rule compiles. */
async function validate(trx: Trx, engine: Engine, input: TagInput): Promise<void> {
  if (input.rule !== undefined && input.feed !== undefined) {
    throw TagErrors.ruleOrFeed('A tag is kept by a rule or fed by facts, not both', {
      errors: [{ path: 'feed', message: 'a tag with a rule has no feed' }],
    });
  }
  let exclusive = false;
  if (input.group !== undefined) {
    const group = await trx
      .selectFrom('tag_groups')
      .select('exclusive')
      .where('code', '=', input.group)
      .executeTakeFirst();
    if (!group)
      throw TagErrors.groupNotFound(`No tag group ${input.group}`, {
        errors: [{ path: 'group', message: 'unknown group' }],
        extra: { group: input.group },
      });
    exclusive = Number(group.exclusive) === 1;
  }
  if (input.rule === undefined) return;
  // The segment rule language's own checks (SEGMENT.RULE_INVALID naming the place in the rule).
  compileRule(input.rule, await compileContext(trx, engine));
  if (tagsReadBy(input.rule).length > 0) {
    throw TagErrors.ruleReadsTags('A rule tag may not read tags', {
      errors: [{ path: '/rule', message: 'reads tags' }],
    });
  }
  if (exclusive) {
    throw TagErrors.ruleInExclusiveGroup('A rule tag cannot be in an exclusive group', {
      errors: [{ path: 'group', message: 'exclusive' }],
      extra: { group: input.group },
    });
  }
}

function rowOf(input: TagInput) {
  return {
    names: JSON.stringify(input.names ?? { 'zh-CN': input.name, 'en-US': input.name }),
    group_code: input.group ?? null,
    rule: input.rule === undefined ? null : JSON.stringify(input.rule),
    feed: input.feed === undefined ? null : JSON.stringify(input.feed),
    updated_at: nowIso(),
  };
}

/** A new tag; a rule tag is given at once to every member who matches. */
export async function createTag(trx: Trx, engine: Engine, input: TagInput, actor: Actor): Promise<Tag> {
  await validate(trx, engine, input);
  const row = rowOf(input);
  const inserted = await trx
    .insertInto('tags')
    .values({ ...row, code: input.code, created_by: actorName(actor), created_at: row.updated_at })
    .onConflict((oc) => oc.column('code').doNothing())
    .returning('code')
    .executeTakeFirst();
  if (!inserted)
    throw TagErrors.codeTaken(`Tag ${input.code} exists`, { errors: [{ path: 'code', message: 'taken' }] });
  if (input.rule !== undefined) await refreshRuleTags(trx, engine, { tagCode: input.code });
  return requireTag(trx, input.code);
}

/** New names, group, rule or feed; a rule tag's holders follow its new rule at once. */
export async function updateTag(trx: Trx, engine: Engine, code: string, input: TagInput): Promise<Tag> {
  await requireTag(trx, code);
  await validate(trx, engine, input);
  await trx.updateTable('tags').set(rowOf(input)).where('code', '=', code).execute();
  if (input.rule !== undefined) await refreshRuleTags(trx, engine, { tagCode: code });
  return requireTag(trx, code);
}

/** A tag taken away: off every member who holds it (each with a history line), then gone. */
export async function deleteTag(trx: Trx, code: string, actor: Actor): Promise<Tag> {
  const tag = await requireTag(trx, code);
  const holders = await trx
    .deleteFrom('member_tags')
    .where('tag_code', '=', code)
    .returning('member_id')
    .execute();
  const at = nowIso();
  await insertRows(
    trx,
    'member_tag_history',
    holders.map((h) => ({
      member_id: h.member_id,
      tag_code: code,
      action: 'removed' as const,
      source: 'manual' as const,
      actor: actorName(actor),
      at,
    })),
  );
  await trx.deleteFrom('tags').where('code', '=', code).execute();
  if (holders.length > 0)
    await profileChanged(
      trx,
      holders.map((h) => h.member_id),
      'tags',
    );
  return { ...tag, members: 0 };
}
