import type { Kysely } from 'kysely';
import { type ChannelPolicy, channelPolicyReader } from '../inventory/index.js';
import type { Location } from '../locations/index.js';
import type { OrderRow, Reason, SystemReason, TimelineEntryInput } from '../orders/index.js';
import type { Database, DB, Engine, ErrorFactory, Trx } from '../platform/index.js';
import { networkReader } from './sourcing.inputs.js';

/**
 * What a group's work needs of the order it belongs to. The order hub passes it in (`orderLink` of orders/) and
 * calls this context's services itself: fulfillment only imports orders/ for types, so the two contexts do not
 * load each other, and the order's lifecycle and timeline stay in orders/.
 */
export interface OrderLink {
  /** The order's row; ORDER.NOT_FOUND when there is none. */
  requireOrder(db: Kysely<DB>, id: string): Promise<OrderRow>;
  /** Which of these orders still wait for payment (their groups are no location's work yet). */
  unpaidOf(db: Kysely<DB>, orderIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Writes a step on the order's timeline. */
  addTimeline(trx: Trx, orderId: string, entry: TimelineEntryInput): Promise<unknown>;
  /** Moves the order in line with its groups: fulfilling, completed, or cancelled once none is left. */
  followGroups(trx: Trx, engine: Engine, order: OrderRow, actor: string | null): Promise<void>;
  /** Cancels the whole order and refunds what was paid (its only group was not collected). */
  cancelOrder(trx: Trx, engine: Engine, order: OrderRow, reason: Reason, actor: string | null): Promise<void>;
  /** Refunds what a cancelled group's lines were paid, while the order keeps other groups. */
  refundGroup(trx: Trx, order: OrderRow, groupId: string, reason: Reason): Promise<void>;
  /** A reason the system gives, with the code the console translates (and the location it concerns). */
  systemReason(code: Exclude<SystemReason, 'NO_REASON_GIVEN'>, at?: string): Reason;
  /** A person's reason: their words, or `otherwise` when they gave none. */
  personReason(words: string | undefined, otherwise: string): Reason;
  /** ORDER.INVALID_TRANSITION: what a group's move answers when its order cannot take it now, or it raced another. */
  invalidTransition: ErrorFactory;
}

export interface FulfillmentDeps {
  engine: Engine;
  /** The brand's locations, cached for a few seconds by this node. */
  network: (db: Kysely<DB>) => Promise<Location[]>;
  /** A channel's stock policy, cached for a few seconds by this node. */
  channelPolicy: (db: Kysely<DB>, channel: string) => Promise<ChannelPolicy>;
  orders: OrderLink;
}

const depsOfDatabase = new WeakMap<Database, FulfillmentDeps>();

/**
 * Fulfillment's dependencies for one node's database, made once per database so that its caches are shared (the
 * order hub's dependencies are these and more). A node has one order hub: `orders` is the same for every call.
 */
export function fulfillmentDeps(database: Database, orders: OrderLink): FulfillmentDeps {
  let deps = depsOfDatabase.get(database);
  if (!deps) {
    deps = {
      engine: database.engine,
      network: networkReader(),
      channelPolicy: channelPolicyReader(database),
      orders,
    };
    depsOfDatabase.set(database, deps);
  }
  return deps;
}
