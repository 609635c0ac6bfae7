import { describe, expect, it } from 'vitest';
import { isDomainError, RequestErrors } from './errors.js';
import { decodeCursor, encodeCursor } from './paging.js';

function refusal(cursor: string, kinds: readonly ('string' | 'number')[]) {
  try {
    decodeCursor(cursor, kinds);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('list cursors', () => {
  it('reads back the key it gave out', () => {
    const cursor = encodeCursor(['SH01', 'SKU-1', 42]);
    expect(decodeCursor(cursor, ['string', 'string', 'number'])).toEqual(['SH01', 'SKU-1', 42]);
    expect(decodeCursor(undefined, ['string'])).toBeUndefined();
    expect(decodeCursor('', ['string'])).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'abc', ['string']],
    ['JSON true', 'dHJ1ZQ', ['string']],
    ['[null,{}]', 'W251bGwse31d', ['string', 'string']],
    ['another arity', encodeCursor(['a', 'b']), ['string']],
    ['another kind', encodeCursor(['a']), ['number']],
    ['a fraction', encodeCursor([1.5]), ['number']],
    ['a NUL byte', encodeCursor(['a\0b']), ['string']],
    ['another spelling of the same bytes', `${encodeCursor(['a'])}=`, ['string']],
  ] as const)('refuses %s with 400 REQUEST.INVALID on query.cursor', (_, cursor, kinds) => {
    const error = refusal(cursor, kinds);
    expect(isDomainError(error, RequestErrors.invalid)).toBe(true);
    expect((error as { errors: unknown }).errors).toEqual([
      { path: 'query.cursor', message: 'is not a cursor this list gave out' },
    ]);
  });
});
