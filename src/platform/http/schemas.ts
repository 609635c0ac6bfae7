// JSON-schema pieces every context's routes use, so that an id, a business code or a page means the same
// everywhere in the API (and in /openapi.json).

/** A server-made id or a brand's business code (SKU, location, coupon template). */
export const codeString = { type: 'string', minLength: 1, maxLength: 64 } as const;

export const idParams = { type: 'object', required: ['id'], properties: { id: codeString } } as const;

export const codeParams = { type: 'object', required: ['code'], properties: { code: codeString } } as const;

/** `?limit=&cursor=` of a list answered with `{items, nextCursor}`. */
export const listQuery = {
  limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  cursor: { type: 'string', maxLength: 500 },
} as const;

/** {@link listQuery} for the lists whose cursors are short: one over 200 characters is refused (400) up front. */
export const shortListQuery = { ...listQuery, cursor: { type: 'string', maxLength: 200 } } as const;

/** A paged list's querystring: its own filters, then its paging (`listQuery` unless the context pages otherwise). */
export function pageQuery<F extends object = Record<never, never>, P extends object = typeof listQuery>(
  filters: F = {} as F,
  paging: P = listQuery as P,
) {
  return { type: 'object', properties: { ...filters, ...paging } } as const;
}

/** One page of a list, as every paged list answers: `{items, nextCursor}` (null on the last page). */
export function pageOf<T extends object>(item: T) {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
  } as const;
}

/** A whole (short) list in one answer: `{items}`, without paging. */
export function listOf<T extends object>(item: T) {
  return { type: 'object', properties: { items: { type: 'array', items: item } } } as const;
}

/** The optional body of a cancel or withdraw: nothing, or only a free-text reason. */
export const reasonBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 200 } },
} as const;

/** A PATCH body: only the fields sent change; at least one, and none but these. */
export function changesBody<P extends object>(properties: P) {
  return { type: 'object', additionalProperties: false, minProperties: 1, properties } as const;
}
