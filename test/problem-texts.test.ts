import { describe, expect, it } from 'vitest';
import '../src/app.js';
import { declaredErrors } from '../src/platform/errors.js';
import { FIELD_RULES, fieldText, PROBLEM_TEXTS, problemText } from '../web/src/i18n/problems.js';

// Every problem code the server can answer has a sentence in each of the console's languages, so that no person
// reads the server's English detail or a raw code. The codes are those every context declares (defineError);
// INTERNAL is the error handler's own, NETWORK and HTTP the console's (no answer, or an answer not a problem).

const CONSOLE_CODES = ['INTERNAL', 'NETWORK', 'HTTP'];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();

describe('problem texts', () => {
  const codes = [...declaredErrors().keys(), ...CONSOLE_CODES].sort();

  it.each(['zh-CN', 'en-US'] as const)('%s says every code the server can send, and no other', (locale) => {
    const texts = PROBLEM_TEXTS[locale];
    expect(codes.filter((code) => texts[code] === undefined)).toEqual([]);
    // A variant `CODE name=value` refines a code the server sends.
    expect(Object.keys(texts).filter((key) => !codes.includes(key.split(' ')[0]!))).toEqual([]);
  });

  it('uses the same values in every language', () => {
    expect(Object.keys(PROBLEM_TEXTS['en-US']).sort()).toEqual(Object.keys(PROBLEM_TEXTS['zh-CN']).sort());
    for (const code of Object.keys(PROBLEM_TEXTS['zh-CN']))
      expect(placeholders(PROBLEM_TEXTS['en-US'][code]!), code).toEqual(
        placeholders(PROBLEM_TEXTS['zh-CN'][code]!),
      );
  });

  it('fills the values it has and leaves out a part whose values are missing', () => {
    const params = { sku: 'LIP-01', location: 'SH01', available: 2 };
    expect(problemText('zh-CN', 'INVENTORY.INSUFFICIENT_STOCK', params)).toBe(
      '库存不足：LIP-01 在 SH01 可用 2 件',
    );
    expect(problemText('en-US', 'INVENTORY.INSUFFICIENT_STOCK', params)).toBe(
      'Not enough stock: 2 of LIP-01 available at SH01',
    );
    expect(problemText('zh-CN', 'INVENTORY.INSUFFICIENT_STOCK', {})).toBe('库存不足');
    expect(problemText('zh-CN', 'NO.SUCH_CODE')).toBeUndefined();
    // A refused coupon says which rule refused it.
    expect(problemText('zh-CN', 'COUPON.NOT_APPLICABLE', { coupon: 'AB•••XYZ', rule: 'stacking' })).toBe(
      '此优惠券不能与其他优惠券同时使用（AB•••XYZ）',
    );
    expect(problemText('en-US', 'COUPON.NOT_APPLICABLE', { rule: 'a_rule_not_known_here' })).toBe(
      'This coupon cannot be used here',
    );
  });

  it('says a field that breaks a schema rule in each language', () => {
    expect(fieldText('zh-CN', { rule: 'minimum', limit: 1 })).toBe('不能小于 1');
    expect(fieldText('en-US', { rule: 'type', limit: 'integer' })).toBe('must be a whole number');
    expect(fieldText('zh-CN', { rule: 'enum', limit: 'pickup|delivery' })).toBe(
      '只能是 pickup、delivery 之一',
    );
    expect(fieldText('zh-CN', { rule: 'format', limit: 'date-time' })).toBe('格式不对（应为日期时间）');
    expect(fieldText('zh-CN', {})).toBeUndefined();
    for (const rule of FIELD_RULES) {
      expect(fieldText('zh-CN', { rule, limit: 1 }), rule).toBeDefined();
      expect(fieldText('en-US', { rule, limit: 1 }), rule).toBeDefined();
    }
  });
});
