import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { personReason, systemReason, TIMELINE_CODES, timelineSentence } from './orders.timeline.js';

describe('the order timeline as codes and params', () => {
  it('says each step in English from its params', () => {
    expect(timelineSentence({ code: 'order.placed', params: { channel: 'pos', groups: 2 } })).toBe(
      'Order placed in channel pos; 2 fulfillment group(s) planned',
    );
    expect(timelineSentence({ code: 'order.paid', params: { amount: 12345, provider: 'simulated' } })).toBe(
      'Paid ¥123.45 (simulated)',
    );
    expect(
      timelineSentence({
        code: 'fulfillment.shipped',
        params: { location: 'WH-SH', carrier: null, trackingNumber: 'T1' },
      }),
    ).toBe('Shipped from WH-SH (carrier T1)');
    expect(
      timelineSentence({
        code: 'return.received',
        params: {
          returnId: 'ret_1',
          location: 'SH01',
          lines: [{ sku: 'A', quantity: 2 }],
          damaged: [{ sku: 'A', quantity: 1 }],
          pointsReversed: 30,
          pointsRestored: 0,
          couponsRestored: ['C1'],
        },
      }),
    ).toBe(
      'Return ret_1 received at SH01: 2 × A (damaged, quarantined: 1 × A); 30 earned points taken back; coupons restored: C1',
    );
    expect(
      timelineSentence({
        code: 'exchange.replacement',
        params: { exchangeId: 'exc_1', originalOrderId: 'ord_1', credit: 5000, payable: 1000, refund: 0 },
      }),
    ).toBe(
      'Replacement in exchange exc_1 for order ord_1: credit ¥50.00; the customer pays the difference of ¥10.00 on the replacement',
    );
  });

  it('keeps a system reason as words and a code, and a person’s reason as their words', () => {
    expect(systemReason('NOT_COLLECTED')).toEqual({
      reason: 'not collected by the pickup deadline',
      reasonCode: 'NOT_COLLECTED',
    });
    expect(systemReason('GROUP_NO_SOURCE', 'SH02')).toEqual({
      reason: 'Nothing could fulfil the group from SH02',
      reasonCode: 'GROUP_NO_SOURCE',
      reasonAt: 'SH02',
    });
    expect(personReason('顾客改主意了', 'cancelled by ops')).toEqual({
      reason: '顾客改主意了',
      reasonCode: null,
    });
    expect(personReason(undefined, 'cancelled by ops')).toEqual({
      reason: 'cancelled by ops',
      reasonCode: 'NO_REASON_GIVEN',
    });
    expect(
      timelineSentence({ code: 'refund.started', params: { amount: 100, ...systemReason('NOT_COLLECTED') } }),
    ).toBe('Refund of ¥1.00 started: not collected by the pickup deadline');
    expect(timelineSentence({ code: 'refund.started', params: { amount: 100 } })).toBe(
      'Refund of ¥1.00 started',
    );
  });

  it('has a Chinese and an English sentence in the console for every code, and for nothing else', () => {
    // The console's catalogue of sentences (web/src/orders/timelineText.ts) is read as text: it is compiled by
    // the console's own build, not this one.
    const source = readFileSync(join(import.meta.dirname, '../../web/src/orders/timelineText.ts'), 'utf8');
    const keysOf = (table: string) => {
      const start = source.indexOf(`export const ${table}`);
      const body = source.slice(start, source.indexOf('\n};', start));
      return [...body.matchAll(/^ {2}'([a-z_]+\.[a-z_]+)':/gm)].map((m) => m[1]).sort();
    };
    const codes = [...TIMELINE_CODES].sort();
    expect(codes.length).toBeGreaterThan(25);
    expect(keysOf('TIMELINE_ZH')).toEqual(codes);
    expect(keysOf('TIMELINE_EN')).toEqual(codes);
  });
});
