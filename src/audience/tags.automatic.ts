import { getSkus } from '../catalog/index.js';
import { type Engine, insertRows, nowIso, type Trx } from '../platform/index.js';
import { profileChanged } from './audience.events.js';
import type { TagSource } from './audience.schema.js';
import type { SegmentRule } from './segments.contract.js';
import { matchesPerRule } from './segments.members.js';
import { compileContext, matchingMembers } from './segments.service.js';
import { movesWithTime } from './segments.sql.js';
import type { TagFeed } from './tags.contract.js';
import { keepOnePerGroup, ruleTagMoves, tagsFedBy } from './tags.rules.js';
import { setMemberTag } from './tags.service.js';

// Tags nobody sets by hand: rule tags (kept like a segment's membership, set-based) and tags fed by trials and
// purchases (each fact's members, one by one, through setMemberTag so that exclusive groups hold).

const CHUNK = 500;

/**
 * Re-evaluates rule tags — one tag, some members (a consumer: their profile changed), or everyone (the hourly pass:
 * only rules that move with time) — setting and taking off each tag with history, in the caller's transaction.
 */
export async function refreshRuleTags(
  trx: Trx,
  engine: Engine,
  options: { tagCode?: string; memberIds?: readonly string[]; onlyMoving?: boolean; now?: Date },
): Promise<{ set: number; removed: number }> {
  const ids = options.memberIds === undefined ? undefined : [...new Set(options.memberIds)];
  if (ids !== undefined && ids.length === 0) return { set: 0, removed: 0 };
  let query = trx.selectFrom('tags').select(['code', 'rule']).where('rule', 'is not', null);
  if (options.tagCode !== undefined) query = query.where('code', '=', options.tagCode);
  // On PostgreSQL the rows are locked: a rule changed meanwhile waits for this pass, or this pass reads the new rule
  // (never sets a tag by the old rule after the new one took it off). SQLite runs one writer at a time.
  if (engine === 'postgres') query = query.forUpdate();
  const tags = await query.orderBy('code').execute();
  if (tags.length === 0) return { set: 0, removed: 0 };
  const ctx = await compileContext(trx, engine, options.now);
  const at = nowIso();
  const changed = new Set<string>();
  let set = 0;
  let removed = 0;
  const wanted = tags
    .map((tag) => ({ code: tag.code, rule: JSON.parse(tag.rule!) as SegmentRule }))
    .filter((tag) => !options.onlyMoving || movesWithTime(tag.rule));
  // Some members (an event's): every rule in one statement (as segments do).
  const matched =
    ids === undefined
      ? undefined
      : await matchesPerRule(
          trx,
          wanted.map((t) => t.rule),
          ctx,
          ids,
        );
  for (const [index, tag] of wanted.entries()) {
    const matching = matched ? matched[index]! : await matchingMembers(trx, tag.rule, ctx);
    const moves = ruleTagMoves(matching, await holdersOf(trx, tag.code, ids));
    if (moves.set.length === 0 && moves.remove.length === 0) continue;
    const actor = `rule:${tag.code}`;
    await insertRows(
      trx,
      'member_tags',
      moves.set.map((member_id) => ({
        member_id,
        tag_code: tag.code,
        source: 'rule' as const,
        set_by: actor,
        set_at: at,
      })),
    );
    for (let i = 0; i < moves.remove.length; i += CHUNK) {
      await trx
        .deleteFrom('member_tags')
        .where('tag_code', '=', tag.code)
        .where('member_id', 'in', moves.remove.slice(i, i + CHUNK))
        .execute();
    }
    const line = (member_id: string, action: 'set' | 'removed') => ({
      member_id,
      tag_code: tag.code,
      action,
      source: 'rule' as const,
      actor,
      at,
    });
    await insertRows(trx, 'member_tag_history', [
      ...moves.set.map((m) => line(m, 'set')),
      ...moves.remove.map((m) => line(m, 'removed')),
    ]);
    for (const m of [...moves.set, ...moves.remove]) changed.add(m);
    set += moves.set.length;
    removed += moves.remove.length;
  }
  if (changed.size > 0) await profileChanged(trx, changed, 'tags');
  return { set, removed };
}

