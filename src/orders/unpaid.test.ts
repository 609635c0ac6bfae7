import { describe, expect, it } from 'vitest';
import { level, place, setUpOrderWorld, until } from '../../test/helpers/orders.js';

setUpOrderWorld();

describe('paying', () => {
  it('an unpaid order cancels itself at expiresAt and frees its stock', async () => {
    const before = await level('O-A', 'O-S2');
    const o = (
      await place({
        channel: 'online',
        lines: [{ sku: 'O-A', quantity: 2 }],
        fulfillment: { type: 'pickup', store: 'O-S2' },
        holdSeconds: 1,
      })
    ).json();
    expect(await level('O-A', 'O-S2')).toMatchObject({ reserved: before.reserved + 2 });
    const cancelled = await until(o.id, 'cancelled');
    expect(cancelled.cancelReason).toMatch(/not paid/);
    expect(cancelled.timeline.at(-1)).toMatchObject({
      code: 'order.cancelled',
      params: { reason: 'not paid in time', reasonCode: 'NOT_PAID_IN_TIME' },
      message: 'Cancelled: not paid in time',
    });
    expect(await level('O-A', 'O-S2')).toMatchObject({ reserved: before.reserved });
  });
});
