import type { Queryable, Trx } from '../platform/index.js';
import { profileChanged } from './audience.events.js';
import type { TagSource } from './audience.schema.js';
import type { MemberTags } from './tags.contract.js';
import { TagErrors } from './tags.errors.js';

/** One change of a member's tags: who or what made it (`staff id`, `rule:<tag>`, `trial:<id>`, `order:<id>`) and when. */
export interface MemberTagChange {
  memberId: string;
  tagCode: string;
  source: TagSource;
  actor: string;
  /** ISO instant of the change (the fact's time for trials and purchases). */
  at: string;
}

export interface MemberTagOutcome {
  /** False when she already held the tag (set) or did not hold it (remove): nothing was written. */
  changed: boolean;
  /** Tags of the same exclusive group taken off her to make room for this one. */
  replaced: string[];
}

/**
 * Gives a member a tag. Idempotent: a tag she already holds keeps its first source and time and nothing is written.
 * In an exclusive group the tag replaces her other tag of the group. Every change goes to member_tag_history, and
 * the profile change is announced in the same transaction so that segments and rule tags follow.
 */
export async function setMemberTag(trx: Trx, change: MemberTagChange): Promise<MemberTagOutcome> {
  const tag = await trx
    .selectFrom('tags')
    .leftJoin('tag_groups', 'tag_groups.code', 'tags.group_code')
    .select(['tags.code', 'tags.group_code', 'tag_groups.exclusive'])
    .where('tags.code', '=', change.tagCode)
    .executeTakeFirst();
  if (!tag) throw TagErrors.notFound(`No tag ${change.tagCode}`, { extra: { tag: change.tagCode } });

  const inserted = await trx
    .insertInto('member_tags')
    .values({
      member_id: change.memberId,
      tag_code: change.tagCode,
      source: change.source,
      set_by: change.actor,
      set_at: change.at,
    })
    .onConflict((oc) => oc.columns(['member_id', 'tag_code']).doNothing())
    .returning('tag_code')
    .executeTakeFirst();
  if (!inserted) return { changed: false, replaced: [] };

  const replaced: string[] = [];
  if (tag.group_code && Number(tag.exclusive) === 1) {
    const others = await trx
      .deleteFrom('member_tags')
      .where('member_id', '=', change.memberId)
      .where('tag_code', '!=', change.tagCode)
      .where('tag_code', 'in', (eb) =>
        eb.selectFrom('tags').select('code').where('group_code', '=', tag.group_code),
      )
      .returning('tag_code')
      .execute();
    replaced.push(...others.map((o) => o.tag_code).sort());
  }
  await trx
    .insertInto('member_tag_history')
    .values([
      ...replaced.map((code) => ({
        member_id: change.memberId,
        tag_code: code,
        action: 'removed' as const,
        source: change.source,
        actor: change.actor,
        at: change.at,
      })),
      {
        member_id: change.memberId,
        tag_code: change.tagCode,
        action: 'set' as const,
        source: change.source,
        actor: change.actor,
        at: change.at,
      },
    ])
    .execute();
  await profileChanged(trx, [change.memberId], 'tags');
  return { changed: true, replaced };
}

/** Takes a tag off a member, with its history line; removing a tag she does not hold changes nothing. */
export async function removeMemberTag(trx: Trx, change: MemberTagChange): Promise<MemberTagOutcome> {
  const removed = await trx
    .deleteFrom('member_tags')
    .where('member_id', '=', change.memberId)
    .where('tag_code', '=', change.tagCode)
    .returning('tag_code')
    .executeTakeFirst();
  if (!removed) return { changed: false, replaced: [] };
  await trx
    .insertInto('member_tag_history')
    .values({
      member_id: change.memberId,
      tag_code: change.tagCode,
      action: 'removed',
      source: change.source,
      actor: change.actor,
      at: change.at,
    })
    .execute();
  await profileChanged(trx, [change.memberId], 'tags');
  return { changed: true, replaced: [] };
}

/** The tags a member holds (in their groups' order) and the latest 100 changes of them. */
export async function memberTags(db: Queryable, memberId: string): Promise<MemberTags> {
  const [held, history] = await Promise.all([
    db
      .selectFrom('member_tags as mt')
      .innerJoin('tags', 'tags.code', 'mt.tag_code')
      .leftJoin('tag_groups as g', 'g.code', 'tags.group_code')
      .select(['mt.tag_code', 'tags.names', 'tags.group_code', 'mt.source', 'mt.set_by', 'mt.set_at'])
      .where('mt.member_id', '=', memberId)
      .orderBy('g.position')
      .orderBy('mt.tag_code')
      .execute(),
    db
      .selectFrom('member_tag_history')
      .select(['tag_code', 'action', 'source', 'actor', 'at'])
      .where('member_id', '=', memberId)
      .orderBy('seq', 'desc')
      .limit(100)
      .execute(),
  ]);
  return {
    memberId,
    items: held.map((t) => ({
      code: t.tag_code,
      names: JSON.parse(t.names),
      group: t.group_code,
      source: t.source,
      setBy: t.set_by,
      setAt: t.set_at,
    })),
    history: history.map((h) => ({
      code: h.tag_code,
      action: h.action,
      source: h.source,
      actor: h.actor,
      at: h.at,
    })),
  };
}