async function holdersOf(trx: Trx, tagCode: string, ids?: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const read = (chunk?: readonly string[]) => {
    let q = trx.selectFrom('member_tags').select('member_id').where('tag_code', '=', tagCode);
    if (chunk) q = q.where('member_id', 'in', chunk);
    return q.execute();
  };
  if (ids === undefined) for (const r of await read()) found.add(r.member_id);
  else
    for (let i = 0; i < ids.length; i += CHUNK)
      for (const r of await read(ids.slice(i, i + CHUNK))) found.add(r.member_id);
  return found;
}

/** The tags with a feed, and each one's group, as the feeds read them. */
async function fedTags(trx: Trx) {
  const rows = await trx
    .selectFrom('tags')
    .leftJoin('tag_groups', 'tag_groups.code', 'tags.group_code')
    .select(['tags.code', 'tags.feed', 'tags.group_code', 'tag_groups.exclusive'])
    .where('tags.feed', 'is not', null)
    .orderBy('tags.code')
    .execute();
  return {
    tags: rows.map((r) => ({ code: r.code, feed: JSON.parse(r.feed!) as TagFeed })),
    groups: new Map(
      rows.map((r) => [r.code, { group: r.group_code, exclusive: Number(r.exclusive ?? 0) === 1 }]),
    ),
  };
}

/** A trial's result feeds her tags ({skinType: "dry"} → the tag fed by skinType = dry). */
export async function feedFromTrial(
  trx: Trx,
  trial: { id: string; memberId: string; result: Record<string, unknown> | null; recordedAt: string },
): Promise<string[]> {
  if (!trial.result) return [];
  const { tags, groups } = await fedTags(trx);
  if (tags.length === 0) return [];
  const codes = keepOnePerGroup(tagsFedBy(tags, trial.result), groups);
  return setFed(trx, trial.memberId, codes, 'trial', `trial:${trial.id}`, trial.recordedAt);
}

/** A purchase's SKUs feed her tags by their attributes ({size: "M"}), history imports included. */
export async function feedFromPurchase(
  trx: Trx,
  order: { id: string; memberId: string; skus: readonly string[]; at: string; imported: boolean },
): Promise<string[]> {
  const { tags, groups } = await fedTags(trx);
  if (tags.length === 0) return [];
  const skus = await getSkus(trx, order.skus);
  const fed = order.skus.flatMap((code) => tagsFedBy(tags, skus.get(code)?.attributes ?? {}));
  const codes = keepOnePerGroup(fed, groups);
  const source: TagSource = order.imported ? 'import' : 'purchase';
  return setFed(trx, order.memberId, codes, source, `order:${order.id}`, order.at);
}

async function setFed(
  trx: Trx,
  memberId: string,
  codes: readonly string[],
  source: TagSource,
  actor: string,
  at: string,
): Promise<string[]> {
  const set: string[] = [];
  for (const tagCode of codes) {
    const outcome = await setMemberTag(trx, { memberId, tagCode, source, actor, at });
    if (outcome.changed) set.push(tagCode);
  }
  return set;
}

/**
 * A merge moves the merged member's tags to the one who stays (a tag both held keeps the survivor's source), with
 * history on both; rule tags then follow the survivor's profile.
 */
export async function moveTagsOnMerge(trx: Trx, into: string, from: string, at = nowIso()): Promise<void> {
  const moving = await trx.deleteFrom('member_tags').where('member_id', '=', from).returningAll().execute();
  if (moving.length === 0) return;
  await trx
    .insertInto('member_tags')
    .values(moving.map((t) => ({ ...t, member_id: into })))
    .onConflict((oc) => oc.columns(['member_id', 'tag_code']).doNothing())
    .execute();
  await insertRows(
    trx,
    'member_tag_history',
    moving.flatMap((t) => [
      {
        member_id: from,
        tag_code: t.tag_code,
        action: 'removed' as const,
        source: t.source,
        actor: `merge:${into}`,
        at,
      },
      {
        member_id: into,
        tag_code: t.tag_code,
        action: 'set' as const,
        source: t.source,
        actor: `merge:${from}`,
        at,
      },
    ]),
  );
  await profileChanged(trx, [into, from], 'tags');
}
