import { describe, expect, it } from 'vitest';
import { isDomainError } from '../platform/errors.js';
import { FulfillmentErrors } from './fulfillment.errors.js';
import {
  FULFILLMENT_ACTIONS,
  FULFILLMENT_STATUSES,
  fulfillmentActions,
  transitionFulfillment,
} from './lifecycle.rules.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('fulfillment lifecycle', () => {
  it.each([
    // type, from, action, to
    ['ship', 'pending', 'accept', 'accepted'],
    ['ship', 'pending', 'reject', 'pending'],
    ['ship', 'accepted', 'reject', 'pending'],
    ['ship', 'accepted', 'ship', 'shipped'],
    ['ship', 'shipped', 'deliver', 'delivered'],
    ['ship', 'pending', 'cancel', 'cancelled'],
    ['ship', 'accepted', 'cancel', 'cancelled'],
    ['same_day', 'accepted', 'ship', 'shipped'],
    ['same_day', 'shipped', 'deliver', 'delivered'],
    ['pickup', 'pending', 'accept', 'accepted'],
    ['pickup', 'pending', 'await_transfer', 'awaiting_transfer'],
    ['pickup', 'accepted', 'await_transfer', 'awaiting_transfer'],
    ['pickup', 'awaiting_transfer', 'transfer_arrived', 'accepted'],
    ['pickup', 'accepted', 'ready', 'ready_for_pickup'],
    ['pickup', 'ready_for_pickup', 'pickup', 'picked_up'],
    ['pickup', 'ready_for_pickup', 'cancel', 'cancelled'],
    ['pickup', 'awaiting_transfer', 'cancel', 'cancelled'],
    ['pickup', 'pending', 'reject', 'pending'],
    ['carry_out', 'pending', 'hand_over', 'picked_up'],
    ['carry_out', 'pending', 'cancel', 'cancelled'],
  ] as const)('%s: %s --%s--> %s', (type, from, action, to) => {
    expect(transitionFulfillment(type, from, action)).toBe(to);
  });

  it.each([
    ['pickup', 'accepted', 'ship'],
    ['pickup', 'ready_for_pickup', 'deliver'],
    ['ship', 'accepted', 'ready'],
    ['ship', 'shipped', 'pickup'],
    ['ship', 'shipped', 'cancel'],
    ['same_day', 'accepted', 'pickup'],
    ['pickup', 'awaiting_transfer', 'ready'],
    ['pickup', 'picked_up', 'cancel'],
    ['carry_out', 'pending', 'ship'],
    ['ship', 'delivered', 'deliver'],
    ['ship', 'cancelled', 'accept'],
  ] as const)('%s: %s cannot %s', (type, from, action) => {
    const error = thrown(() => transitionFulfillment(type, from, action));
    expect(isDomainError(error, FulfillmentErrors.invalidTransition)).toBe(true);
    expect((error as Error).message).toBe(`A ${type} fulfillment that is ${from} cannot ${action}`);
  });

  it('a pickup group is never shipped and a parcel is never picked up, from any status', () => {
    for (const status of FULFILLMENT_STATUSES) {
      expect(fulfillmentActions('pickup', status)).not.toContain('ship');
      expect(fulfillmentActions('pickup', status)).not.toContain('deliver');
      expect(fulfillmentActions('ship', status)).not.toContain('pickup');
      expect(fulfillmentActions('same_day', status)).not.toContain('ready');
      for (const type of ['ship', 'same_day', 'pickup', 'carry_out'] as const) {
        for (const action of fulfillmentActions(type, status)) expect(FULFILLMENT_ACTIONS).toContain(action);
      }
    }
  });

  it('final statuses allow nothing', () => {
    for (const type of ['ship', 'same_day', 'pickup', 'carry_out'] as const) {
      for (const status of ['delivered', 'picked_up', 'cancelled'] as const) {
        expect(fulfillmentActions(type, status)).toEqual([]);
      }
    }
    expect(fulfillmentActions('ship', 'pending')).toEqual(['accept', 'reject', 'cancel']);
  });
});
