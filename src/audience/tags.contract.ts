import Type, { type Static } from 'typebox';

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
