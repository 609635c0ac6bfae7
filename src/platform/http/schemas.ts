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
