/**
 * Errors other contexts may expect from this one (FULFILLMENT.NO_SOURCE, FULFILLMENT.INVALID_TRANSITION,
 * FULFILLMENT.NOT_FOUND; PICKUP.CODE_INVALID: no order waits at that store with that pickup code).
 */
export { FulfillmentErrors, PickupErrors } from './fulfillment.errors.js';
/**
 * Sourcing: `planFulfillment(order, candidates, rules)` chooses the location(s) that fulfil an order and explains
 * every location chosen, excluded or not needed; `assertPlanned` turns a failed plan into FULFILLMENT.NO_SOURCE;
 * `DEFAULT_SOURCING_RULES` / `sourcingRulesFor` are the per-channel rules.
 */
export {
  DEFAULT_SOURCING_RULES,
  type FulfillmentGroupType,
  type FulfillmentRequest,
  type LocationKind,
  type SourcingAddress,
  type SourcingCandidate,
  type SourcingLine,
  type SourcingOrder,
  type SourcingRules,
  type SourcingTieBreaker,
  type StockBySku,
  sourcingRulesFor,
  type TransferBand,
} from './sourcing.config.js';
export { type PackedExplanation, packExplanation, unpackExplanation } from './sourcing.explain.js';
export {
  assertPlanned,
  type FulfillmentPlan,
  type LocationExplanation,
  type PlannedFulfillment,
  type PlannedGroup,
  type PlannedTransfer,
  type SourcingDecision,
  type SourcingReason,
  type UnfulfillableLine,
  type UnfulfillablePlan,
  type UnfulfillableReason,
} from './sourcing.plan.js';
export { type PlanOptions, planFulfillment } from './sourcing.rules.js';

import { TransferReceived } from '../inventory/inventory.events.js';
import { OrderPlaced } from '../orders/orders.events.js';
import { type AppModule, isEvent, payloadOf } from '../platform/index.js';
import { fulfillmentDeps, type OrderLink } from './fulfillment.deps.js';
import { FulfillmentCreated, FulfillmentRejected } from './fulfillment.events.js';
import { registerFulfillmentRoutes } from './fulfillment.routes.js';
import { ACCEPT_TIMEOUT_JOB, PICKUP_DEADLINE_JOB } from './groups.service.js';
import { pickupDeadlinePassed, transferReceived } from './pickups.service.js';
import { acceptTimedOut } from './resourcing.service.js';
import { addDailyLoad } from './sourcing.inputs.js';

/** The API shapes of a group and of an order's sourcing plan (an order's includes them). */
export { FulfillmentGroup, type FulfillmentView, OrderSourcingPlan } from './fulfillment.contract.js';
/** What fulfillment needs of the order hub (`OrderLink`), and its dependencies for a node's database. */
export { type FulfillmentDeps, fulfillmentDeps, type OrderLink } from './fulfillment.deps.js';
export type { FulfillmentTables } from './fulfillment.schema.js';
/** The groups as the API shows them (inside an order too), and who sees pickup codes. */
export {
  type FulfillmentViewer,
  readGroupParts,
  readGroupsOfOrder,
  seesPickupCodes,
  toFulfillmentViews,
} from './fulfillment.views.js';
/** Writes an order's planned groups, reserving their stock and asking for a pickup's transfers. */
export { createFulfillments, type FulfillmentRow, type GroupRows } from './groups.service.js';
/** A fulfillment group's lifecycle, a transition table per kind of group (pure). */
export {
  FULFILLMENT_ACTIONS,
  FULFILLMENT_LIFECYCLES,
  FULFILLMENT_STATUSES,
  type FulfillmentAction,
  type FulfillmentLifecycle,
  type FulfillmentStatus,
  fulfillmentActions,
  transitionFulfillment,
} from './lifecycle.rules.js';
/**
 * What the order hub does to an order's groups when the order changes: their statuses, cancelling the open
 * ones with the order, taking cancelled units out of them, and what a group refund reads.
 */
export {
  cancelOpenGroups,
  groupLinesOf,
  groupStatusesOf,
  groupsOfOrder,
  hasGroupAt,
  liveGroupIdsOf,
  liveGroupsOf,
  takeUnitsOut,
} from './order-groups.service.js';
/** Pickup codes (a secret from the CSPRNG) and the deadline to collect a pickup (pure). */
export {
  DEFAULT_PICKUP_HOLD_DAYS,
  generatePickupCode,
  isPickupCode,
  pickupDeadline,
  type RandomInt,
} from './pickups.rules.js';
/** The sourcing planner's inputs for an order: locations, their stock under the channel's policy, today's load. */
export { loadCandidates } from './sourcing.inputs.js';
/** Once the order is paid: warehouses take their parcels, stores get their tasks, a carry-out is handed over. */
export { startFulfillment } from './store-tasks.service.js';

/**
 * Fulfillment's module: a location's tasks and pickups over HTTP, the deadlines that re-source an unaccepted task
 * and cancel an uncollected pickup, each location's daily load, and transfers arriving for pickups. The order hub
 * passes in what these need of an order (`orderLink` of orders/).
 */
export function fulfillmentModule(orders: OrderLink): AppModule {
  return {
    name: 'fulfillment',
    routes: (app, ctx) => registerFulfillmentRoutes(app, ctx, orders),
    jobs: (ctx) => {
      const deps = fulfillmentDeps(ctx.database, orders);
      return {
        [ACCEPT_TIMEOUT_JOB]: (trx, job) => acceptTimedOut(trx, deps, String(job.payload.fulfillmentId)),
        [PICKUP_DEADLINE_JOB]: (trx, job) =>
          pickupDeadlinePassed(trx, deps, String(job.payload.fulfillmentId)),
      };
    },
    // The consumers keep the names they had in the order hub: a consumer's name is its checkpoint in the
    // database, and a new name would read the whole outbox again (and count every order's load twice).
    consumers: (ctx) => {
      const deps = fulfillmentDeps(ctx.database, orders);
      return [
        {
          // Daily capacity: groups taken per location and day, given back when a location rejects one.
          name: 'orders.capacity',
          topics: ['order', 'fulfillment'],
          types: [OrderPlaced.type, FulfillmentCreated.type, FulfillmentRejected.type],
          handle: async (trx, event) => {
            if (isEvent(OrderPlaced, event)) {
              const placed = payloadOf(OrderPlaced, event);
              for (const group of placed.groups) await addDailyLoad(trx, placed.localDay, group.location, 1);
              return;
            }
            // A rejected group gives its day's place back; a re-sourced one takes a place at its new location
            // (a group created with its order was counted with order.placed).
            const rejected = isEvent(FulfillmentRejected, event);
            const group = rejected
              ? payloadOf(FulfillmentRejected, event)
              : payloadOf(FulfillmentCreated, event);
            if (!rejected && !group.resourcedFrom) return;
            const day = await trx
              .selectFrom('fulfillments')
              .select('local_day')
              .where('id', '=', group.fulfillmentId)
              .executeTakeFirst();
            if (day) await addDailyLoad(trx, day.local_day, group.location, rejected ? -1 : 1);
          },
        },
        {
          name: 'orders.transfers',
          topics: ['inventory'],
          types: [TransferReceived.type],
          handle: (trx, event) => transferReceived(trx, deps, payloadOf(TransferReceived, event)),
        },
      ];
    },
  };
}
