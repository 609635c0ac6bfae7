import { describe, expect, it } from 'vitest';
import {
  availableOf,
  type ChannelPolicy,
  channelAvailable,
  defaultChannelPolicy,
  nextTransferStatus,
  normaliseLines,
  orderLimitBreach,
  type TransferMove,
  transferHoldsStock,
  transferMoverOf,
  transferStartsAs,
} from './inventory.rules.js';
import type { TransferStatus } from './inventory.schema.js';

describe('availableOf', () => {
  it.each([
    [{ onHand: 10, reserved: 3, safetyStock: 2 }, 5],
    [{ onHand: 5, reserved: 5, safetyStock: 0 }, 0],
    [{ onHand: 3, reserved: 0, safetyStock: 5 }, 0],
    [{ onHand: 0, reserved: 0, safetyStock: 0 }, 0],
  ])('%o → %i', (level, expected) => {
    expect(availableOf(level)).toBe(expected);
  });
});

describe('normaliseLines', () => {
  it('merges lines of one level and sorts by sku, then location (the lock order)', () => {
    expect(
      normaliseLines([
        { sku: 'B', location: 'L1', quantity: 1 },
        { sku: 'A', location: 'L2', quantity: 2 },
        { sku: 'B', location: 'L1', quantity: 3 },
        { sku: 'A', location: 'L1', quantity: 4 },
      ]),
    ).toEqual([
      { sku: 'A', location: 'L1', quantity: 4 },
      { sku: 'A', location: 'L2', quantity: 2 },
      { sku: 'B', location: 'L1', quantity: 4 },
    ]);
  });

  it('leaves the lines it was given as they were', () => {
    const lines = [
      { sku: 'A', location: 'L1', quantity: 1 },
      { sku: 'A', location: 'L1', quantity: 1 },
    ];
    normaliseLines(lines);
    expect(lines).toEqual([
      { sku: 'A', location: 'L1', quantity: 1 },
      { sku: 'A', location: 'L1', quantity: 1 },
    ]);
  });
});

describe('nextTransferStatus', () => {
  const table: [TransferStatus, TransferMove, TransferStatus | undefined][] = [
    ['requested', 'ship', 'in_transit'],
    ['requested', 'cancel', 'cancelled'],
    ['requested', 'receive', undefined],
    ['in_transit', 'receive', 'received'],
    ['in_transit', 'cancel', undefined],
    ['in_transit', 'ship', undefined],
    ['received', 'receive', undefined],
    ['cancelled', 'ship', undefined],
    ['awaiting_source', 'accept', 'requested'],
    ['awaiting_source', 'decline', 'declined'],
    ['awaiting_source', 'cancel', 'cancelled'],
    ['awaiting_source', 'ship', undefined],
    ['requested', 'accept', undefined],
    ['declined', 'accept', undefined],
    ['declined', 'cancel', undefined],
  ];
  it.each(table)('%s, %s → %s', (status, move, expected) => {
    expect(nextTransferStatus(status, move)).toBe(expected);
  });
});

describe('who moves a transfer', () => {
  it('a store asking another store waits for the source; HQ and a store sending its own reserve at once', () => {
    expect(transferStartsAs('ST-B', 'ST-A')).toBe('awaiting_source');
    expect(transferStartsAs('ST-A', 'ST-A')).toBe('requested');
    expect(transferStartsAs(null, 'ST-A')).toBe('requested');
  });
  const t = (status: TransferStatus) => ({ from: 'ST-A', to: 'ST-B', status });
  it.each([
    [t('awaiting_source'), 'accept', 'from'],
    [t('awaiting_source'), 'decline', 'from'],
    [t('awaiting_source'), 'cancel', 'either'],
    [t('requested'), 'cancel', 'from'],
    [t('requested'), 'ship', 'from'],
    [t('in_transit'), 'receive', 'to'],
  ] as const)('%o %s → %s', (transfer, move, mover) => {
    expect(transferMoverOf(transfer, move)).toBe(mover);
  });
  it('only a requested transfer holds the source’s units', () => {
    expect(transferHoldsStock('requested')).toBe(true);
    expect(transferHoldsStock('awaiting_source')).toBe(false);
    expect(transferHoldsStock('in_transit')).toBe(false);
  });
});

describe('channelAvailable', () => {
  const level = { location: 'ST-A', onHand: 10, reserved: 2, safetyStock: 1 };
  const online: ChannelPolicy = {
    channel: 'online',
    locationKinds: ['store'],
    locations: null,
    extraSafetyStock: 2,
    maxLineQuantity: 10,
    maxOrderQuantity: 50,
  };
  it.each([
    ['the marketplace by default: warehouses only', defaultChannelPolicy('marketplace'), 'store', 0],
    ['another channel by default: stores too', defaultChannelPolicy('mini_program'), 'store', 7],
    ['a location of unknown kind', defaultChannelPolicy('online'), undefined, 0],
    ['less the extra safety stock', online, 'store', 5],
    ['only the listed locations', { ...online, locations: ['ST-B'] }, 'store', 0],
    ['never below zero', { ...online, extraSafetyStock: 50 }, 'store', 0],
  ] as const)('%s', (_, policy, kind, expected) => {
    expect(channelAvailable(level, kind, policy as ChannelPolicy)).toBe(expected);
  });
});

describe('orderLimitBreach', () => {
  const limits = { maxLineQuantity: 10, maxOrderQuantity: 15 };
  it.each([
    [[{ sku: 'A', quantity: 10 }], undefined],
    [[{ sku: 'A', quantity: 11 }], { path: 'lines[0].quantity', limit: 10, quantity: 11, sku: 'A' }],
    // The same SKU on two lines counts together.
    [
      [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 6 },
        { sku: 'A', quantity: 5 },
      ],
      { path: 'lines[1].quantity', limit: 10, quantity: 11, sku: 'A' },
    ],
    [
      [
        { sku: 'A', quantity: 8 },
        { sku: 'B', quantity: 8 },
      ],
      { path: 'lines', limit: 15, quantity: 16 },
    ],
  ] as const)('%j → %j', (lines, breach) => {
    expect(orderLimitBreach(lines, limits)).toEqual(breach);
  });
});
