import type { FastifyInstance } from 'fastify';
import { catalogModule } from './catalog/index.js';
import { inventoryModule } from './inventory/index.js';
import { locationsModule } from './locations/index.js';
import { membersModule } from './members/index.js';
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
  webModule,
];

/** The whole HTTP application for one node, without listening: tests `inject`, the CLI listens. */
export function buildApp(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  return createServer(ctx, modules, options);
}
