import type { Kysely } from 'kysely';
import { availableOf, type ChannelPolicy, channelAvailable, levelsForSkus } from '../inventory/index.js';
import { type Location, listLocations } from '../locations/index.js';
import { type DB, keptFor, type Queryable, readOnce, runPrepared, type Trx } from '../platform/index.js';
import type { FulfillmentDeps } from './fulfillment.deps.js';
import type { SourcingCandidate } from './sourcing.config.js';

/*
 * What the sourcing planner is given: the brand's locations, their stock of the order's SKUs under the channel's
 * policy, and the groups each location already took today.
 */

/**
 * Counts groups against their locations' capacity for the day (or gives one back, with -1, when the location
 * rejected it). The `orders.capacity` event consumer calls it, off the order's own transaction: capacity is a
 * planning limit, and a counter row written by every order would make concurrent orders queue on PostgreSQL.
 */
export async function addDailyLoad(
  trx: Trx,
  localDay: string,
  location: string,
  groups: number,
): Promise<void> {
  // Every placed order comes through here (from the consumer): a prepared statement, not a new build each time.
  await runPrepared(trx, 'orders.addDailyLoad', [localDay, location, 0, groups, groups], () =>
    trx
      .insertInto('fulfillment_daily_load')
      .values({ local_day: localDay, location, shard: 0, groups })
      .onConflict((oc) =>
        oc
          .columns(['local_day', 'location', 'shard'])
          .doUpdateSet((eb) => ({ groups: eb('fulfillment_daily_load.groups', '+', groups) })),
      ),
  );
}

// The network changes a few times a day and every order reads it: a node keeps it for a few seconds.
const LOCATIONS_TTL_MS = 5000;

/**
 * The brand's locations, read at most every few seconds (one reader per node and database). The read goes
 * through the caller's executor: inside a transaction on SQLite, a read on another connection would wait for the
 * very connection the transaction holds.
 */
export function networkReader(): (db: Kysely<DB>) => Promise<Location[]> {
  const network = keptFor<'network', Location[]>(LOCATIONS_TTL_MS);
  return (db) => network.get('network', () => listLocations(db));
}

/**
 * Everything the sourcing planner needs: every location and the channel's stock policy (also returned: its order
 * limits), both kept a few seconds by the node, then in two queries the order's SKUs at each location and how many
 * groups each location already took today (daily capacity).
 * `ownStore` (a pickup or carry-out store) counts its full available stock: the customer chose that shelf, so the
 * channel's policy about which locations feed it does not apply there.
 */
export async function loadCandidates(
  db: Queryable,
  deps: Pick<FulfillmentDeps, 'network' | 'channelPolicy'>,
  input: {
    channel: string;
    skus: readonly string[];
    localDay: string;
    ownStore?: string | null;
    exclude?: readonly string[];
  },
): Promise<{ candidates: SourcingCandidate[]; policy: ChannelPolicy }> {
  const [locations, levels, policy, load] = await Promise.all([
    deps.network(db),
    levelsForSkus(db, input.skus),
    deps.channelPolicy(db, input.channel),
    readOnce(db, `orders.dailyLoad ${input.localDay}`, () =>
      runPrepared(db, 'orders.dailyLoad', [input.localDay], () =>
        db
          .selectFrom('fulfillment_daily_load')
          .select(['location', (eb) => eb.fn.sum<number>('groups').as('groups')])
          .where('local_day', '=', input.localDay)
          .groupBy('location'),
      ).then((result) => result.rows),
    ),
  ]);
  const taken = new Map(load.map((l) => [l.location, Number(l.groups)]));
  const kinds = new Map(locations.map((l) => [l.code, l.kind]));
  const stock = new Map<string, Map<string, number>>();
  const onHand = new Map<string, Map<string, number>>();
  for (const level of levels) {
    const own = level.location === input.ownStore;
    const available = own ? availableOf(level) : channelAvailable(level, kinds.get(level.location), policy);
    if (!stock.has(level.location)) {
      stock.set(level.location, new Map());
      onHand.set(level.location, new Map());
    }
    stock.get(level.location)!.set(level.sku, available);
    onHand.get(level.location)!.set(level.sku, level.onHand);
  }
  const excluded = new Set(input.exclude ?? []);
  const candidates = locations
    .filter((l) => !excluded.has(l.code))
    .map((l) => ({
      code: l.code,
      kind: l.kind,
      city: l.city,
      lat: l.lat,
      lng: l.lng,
      capabilities: l.capabilities,
      priorityTier: l.priorityTier,
      remainingCapacity:
        l.dailyCapacity === null ? null : Math.max(0, l.dailyCapacity - (taken.get(l.code) ?? 0)),
      active: l.active,
      stock: stock.get(l.code) ?? NOTHING,
      onHand: onHand.get(l.code) ?? NOTHING,
    }));
  return { candidates, policy };
}

// Most locations hold none of an order's SKUs: they share one empty map (the planner only reads them).
const NOTHING: ReadonlyMap<string, number> = new Map();
