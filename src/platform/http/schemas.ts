import Type, { type Static, type TProperties, type TSchema } from 'typebox';

// JSON-schema pieces every context's routes use, so that an id, a business code or a page means the same
// everywhere in the API (and in /openapi.json). Written with TypeBox: each is JSON Schema and its TypeScript type.

/** A value or null: `type: [T, "null"]` (one schema, cheaper to validate and serialize than `anyOf`). */
export function Nullable<T extends TSchema>(schema: T) {
  const type = (schema as { type?: unknown }).type;
  if (typeof type !== 'string') throw new Error('Nullable takes a schema of one type');
  const values = (schema as { enum?: unknown[] }).enum;
  // An enum lists null too, or it would refuse what the type allows.
  const nullable = values
    ? { ...schema, type: [type, 'null'], enum: [...values, null] }
    : { ...schema, type: [type, 'null'] };
  return Type.Unsafe<Static<T> | null>(nullable);
}

/** One of a fixed set of strings: `{type: "string", enum: […]}`, typed as their union. */
export function StringEnum<const V extends readonly string[]>(values: V, options: object = {}) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], ...options });
}

/** A server-made id or a brand's business code (SKU, location, coupon template). */
export const codeString = Type.String({ minLength: 1, maxLength: 64 });

export const idParams = Type.Object({ id: codeString });

export const codeParams = Type.Object({ code: codeString });

/**
 * `?limit=&cursor=` of a list answered with `{items, nextCursor}`. `limit` is optional to the caller and always
 * there for the handler (its default is filled in when validated).
 */
export const listQuery = {
  limit: Type.Unsafe<number>(Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 }))),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

/** {@link listQuery} for the lists whose cursors are short: one over 200 characters is refused (400) up front. */
export const shortListQuery = { ...listQuery, cursor: Type.Optional(Type.String({ maxLength: 200 })) };

/**
 * A paged list's querystring: its own filters (each optional: a filter not given does not filter), then its paging
 * (`listQuery` unless the context pages otherwise).
 */
export function pageQuery<
  F extends TProperties = Record<never, never>,
  P extends TProperties = typeof listQuery,
>(filters: F = {} as F, paging: P = listQuery as unknown as P) {
  return Type.Object({ ...Type.Partial(Type.Object(filters)).properties, ...paging });
}

/** One page of a list in TypeScript: what a service answers for {@link pageOf}. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One page of a list, as every paged list answers: `{items, nextCursor}` (null on the last page). */
export function pageOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });
}

/** A whole (short) list in one answer: `{items}`, without paging. */
export function listOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item) });
}

/** The optional body of a cancel or withdraw: nothing, or only a free-text reason. */
export const reasonBody = Type.Unsafe<{ reason?: string } | null>({
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 200 } },
});

/** A PATCH body: only the fields sent change; at least one, and none but these. */
export function changesBody<P extends TProperties>(properties: P) {
  return Type.Partial(Type.Object(properties), { additionalProperties: false, minProperties: 1 });
}
