import { afterEach, describe, expect, it, vi } from 'vitest';
import { keptFor } from './kept.js';

describe('values a node keeps for a while', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a key once while its copy is young, again when it is old, after a failure, and after forget', async () => {
    vi.useFakeTimers({ now: 0 });
    const kept = keptFor<string, number>(5000);
    let reads = 0;
    const read = () => Promise.resolve(++reads);
    expect(await kept.get('a', read)).toBe(1);
    vi.setSystemTime(5000);
    expect(await kept.get('a', read)).toBe(1);
    expect(await kept.get('b', read)).toBe(2);
    vi.setSystemTime(5001);
    expect(await kept.get('a', read)).toBe(3);
    await expect(kept.get('c', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await kept.get('c', read)).toBe(4);
    kept.forget();
    expect(await kept.get('a', read)).toBe(5);
  });
});
