// Available-to-promise as channels and shoppers see it: one SKU across locations (optionally through a channel's
// stock policy), the stores nearby that have it, and the channels' stock policies.

import type { Kysely } from 'kysely';
import { listLocations } from '../locations/index.js';
import {
  type Database,
  type DB,
  distanceKm,
  type GeoPoint,
  keptFor,
  nowIso,
  runPrepared,
  type Trx,
} from '../platform/index.js';
import type { NearbyStore as NearbyStock, SkuStock } from './inventory.contract.js';
import { toStockLevel } from './inventory.rows.js';
import { type ChannelPolicy, channelAvailable, defaultChannelPolicy } from './inventory.rules.js';

/** One SKU across every location: what the inventory board and a channel's "in stock?" read. */
export async function getSkuStock(db: Kysely<DB>, sku: string, channel?: string): Promise<SkuStock> {
  const rows = await db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .orderBy('location')
    .execute();
  const levels = rows.map(toStockLevel);
  if (channel === undefined) {
    return { sku, available: levels.reduce((sum, l) => sum + l.available, 0), channel: null, levels };
  }
  const [policy, locations] = await Promise.all([getChannelPolicy(db, channel), listLocations(db)]);
  const kinds = new Map(locations.map((l) => [l.code, l.kind]));
  const available = levels.reduce((sum, l) => sum + channelAvailable(l, kinds.get(l.location), policy), 0);
  return { sku, available, channel, levels };
}

/** Stores with the SKU available nearest a point: "in stock at stores near me" and the shelf-QR page. */
export async function nearbyStock(
  db: Kysely<DB>,
  sku: string,
  point: GeoPoint,
  radiusKm: number,
  limit = 20,
): Promise<NearbyStock[]> {
  const stores = (await listLocations(db, { kind: 'store', activeOnly: true }))
    .map((store) => ({ store, distanceKm: distanceKm(point, store) }))
    .filter((s) => s.distanceKm <= radiusKm);
  if (stores.length === 0) return [];
  const rows = await db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', sku)
    .where(
      'location',
      'in',
      stores.map((s) => s.store.code),
    )
    .execute();
  const available = new Map(rows.map((r) => [r.location, toStockLevel(r).available]));
  return stores
    .filter((s) => (available.get(s.store.code) ?? 0) > 0)
    .sort((a, b) => a.distanceKm - b.distanceKm || (a.store.code < b.store.code ? -1 : 1))
    .slice(0, limit)
    .map((s) => ({
      location: s.store.code,
      name: s.store.name,
      city: s.store.city,
      lat: s.store.lat,
      lng: s.store.lng,
      pickup: s.store.capabilities.pickup,
      distanceKm: Math.round(s.distanceKm * 100) / 100,
      available: available.get(s.store.code) ?? 0,
    }));
}

export async function getChannelPolicy(db: Kysely<DB>, channel: string): Promise<ChannelPolicy> {
  const parameters = [channel];
  const [row] = (
    await runPrepared(db, 'inventory.channelPolicy', parameters, () =>
      db.selectFrom('channel_stock_policies').selectAll().where('channel', '=', channel),
    )
  ).rows;
  const defaults = defaultChannelPolicy(channel);
  if (!row) return defaults;
  return {
    channel,
    locationKinds: JSON.parse(row.location_kinds) as ChannelPolicy['locationKinds'],
    locations: row.locations === null ? null : (JSON.parse(row.locations) as string[]),
    extraSafetyStock: Number(row.extra_safety_stock),
    maxLineQuantity:
      row.max_line_quantity === null ? defaults.maxLineQuantity : Number(row.max_line_quantity),
    maxOrderQuantity:
      row.max_order_quantity === null ? defaults.maxOrderQuantity : Number(row.max_order_quantity),
  };
}

// Every order reads its channel's policy, and policies change a few times a year: a node keeps each for a few
// seconds, as it keeps the network (another node's change reaches it within that; its own at once).
const POLICY_TTL_MS = 5000;
const policiesOfDatabase = new WeakMap<Database, ReturnType<typeof keptFor<string, ChannelPolicy>>>();

function policiesOf(database: Database) {
  let policies = policiesOfDatabase.get(database);
  if (!policies) {
    policies = keptFor<string, ChannelPolicy>(POLICY_TTL_MS);
    policiesOfDatabase.set(database, policies);
  }
  return policies;
}

/** A node's reader of channel policies, cached for a few seconds (see above). */
export function channelPolicyReader(
  database: Database,
): (db: Kysely<DB>, channel: string) => Promise<ChannelPolicy> {
  const policies = policiesOf(database);
  return (db, channel) => policies.get(channel, () => getChannelPolicy(db, channel));
}

/** After this node changed a policy: its next orders read it anew. */
export function forgetChannelPolicies(database: Database): void {
  policiesOfDatabase.get(database)?.forget();
}

export async function putChannelPolicy(trx: Trx, policy: ChannelPolicy): Promise<ChannelPolicy> {
  const values = {
    channel: policy.channel,
    location_kinds: JSON.stringify(policy.locationKinds),
    locations: policy.locations === null ? null : JSON.stringify(policy.locations),
    extra_safety_stock: policy.extraSafetyStock,
    max_line_quantity: policy.maxLineQuantity,
    max_order_quantity: policy.maxOrderQuantity,
    updated_at: nowIso(),
  };
  await trx
    .insertInto('channel_stock_policies')
    .values(values)
    .onConflict((oc) => oc.column('channel').doUpdateSet({ ...values }))
    .execute();
  return policy;
}

export type { NearbyStock, SkuStock };
