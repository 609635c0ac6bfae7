import type { Kysely } from 'kysely';
import { getSkus } from '../catalog/index.js';
import {
  DEFAULT_SOURCING_RULES,
  type FulfillmentRequest,
  loadCandidates,
  planFulfillment,
  type SourcingCandidate,
} from '../fulfillment/index.js';
import { LocationErrors } from '../locations/index.js';
import { type DB, distanceKm, localDay } from '../platform/index.js';
import type { FulfillmentOption, FulfillmentOptions, OptionsRequest } from './options.contract.js';
import type { OrdersDeps } from './orders.deps.js';
import { bookableDays, mergeLines, sellableLines } from './place.rules.js';

/** Pickup stores asked about when she names none: the nearest few are what a checkout offers first. */
const NEAREST_STORES = 5;

/**
 * What the checkout can offer for a basket: pickup at each store asked about (today from its shelf, or after a
 * transfer, with when), delivery and same-day to her position — each planned by the sourcing engine exactly as
 * placing the order would plan it now, with the reason when it cannot. Reads only: nothing is reserved, so stock
 * may change before she orders (the order plans again).
 */
export async function fulfillmentOptions(
  db: Kysely<DB>,
  deps: OrdersDeps,
  input: OptionsRequest,
): Promise<FulfillmentOptions> {
  const quantities = mergeLines(input.lines);
  const lines = sellableLines(quantities, await getSkus(db, [...quantities.keys()]));
  const network = await deps.network(db);
  const pickupStores = network.filter((l) => l.kind === 'store' && l.active && l.capabilities.pickup);
  let stores: string[];
  if (input.stores !== undefined) {
    const unknown = input.stores.find((code) => !network.some((l) => l.code === code && l.kind === 'store'));
    if (unknown !== undefined) {
      throw LocationErrors.notFound(`No store ${unknown}`, {
        errors: [{ path: `stores[${input.stores.indexOf(unknown)}]`, message: `${unknown} is not a store` }],
        extra: { location: unknown },
      });
    }
    stores = [...new Set(input.stores)];
  } else {
    const origin = input.position ?? network.find((l) => l.code === input.storeCode);
    stores = origin
      ? pickupStores
          .map((l) => ({ code: l.code, km: distanceKm(origin, l) }))
          .sort((a, b) => a.km - b.km || (a.code < b.code ? -1 : 1))
          .slice(0, NEAREST_STORES)
          .map((s) => s.code)
      : [];
  }
  const ways: FulfillmentRequest[] = stores.map((store) => ({ type: 'pickup', store }));
  if (input.position) {
    const address = { city: input.position.city, lat: input.position.lat, lng: input.position.lng };
    ways.push({ type: 'delivery', address }, { type: 'same_day', address });
  }
  const now = new Date();
  const day = localDay(now, deps.timeZone);
  // Candidates differ only by the store whose whole shelf counts: delivery and same-day share one read.
  const candidatesOf = new Map<string | null, SourcingCandidate[]>();
  const items: FulfillmentOption[] = [];
  for (const request of ways) {
    const ownStore = request.type === 'pickup' ? request.store : null;
    let candidates = candidatesOf.get(ownStore);
    if (candidates === undefined) {
      ({ candidates } = await loadCandidates(db, deps, {
        channel: input.channel,
        skus: [...quantities.keys()],
        localDay: day,
        ownStore,
      }));
      candidatesOf.set(ownStore, candidates);
    }
    const plan = planFulfillment(
      {
        channel: input.channel,
        lines: lines.map((l) => ({ sku: l.sku.code, quantity: l.quantity })),
        fulfillment: request,
        storeCode: input.storeCode ?? null,
      },
      candidates,
      DEFAULT_SOURCING_RULES[input.channel],
      { now },
    );
    const way = request.type as FulfillmentOption['type'];
    const bookable = way === 'pickup' ? null : bookableDays(way, day);
    items.push(
      plan.ok
        ? {
            type: way,
            store: ownStore,
            available: true,
            reason: null,
            bookable,
            groups: plan.groups.map((g) => ({
              location: g.location,
              type: g.type,
              readyBy: g.readyBy ?? null,
              transfers: g.transfers?.length ?? 0,
              distanceKm: g.distanceKm ?? null,
            })),
          }
        : {
            type: way,
            store: ownStore,
            available: false,
            reason: plan.unfulfillable[0]?.reason ?? 'INSUFFICIENT_STOCK',
            bookable: null,
            groups: [],
          },
    );
  }
  return { items };
}
