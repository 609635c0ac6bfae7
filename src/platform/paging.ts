import { RequestErrors } from './errors.js';

/**
 * List cursors: the key of the last row a page gave out (its sort columns), opaque to clients — base64url of a
 * JSON array. One codec for every list, so that a cursor this server did not give out is refused the same way
 * everywhere: 400 `REQUEST.INVALID` naming `query.cursor`, never a 500 from a parse deep in a query.
 */
export type CursorKey = readonly (string | number)[];

type PartKind = 'string' | 'number';
type KeyOf<K extends readonly PartKind[]> = {
  -readonly [I in keyof K]: K[I] extends 'number' ? number : string;
};

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The key a cursor stands for, checked against the kinds of its parts (`['string', 'number']`); no cursor gives
 * undefined (the first page).
 */
export function decodeCursor<const K extends readonly PartKind[]>(
  cursor: string | undefined,
  kinds: K,
): KeyOf<K> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const fits =
    Array.isArray(key) &&
    key.length === kinds.length &&
    key.every((part, i) =>
      kinds[i] === 'number' ? Number.isSafeInteger(part) : typeof part === 'string' && !part.includes('\0'),
    ) &&
    // Only the exact text we give out: another spelling of the same bytes is not one of ours.
    encodeCursor(key) === cursor;
  if (!fits) throw invalidCursor();
  return key as KeyOf<K>;
}

function invalidCursor() {
  return RequestErrors.invalid('The cursor is not one this list gave out', {
    errors: [{ path: 'query.cursor', message: 'is not a cursor this list gave out' }],
  });
}
