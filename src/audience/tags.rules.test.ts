import { describe, expect, it } from 'vitest';
import { keepOnePerGroup, ruleTagMoves, tagsFedBy, tagsReadBy } from './tags.rules.js';

describe('tag rules', () => {
  it('find the tags a rule reads, however deep', () => {
    expect(
      tagsReadBy({
        all: [{ tag: 'a' }, { any: [{ not: { tag: 'b' } }, { trait: 'orderCount', op: '>', value: 1 }] }],
      }),
    ).toEqual(['a', 'b']);
    expect(tagsReadBy({ consent: 'marketing' })).toEqual([]);
  });

  it('feed a tag from a fact with the key and value, compared as text', () => {
    const tags = [
      { code: 'dry', feed: { key: 'skinType', value: 'dry' } },
      { code: 'size_38', feed: { key: 'size', value: '38' } },
      { code: 'vegan', feed: { key: 'vegan', value: 'true' } },
    ];
    expect(tagsFedBy(tags, { skinType: 'dry', size: 38, vegan: true })).toEqual(['dry', 'size_38', 'vegan']);
    expect(tagsFedBy(tags, { skinType: 'oily', size: { eu: 38 } })).toEqual([]);
  });

  it('keep the last fed tag of an exclusive group, and every tag of the others', () => {
    const groups = new Map([
      ['dry', { group: 'skin', exclusive: true }],
      ['oily', { group: 'skin', exclusive: true }],
      ['floral', { group: 'scent', exclusive: false }],
      ['woody', { group: 'scent', exclusive: false }],
    ]);
    expect(keepOnePerGroup(['dry', 'floral', 'oily', 'woody'], groups).sort()).toEqual([
      'floral',
      'oily',
      'woody',
    ]);
  });

  it('move a rule tag onto who matches and off who no longer does', () => {
    expect(ruleTagMoves(new Set(['a', 'b']), new Set(['b', 'c']))).toEqual({ set: ['a'], remove: ['c'] });
    expect(ruleTagMoves(new Set(), new Set())).toEqual({ set: [], remove: [] });
  });
});
