import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertStoreAccess, type Principal, type Role } from '../auth/principal.js';
import { isApiKey, resolveApiKey } from '../auth/users.service.js';
import { safeEqual } from '../crypto.js';
import { AuthErrors } from '../errors.js';
import type { AppContext } from './context.js';

/** What a route declares about who may call it. */
export interface RouteAuth {
  roles: readonly Role[];
  /** Where the route's store comes from; store-scoped staff are refused any other store (one check, here). */
  store?: (request: FastifyRequest) => string | null | undefined;
  /** Also accept `?token=` (EventSource cannot send headers). */
  queryToken?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Every `/v1` route must say who may call it, or `'public'`. */
    auth?: RouteAuth | 'public';
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

/**
 * Authentication and authorisation for every route: the bearer token (the admin token, a channel API key or a
 * signed staff/customer token) becomes `request.principal`; the route's roles and store scope are enforced
 * before its handler runs.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('principal', null as never);
  const resolve = principalResolver(ctx);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/v1') && route.config?.auth === undefined) {
      throw new Error(`Route ${route.method} ${route.url} does not declare config.auth`);
    }
  });

  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (auth === undefined || auth === 'public') return;
    const token = bearerToken(request, auth.queryToken === true);
    const principal = token === undefined ? undefined : await resolve(token);
    if (!principal) {
      throw AuthErrors.unauthenticated(
        token === undefined ? 'Send Authorization: Bearer <token>' : 'The token is invalid or has expired',
      );
    }
    if (!auth.roles.includes(principal.role)) {
      throw AuthErrors.forbidden(
        `Role ${principal.role} may not call ${request.method} ${request.routeOptions.url}`,
      );
    }
    request.principal = principal;
  });

  // After validation, so that the store can come from the parsed body as well as from params or query.
  app.addHook('preHandler', async (request) => {
    const auth = request.routeOptions.config.auth;
    if (auth === undefined || auth === 'public' || auth.store === undefined) return;
    assertStoreAccess(request.principal, auth.store(request));
  });
}

function bearerToken(request: FastifyRequest, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  if (allowQuery) {
    const token = (request.query as Record<string, unknown> | undefined)?.token;
    if (typeof token === 'string' && token !== '') return token;
  }
  return undefined;
}

// A channel app sends its API key with every request; looking it up each time would put a query on every hot
// path. Keys are cached briefly, so a revoked key stops working within this many milliseconds.
const API_KEY_CACHE_MS = 30_000;
const API_KEY_CACHE_SIZE = 1000;
const SIGNED_TOKEN_CACHE_SIZE = 10_000;

function principalResolver(ctx: AppContext): (token: string) => Promise<Principal | undefined> {
  const apiKeys = new Map<string, { principal: Principal | undefined; until: number }>();
  // A verified signed token is remembered until it expires: checking its signature on every request of a
  // session is work with the same answer each time.
  const signed = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    if (ctx.config.adminToken !== undefined && safeEqual(token, ctx.config.adminToken)) {
      return { role: 'admin', subject: 'admin-token', storeCode: null };
    }
    const now = Date.now();
    if (!isApiKey(token)) {
      const known = signed.get(token);
      if (known && known.until > now) return known.principal;
      const verified = ctx.tokens.verifyWithExpiry(token, now);
      if (!verified) return undefined;
      if (signed.size >= SIGNED_TOKEN_CACHE_SIZE) signed.delete(signed.keys().next().value as string);
      signed.set(token, { principal: verified.principal, until: verified.expiresAt });
      return verified.principal;
    }
    const cached = apiKeys.get(token);
    if (cached && cached.until > now) return cached.principal;
    const principal = await resolveApiKey(ctx.database.db, token);
    if (apiKeys.size >= API_KEY_CACHE_SIZE) apiKeys.delete(apiKeys.keys().next().value as string);
    apiKeys.set(token, { principal, until: now + API_KEY_CACHE_MS });
    return principal;
  };
}
