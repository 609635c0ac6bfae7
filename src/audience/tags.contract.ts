import Type, { type Static } from 'typebox';
import { Nullable, StringEnum } from '../platform/index.js';
import { SegmentRuleSchema } from './segments.contract.js';

const Code = Type.String({ pattern: '^[a-z0-9_]{1,40}$', maxLength: 40 });
/** A name in each of the console's languages. */
export const Names = Type.Object({
  'zh-CN': Type.String({ minLength: 1, maxLength: 60 }),
  'en-US': Type.String({ minLength: 1, maxLength: 60 }),
});

export const TagGroupInput = Type.Object({
  code: Code,
  names: Names,
  /** A member holds at most one tag of an exclusive group: setting one replaces the other. */
  exclusive: Type.Boolean(),
  position: Type.Integer({ minimum: 0, maximum: 10_000 }),
});
export type TagGroupInput = Static<typeof TagGroupInput>;

export const TagGroup = Type.Object({
  code: Type.String(),
  names: Names,
  exclusive: Type.Boolean(),
  position: Type.Integer(),
  /** Tags in the group. */
  tags: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type TagGroup = Static<typeof TagGroup>;

export const TagGroupList = Type.Object({ items: Type.Array(TagGroup) });
export const GroupCodeParams = Type.Object({ code: Code });

/**
 * What feeds a tag: a trial whose result has `key` = `value` ({skinType: "dry"}), or a purchase of a SKU whose
 * attributes have it ({size: "M"}). In an exclusive group the latest fact wins.
 */
export const TagFeed = Type.Object(
  {
    key: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,39}$', maxLength: 40 }),
    value: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type TagFeed = Static<typeof TagFeed>;

export const TagInput = Type.Object(
  {
    code: Code,
    /** The tag's name, shown in both languages unless `names` says each. */
    name: Type.String({ minLength: 1, maxLength: 60 }),
    names: Type.Optional(Names),
    group: Type.Optional(Code),
    /** A segment rule (API.md): the tag is set and taken off by itself as members match it. */
    rule: Type.Optional(SegmentRuleSchema),
    feed: Type.Optional(TagFeed),
  },
  { additionalProperties: false },
);
export type TagInput = Static<typeof TagInput>;

export const Tag = Type.Object({
  code: Type.String(),
  names: Names,
  group: Nullable(Type.String()),
  rule: Nullable(SegmentRuleSchema),
  feed: Nullable(TagFeed),
  /** Members holding it now. */
  members: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Tag = Static<typeof Tag>;
export const TagList = Type.Object({ items: Type.Array(Tag) });
export const TagCodeParams = Type.Object({ code: Code });
export const MemberTagParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), code: Code });

export const TAG_SOURCES = ['manual', 'rule', 'trial', 'purchase', 'import'] as const;

/** A tag a member holds: what set it (a person, a rule, a trial, a purchase) and when. */
export const MemberTag = Type.Object({
  code: Type.String(),
  names: Names,
  group: Nullable(Type.String()),
  source: StringEnum(TAG_SOURCES),
  setBy: Type.String(),
  setAt: Type.String({ format: 'date-time' }),
});
export type MemberTag = Static<typeof MemberTag>;

export const MemberTagChangeLine = Type.Object({
  code: Type.String(),
  action: StringEnum(['set', 'removed'] as const),
  source: StringEnum(TAG_SOURCES),
  actor: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const MemberTags = Type.Object({
  memberId: Type.String(),
  items: Type.Array(MemberTag),
  /** The latest changes first (at most 100). */
  history: Type.Array(MemberTagChangeLine),
});
export type MemberTags = Static<typeof MemberTags>;
