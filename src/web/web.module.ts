import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppModule } from '../platform/index.js';

/** The console's client-side areas: each answers with index.html and the browser routes from there. */
export const CONSOLE_ROUTES = ['/', '/login', '/hq', '/hq/*', '/store', '/store/*', '/m', '/m/*'] as const;

/**
 * Where the built console is: `web/dist` at the repository root, found from this file whether it runs from
 * `src/web` (tsx) or `dist/src/web` (compiled).
 */
export function findConsoleDist(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (const up of ['../..', '../../..']) {
    const candidate = resolve(from, up, 'web/dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  return undefined;
}

/** Serves the console (web/dist) at `/` beside the API; without a build it serves nothing and says so. */
export async function registerConsole(app: FastifyInstance, root: string | undefined): Promise<void> {
  if (root === undefined) {
    app.log.info(
      'console not built (web/dist is missing): serving the API only; `npm run build:web` builds it',
    );
    return;
  }
  await app.register(async (scope) => {
    // Static files are public: the console's own calls carry the token.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'public' };
    });
    await scope.register(fastifyStatic, {
      root: join(root, 'assets'),
      prefix: '/assets/',
      // The build writes .br and .gz beside each file (web/vite.config.ts): sent to a browser that accepts them.
      preCompressed: true,
      cacheControl: false,
      // Hashed file names never change content.
      setHeaders: (res) => res.setHeader('cache-control', 'public, max-age=31536000, immutable'),
    });
    scope.get('/favicon.svg', { schema: { hide: true } }, (_request, reply) =>
      reply.header('cache-control', 'public, max-age=86400').sendFile('favicon.svg', root),
    );
    for (const url of CONSOLE_ROUTES) {
      scope.get(url, { schema: { hide: true } }, (_request, reply) =>
        // Always revalidated: a new build's index.html names new chunks.
        reply.header('cache-control', 'no-cache').sendFile('index.html', root),
      );
    }
    app.log.info({ root }, 'console served at /');
  });
}

export const webModule: AppModule = {
  name: 'web',
  routes: (app) => registerConsole(app, findConsoleDist()),
};
