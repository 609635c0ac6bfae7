import type { SegmentRule } from './segments.contract.js';
import type { TagFeed } from './tags.contract.js';

// Pure decisions about tags: which tags a fact feeds, which tags a rule reads, who a rule tag moves.

/** The tag codes a rule reads (a rule tag may not read tags: two rule tags reading each other would never settle). */
export function tagsReadBy(rule: SegmentRule): string[] {
  if ('all' in rule) return rule.all.flatMap(tagsReadBy);
  if ('any' in rule) return rule.any.flatMap(tagsReadBy);
  if ('not' in rule) return tagsReadBy(rule.not);
  if ('tag' in rule) return [rule.tag];
  return [];
}

/**
 * The tags a fact feeds: those whose feed's key the fact has with the feed's value (compared as text, so that a
 * trial's `{size: 38}` feeds a tag of `{key: "size", value: "38"}`). In order of the tags given.
 */
export function tagsFedBy(
  tags: readonly { code: string; feed: TagFeed }[],
  facts: Readonly<Record<string, unknown>>,
): string[] {
  return tags
    .filter(({ feed }) => {
      const value = facts[feed.key];
      return (
        (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') &&
        String(value) === feed.value
      );
    })
    .map((t) => t.code);
}

/** Of one exclusive group's fed tags, the one a member keeps: the last fact's (a later trial says her skin now). */
export function keepOnePerGroup(
  fed: readonly string[],
  groupOf: ReadonlyMap<string, { group: string | null; exclusive: boolean }>,
): string[] {
  const kept = new Map<string, string>();
  for (const code of fed) {
    const info = groupOf.get(code);
    kept.set(info?.exclusive && info.group ? `group:${info.group}` : `tag:${code}`, code);
  }
  return [...new Set(kept.values())];
}

/** Who a rule tag sets and takes off: members who match and lack it, and holders who no longer match. */
export function ruleTagMoves(
  matching: ReadonlySet<string>,
  holders: ReadonlySet<string>,
): { set: string[]; remove: string[] } {
  return {
    set: [...matching].filter((m) => !holders.has(m)).sort(),
    remove: [...holders].filter((m) => !matching.has(m)).sort(),
  };
}
