import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { deriveKey, hmacBase64Url } from '../crypto.js';
import type { DB } from '../db/index.js';
import { defineError } from '../errors.js';

// The routes anyone may call without an account — sending an SMS code, logging in — are what an attacker calls
// in a loop: to spend the brand's SMS budget on one phone, to guess a password or a code. Each gets limits per
// phone or account and per address, counted in the database all nodes share (@fastify/rate-limit keeps the
// windows; this file says which routes and keys, and where the counts live). A channel app's API key may have
// a limit of its own over all routes (set when the key is made), so that one runaway app cannot take the
// platform from the others.

export const RateLimitErrors = {
  limited: defineError('REQUEST.RATE_LIMITED', 'too_many', 'Too many requests; wait before trying again'),
};

interface Limit {
  /** What is counted: the caller's address, or a field of the body (the phone, the username). */
  per: 'ip' | 'phone' | 'username';
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;

/** The limited routes and their limits: all of them, in one place. */
export const PUBLIC_LIMITS: Record<string, readonly Limit[]> = {
  // A code a minute is what a person needs; 5 per 10 minutes stops an SMS bomb on one phone, 30 per address
  // stops one machine walking through phones.
  'POST /v1/auth/sms-codes': [
    { per: 'phone', max: 5, windowMs: 10 * MINUTE },
    { per: 'ip', max: 30, windowMs: 10 * MINUTE },
  ],
  'POST /v1/auth/customer-login': [
    { per: 'phone', max: 10, windowMs: 10 * MINUTE },
    { per: 'ip', max: 60, windowMs: 10 * MINUTE },
  ],
  'POST /v1/auth/login': [
    { per: 'username', max: 10, windowMs: MINUTE },
    { per: 'ip', max: 60, windowMs: MINUTE },
  ],
};

/** Counters in `rate_limit_windows`: one statement per request, atomic on both engines, shared by every node. */
export function databaseRateStore(db: Kysely<DB>) {
  return class DatabaseRateStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = Date.now();
      sql<{ count: number; reset_at: number }>`
        insert into rate_limit_windows (key, count, reset_at) values (${key}, 1, ${now + timeWindow})
        on conflict (key) do update set
          count = case when rate_limit_windows.reset_at <= ${now} then 1 else rate_limit_windows.count + 1 end,
          reset_at = case when rate_limit_windows.reset_at <= ${now} then excluded.reset_at
                          else rate_limit_windows.reset_at end
        returning count, reset_at`
        .execute(db)
        .then(async ({ rows }) => {
          const row = rows[0]!;
          callback(null, { current: Number(row.count), ttl: Math.max(0, Number(row.reset_at) - now) });
          // Ended windows are only kept until someone tidies; one request in a few hundred does.
          if (Math.random() < 0.005)
            await db.deleteFrom('rate_limit_windows').where('reset_at', '<', now).execute();
        })
        .catch((error: Error) => callback(error));
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}

function keyPart(request: FastifyRequest, per: Limit['per']): string | undefined {
  if (per === 'ip') return request.ip;
  const value = (request.body as Record<string, unknown> | undefined)?.[per];
  if (typeof value !== 'string') return undefined;
  if (per !== 'phone') return value.trim().toLowerCase();
  // The same phone written with spaces, a +86 or 0086 is the same phone (a mainland number without its country
  // code is +86, as One ID reads it).
  const digits = value.replace(/\D/g, '').replace(/^00/, '');
  return /^1\d{10}$/.test(digits) ? `86${digits}` : digits;
}

/**
 * Registers the plugin (no global limit) and, on each route of PUBLIC_LIMITS, a check once the body is read: over any of its limits, 429 `REQUEST.RATE_LIMITED` with Retry-After.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  db: Kysely<DB>,
  secret: string,
): Promise<void> {
  await app.register(rateLimit, { global: false, store: databaseRateStore(db) });
  // Keys hold phones, usernames and addresses: stored as keyed hashes, never in clear.
  const hashKey = deriveKey(secret, 'rate-limit');

  // A key with a limit of its own is counted (a write per request); the others are not slowed by counting.
  const limitOf = (request: FastifyRequest) =>
    request.principal?.role === 'channel' ? request.principal.requestsPerMinute : undefined;
  const perApiKey = app.createRateLimit({
    timeWindow: MINUTE,
    max: (request) => limitOf(request) ?? Number.MAX_SAFE_INTEGER,
    keyGenerator: (request) => `api-key|${request.principal.subject}`,
  });
  // After authentication (which names the key) and before validation and the Idempotency-Key's claim.
  app.addHook('preValidation', async (request, reply) => {
    if (typeof limitOf(request) !== 'number') return;
    refuseOver(reply, await perApiKey(request), 'API key');
  });
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const name = `${methods[0]} ${route.url}`;
    const limits = PUBLIC_LIMITS[name];
    if (!limits) return;
    const checks = limits.map((limit) => ({
      limit,
      check: app.createRateLimit({
        max: limit.max,
        timeWindow: limit.windowMs,
        keyGenerator: (request) =>
          hmacBase64Url(hashKey, `${name}|${limit.per}|${keyPart(request, limit.per) ?? ''}`),
      }),
    }));
    // Before validation and before the Idempotency-Key is claimed: a refused request is not stored as an answer.
    const hooks = route.preValidation === undefined ? [] : [route.preValidation].flat();
    route.preValidation = [
      async (request, reply) => {
        for (const { limit, check } of checks) {
          if (limit.per !== 'ip' && keyPart(request, limit.per) === undefined) continue;
          refuseOver(reply, await check(request), limit.per === 'ip' ? 'address' : limit.per);
        }
      },
      ...hooks,
    ];
  });
}

/** Over a limit: 429 `REQUEST.RATE_LIMITED` with Retry-After. */
function refuseOver(
  reply: FastifyReply,
  result: { isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttl: number },
  per: string,
): void {
  if (result.isAllowed || !result.isExceeded) return;
  const seconds = Math.max(1, Math.ceil(result.ttl / 1000));
  reply.header('retry-after', String(seconds));
  throw RateLimitErrors.limited(`Too many requests from this ${per}; try again in ${seconds} s`, {
    extra: { retryAfterSeconds: seconds, per },
  });
}
