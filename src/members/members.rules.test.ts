import { describe, expect, it } from 'vitest';
import {
  type CandidateMember,
  type IncomingIdentifier,
  maskEmail,
  maskName,
  maskPhone,
  normaliseIdentifier,
  normalisePhone,
  resolveIdentity,
} from './members.rules.js';

describe('normalisation', () => {
  it.each([
    ['13812345678', '+8613812345678'],
    ['+86 138 1234 5678', '+8613812345678'],
    ['0086 138-1234-5678', '+8613812345678'],
    ['8613812345678', '+8613812345678'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['12345', undefined],
    ['+86 12812345678', undefined],
    ['phone', undefined],
  ])('phone %s → %s', (raw, expected) => {
    expect(normalisePhone(raw)).toBe(expected);
  });

  it('lower-cases e-mail, upper-cases cards, sets junk aside', () => {
    expect(normaliseIdentifier({ type: 'email', value: ' Alice@X.COM ' })).toMatchObject({
      ok: true,
      identifier: { value: 'alice@x.com', appId: '' },
    });
    expect(normaliseIdentifier({ type: 'card', value: 'lj001' })).toMatchObject({
      identifier: { value: 'LJ001' },
    });
    for (const junk of ['null', 'undefined', 'TEST', '']) {
      expect(normaliseIdentifier({ type: 'unionid', value: junk })).toEqual({ ok: false, junk: true });
    }
    expect(normaliseIdentifier({ type: 'phone', value: '00000000000' })).toEqual({ ok: false, junk: true });
    expect(normaliseIdentifier({ type: 'phone', value: '13800000000' }).ok).toBe(true);
    expect(normaliseIdentifier({ type: 'openid', value: 'oAbcdef' })).toMatchObject({
      ok: false,
      junk: false,
    });
  });

  it('masks what store staff see', () => {
    expect(maskPhone('+8613812345678')).toBe('138****5678');
    expect(maskEmail('alice@x.com')).toBe('a***@x.com');
    expect(maskName('张三')).toBe('张*');
  });
});

const incoming = (
  type: IncomingIdentifier['type'],
  value: string,
  ownerId: string | null,
  verified = false,
): IncomingIdentifier => ({ type, appId: '', value, blindIndex: `bi:${type}:${value}`, ownerId, verified });

const member = (
  id: string,
  createdAt: string,
  held: [IncomingIdentifier['type'], string, boolean?][],
): CandidateMember => ({
  id,
  createdAt,
  identifiers: held.map(([type, value, verified], i) => ({
    id: `${id}-${i}`,
    memberId: id,
    type,
    appId: '',
    blindIndex: `bi:${type}:${value}`,
    verified: verified === true,
  })),
});

describe('resolveIdentity', () => {
  it('creates when nobody holds any identifier', () => {
    const r = resolveIdentity([incoming('phone', 'p1', null, true)], []);
    expect(r).toMatchObject({ targetId: null, mergeSourceIds: [], review: null });
    expect(r.attach).toHaveLength(1);
  });

  it('merges into the oldest', () => {
    const r = resolveIdentity(
      [incoming('phone', 'p1', 'b'), incoming('openid', 'o1', 'a'), incoming('email', 'e1', 'c')],
      [
        member('b', '2026-02', [['phone', 'p1']]),
        member('a', '2026-01', [['openid', 'o1']]),
        member('c', '2026-03', []),
      ],
    );
    expect(r).toMatchObject({ targetId: 'a', mergeSourceIds: ['b', 'c'], review: null });
  });

  it('an unverified phone does not block a merge; two verified phones do', () => {
    const loose = resolveIdentity(
      [incoming('phone', 'p2', 'b'), incoming('unionid', 'u1', 'a')],
      [
        member('a', '1', [
          ['unionid', 'u1'],
          ['phone', 'p1', true],
        ]),
        member('b', '2', [['phone', 'p2', false]]),
      ],
    );
    expect(loose.mergeSourceIds).toEqual(['b']);
    const strict = resolveIdentity(
      [incoming('phone', 'p2', 'b', true), incoming('unionid', 'u1', 'a')],
      [
        member('a', '1', [
          ['unionid', 'u1'],
          ['phone', 'p1', true],
        ]),
        member('b', '2', [['phone', 'p2', true]]),
      ],
    );
    expect(strict).toMatchObject({
      targetId: 'a',
      mergeSourceIds: [],
      review: { reason: 'conflicting_phone', memberIds: ['a', 'b'] },
    });
  });

  it('verifies a held phone when the request proves it', () => {
    const r = resolveIdentity(
      [incoming('phone', 'p1', 'a', true)],
      [member('a', '1', [['phone', 'p1', false]])],
    );
    expect(r.verify).toEqual(['a-0']);
  });
});
