import { describe, expect, it } from 'vitest';
import { newId, ulid } from './ids.js';

describe('server-made ids', () => {
  it('sort in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('ord'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep sorting forward when the clock steps back', () => {
    const later = ulid(Date.now() + 60_000);
    const earlierClock = ulid(Date.now());
    expect(earlierClock > later).toBe(true);
  });
});
