import type { FastifyInstance } from 'fastify';
import { createServer, type ServerOptions } from './platform/http/server.js';
import { type AppContext, type AppModule, platformModule } from './platform/index.js';

/** Every bounded context of OmniLoop, in the order their routes are registered. */
export const modules: AppModule[] = [platformModule];

/** The whole HTTP application for one node, without listening: tests `inject`, the CLI listens. */
export function buildApp(ctx: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  return createServer(ctx, modules, options);
}
