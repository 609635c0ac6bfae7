import { type FulfillmentDeps, fulfillmentDeps } from '../fulfillment/index.js';
import { type Pii, piiFor } from '../members/index.js';
import type { Database } from '../platform/index.js';
import { orderLink } from './order-link.js';

/** What the order hub's services are given: fulfillment's dependencies (its own services call them) and more. */
export interface OrdersDeps extends FulfillmentDeps {
  pii: Pii;
  timeZone: string;
}

const depsOfDatabase = new WeakMap<Database, OrdersDeps>();

/** The order hub's dependencies for one node's database (made once per database, so its caches are shared). */
export function ordersDeps(database: Database, config: { secret: string; timeZone: string }): OrdersDeps {
  let deps = depsOfDatabase.get(database);
  if (!deps) {
    deps = {
      ...fulfillmentDeps(database, orderLink),
      pii: piiFor(config.secret),
      timeZone: config.timeZone,
    };
    depsOfDatabase.set(database, deps);
  }
  return deps;
}
