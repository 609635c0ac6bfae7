import { describe, expect, it } from 'vitest';
import { OmniloopGatherer, readOmniloopHeader, readOmniloopRecord } from './omniloop.rules.js';

const header = ['order_no', 'ordered_at', 'sku', 'quantity', 'unit_price', 'phone', 'paid', 'return_of'];
const columns = (() => {
  const reading = readOmniloopHeader(header);
  if (!reading.ok) throw new Error('header');
  return reading.columns;
})();
const defaults = {
  channel: 'online' as const,
  storeCode: null,
  timeZone: 'Asia/Shanghai',
  identifier: (_type: 'card' | 'phone' | 'email', value: string) =>
    /^1\d{10}$/.test(value) ? `+86${value}` : null,
};
const read = (cells: string[]) => readOmniloopRecord(cells, columns, header.length, defaults, new Map());

describe('the omniloop format', () => {
  it('finds columns by name in any order and names what is missing, unknown or repeated', () => {
    expect(readOmniloopHeader(['SKU', 'order_no', 'quantity', 'unit_price', 'ordered_at']).ok).toBe(true);
    expect(readOmniloopHeader(['order_no', 'sku', 'qty', 'sku'])).toEqual({
      ok: false,
      missing: ['ordered_at', 'quantity', 'unit_price'],
      unknown: ['qty'],
      repeated: ['sku'],
    });
  });

  it('reads instants with an offset as given and wall-clock times in the file’s zone', () => {
    const withOffset = read(['A', '2024-05-02T09:30:00+08:00', 'S', '1', '100', '', '', '']);
    expect(withOffset).toMatchObject({ ok: true, line: { at: '2024-05-02T01:30:00.000Z' } });
    const wall = read(['A', '2024-05-02 09:30', 'S', '1', '100', '', '', '']);
    expect(wall).toMatchObject({ ok: true, line: { at: '2024-05-02T01:30:00.000Z' } });
    expect(read(['A', '05/02/2024', 'S', '1', '100', '', '', ''])).toEqual({ ok: false, reason: 'BAD_DATE' });
  });

  it('takes integer fen, a paid amount up to the line’s, and refuses the rest with a reason', () => {
    expect(read(['A', '2024-05-02 09:30', 'S', '2', '100', '', '150', ''])).toMatchObject({
      ok: true,
      line: { quantity: 2, unitPrice: 100, paid: 150 },
    });
    expect(read(['A', '2024-05-02 09:30', 'S', '2', '100', '', '201', ''])).toEqual({
      ok: false,
      reason: 'PAID_OVER_AMOUNT',
    });
    expect(read(['A', '2024-05-02 09:30', 'S', '2', '1.5', '', '', ''])).toEqual({
      ok: false,
      reason: 'BAD_PRICE',
    });
    expect(read(['A', '2024-05-02 09:30', 'S', '-1', '100', '', '', ''])).toEqual({
      ok: false,
      reason: 'QUANTITY_NOT_POSITIVE',
    });
    expect(read(['A', '2024-05-02 09:30', 'S', '1', '100', '12345', '', ''])).toEqual({
      ok: false,
      reason: 'BAD_PHONE',
    });
    expect(read(['', '2024-05-02 09:30', 'S', '1', '100', '', '', ''])).toEqual({
      ok: false,
      reason: 'MISSING_ORDER_NO',
    });
    expect(read(['A', '2024-05-02 09:30', 'S', '1', '100'])).toEqual({
      ok: false,
      reason: 'WRONG_COLUMN_COUNT',
    });
  });

  it('gathers an order’s lines, drops exact duplicates and refuses a line that contradicts its order', () => {
    const gatherer = new OmniloopGatherer();
    const line = (cells: string[]) => {
      const reading = read(cells);
      if (!reading.ok) throw new Error(reading.reason);
      return reading.line;
    };
    const first = ['A', '2024-05-02 09:30', 'S1', '1', '100', '13812345678', '', ''];
    expect(gatherer.add(line(first), first.join(','))).toBe(true);
    expect(gatherer.add(line(first), first.join(','))).toBe(true);
    const second = ['A', '2024-05-02 09:30', 'S2', '1', '100', '13812345678', '', ''];
    expect(gatherer.add(line(second), second.join(','))).toBe(true);
    const otherCustomer = ['A', '2024-05-02 09:30', 'S3', '1', '100', '13900001111', '', ''];
    expect(gatherer.add(line(otherCustomer), otherCustomer.join(','))).toBe(false);
    const ret = ['R', '2024-05-03 09:30', 'S1', '1', '100', '13812345678', '', 'A'];
    gatherer.add(line(ret), ret.join(','));
    const [order, back] = gatherer.finish();
    expect(gatherer.duplicates).toBe(1);
    expect(order).toMatchObject({
      invoice: 'A',
      isReturn: false,
      rows: 2,
      person: { phone: '+8613812345678' },
    });
    expect(back).toMatchObject({ invoice: 'R', isReturn: true });
  });
});
