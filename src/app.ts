import type { FastifyInstance } from 'fastify';
import { aftersalesModule } from './aftersales/index.js';
import { audienceModules } from './audience/index.js';
import { catalogModule } from './catalog/index.js';
import { experienceModule } from './experience/index.js';
import { fulfillmentModule } from './fulfillment/index.js';
import { importsModule } from './imports/index.js';
import { inventoryModule } from './inventory/index.js';
import { locationsModule } from './locations/index.js';
import { loyaltyModule } from './loyalty/index.js';
import { linkMemberRecords, membersModule } from './members/index.js';
import { orderLink, ordersModule } from './orders/index.js';
import { paymentsModule } from './payments/index.js';
import { createServer, type ServerOptions } from './platform/http/server.js';
import { type AppContext, type AppModule, platformModule } from './platform/index.js';
import { webModule } from './web/web.module.js';

/** Every bounded context of OmniLoop, in the order their routes are registered. */
export const modules: AppModule[] = [
  platformModule,
  locationsModule,
  catalogModule,
  inventoryModule,
  membersModule,
  ordersModule,
  fulfillmentModule(orderLink),
  paymentsModule,
  loyaltyModule,
  experienceModule,
  aftersalesModule,
  importsModule,
  ...audienceModules,
  webModule,
];

// Which tables hold a member's rows (a merge moves them) and what the member 360 view shows, from every module's
// fields: once, here, before anything of this node merges or shows a member.
linkMemberRecords(modules);

/** The whole HTTP application for one node, without listening: tests `inject`, the CLI listens. */
export function buildApp(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  return createServer(ctx, modules, options);
}
