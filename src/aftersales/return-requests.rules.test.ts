import { describe, expect, it } from 'vitest';
import { assertReturnPhotos, decideReturnRoute, returnsCentreOf } from './return-requests.rules.js';

const STORE = { code: 'S1', kind: 'store' };
const WAREHOUSE = { code: 'WH', kind: 'warehouse' };
const ADDRESS = { city: '上海', line1: '南京西路1号', name: '林', phone: '13900000000' };
const TODAY = '2026-12-04';

describe('decideReturnRoute', () => {
  it.each([
    ['a counter return', { method: undefined, atCounter: true, destination: STORE }, 'store', null],
    ['an old request to a store', { method: undefined, atCounter: false, destination: STORE }, 'store', null],
    [
      'an old request to a warehouse',
      { method: undefined, atCounter: false, destination: WAREHOUSE },
      'courier',
      'drop_off',
    ],
    [
      'a store of her choice',
      { method: { type: 'store' as const }, atCounter: false, destination: STORE },
      'store',
      null,
    ],
    [
      'a drop-off',
      {
        method: { type: 'courier' as const, mode: 'drop_off' as const },
        atCounter: false,
        destination: WAREHOUSE,
      },
      'courier',
      'drop_off',
    ],
  ])('%s', (_, input, method, mode) => {
    expect(decideReturnRoute({ ...input, today: TODAY })).toMatchObject({ method, courierMode: mode });
  });

  it('a pickup keeps its day and address, from today to two weeks ahead', () => {
    const pickup = (day: string) =>
      decideReturnRoute({
        method: { type: 'courier', mode: 'pickup', pickup: { day, address: ADDRESS } },
        atCounter: false,
        destination: WAREHOUSE,
        today: TODAY,
      });
    expect(pickup(TODAY)).toEqual({
      method: 'courier',
      courierMode: 'pickup',
      pickup: { day: TODAY, address: ADDRESS },
    });
    expect(pickup('2026-12-18').pickup?.day).toBe('2026-12-18');
    for (const day of ['2026-12-03', '2026-12-19', '2026-02-30']) {
      expect(() => pickup(day)).toThrow(expect.objectContaining({ code: 'RETURN.METHOD_INVALID' }));
    }
  });

  it('refuses a store method at a warehouse and a courier at a counter', () => {
    expect(() =>
      decideReturnRoute({
        method: { type: 'store' },
        atCounter: false,
        destination: WAREHOUSE,
        today: TODAY,
      }),
    ).toThrow(expect.objectContaining({ code: 'RETURN.METHOD_INVALID' }));
    expect(() =>
      decideReturnRoute({
        method: { type: 'courier', mode: 'drop_off' },
        atCounter: true,
        destination: STORE,
        today: TODAY,
      }),
    ).toThrow(expect.objectContaining({ code: 'RETURN.METHOD_INVALID' }));
  });
});

describe('assertReturnPhotos', () => {
  it('takes up to nine https addresses', () => {
    expect(() => assertReturnPhotos([])).not.toThrow();
    expect(() =>
      assertReturnPhotos(Array.from({ length: 9 }, (_, i) => `https://cdn.example.com/${i}.jpg`)),
    ).not.toThrow();
  });
  it.each([
    ['http', ['http://cdn.example.com/a.jpg']],
    ['a script', ['javascript:alert(1)']],
    ['credentials', ['https://user:pw@cdn.example.com/a.jpg']],
    ['not a URL', ['https://']],
    ['ten', Array.from({ length: 10 }, (_, i) => `https://cdn.example.com/${i}.jpg`)],
  ])('refuses %s', (_, photos) => {
    expect(() => assertReturnPhotos(photos)).toThrow(
      expect.objectContaining({ code: 'RETURN.PHOTO_INVALID' }),
    );
  });
});

describe('returnsCentreOf', () => {
  it('is the first open warehouse by tier, then code', () => {
    const at = (code: string, kind: string, active: boolean, priorityTier: number) => ({
      code,
      kind,
      active,
      priorityTier,
    });
    expect(
      returnsCentreOf([
        at('S1', 'store', true, 0),
        at('WH-B', 'warehouse', true, 1),
        at('WH-A', 'warehouse', false, 0),
        at('WH-C', 'warehouse', true, 1),
      ])?.code,
    ).toBe('WH-B');
    expect(returnsCentreOf([at('S1', 'store', true, 0)])).toBeUndefined();
  });
});
