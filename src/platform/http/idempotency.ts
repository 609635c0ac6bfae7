import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Trx } from '../db/index.js';
import { RequestErrors } from '../errors.js';
import { isoAfter, nowIso } from '../time.js';
import type { AppContext } from './context.js';

interface IdempotencyClaim {
  scope: string;
  key: string;
  completed: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | undefined;
  }
}

// A request that dies without answering (a crash) holds its key this long before a retry may run it again.
const CLAIM_MS = 30_000;

/**
 * `Idempotency-Key` on POST: the first request with a key runs and its answer is stored; the same key with the
 * same body replays that answer (also after a restart: it is in the database); with another body → 422.
 * Routes that change data answer through `command()`, which stores the answer in the same transaction as the
 * change, so "changed but answer not stored" cannot happen.
 */
export function registerIdempotency(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('idempotency', undefined);

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '' || !request.principal) return;
    if (key.length > 255) {
      throw RequestErrors.invalid('Idempotency-Key is too long', {
        errors: [{ path: 'headers.idempotency-key', message: 'at most 255 characters' }],
      });
    }
    const scope = `${request.principal.role}:${request.principal.subject}`;
    const hash = requestHash(request);
    const db = ctx.database.db;
    const now = nowIso();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        request_hash: hash,
        state: 'running',
        response_status: null,
        response_body: null,
        locked_until: isoAfter(CLAIM_MS),
        created_at: now,
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
      request.idempotency = { scope, key, completed: false };
      return;
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== hash) {
      throw RequestErrors.idempotencyKeyReused(
        `The Idempotency-Key "${key}" was first used with a different request`,
      );
    }
    if (existing.state === 'done' && existing.response_status !== null) {
      return replay(reply, existing.response_status, existing.response_body ?? '');
    }
    if (existing.locked_until > now) {
      throw RequestErrors.idempotencyInProgress(
        `A request with Idempotency-Key "${key}" is still running; retry shortly`,
      );
    }
    // The first attempt died without an answer and without committing (its answer would be stored): take over.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ locked_until: isoAfter(CLAIM_MS) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('state', '=', 'running')
      .where('locked_until', '=', existing.locked_until)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) {
      throw RequestErrors.idempotencyInProgress(
        `A request with Idempotency-Key "${key}" is still running; retry shortly`,
      );
    }
    request.idempotency = { scope, key, completed: false };
  });

  // Answers not given through command() (errors, reads, routes without a transaction) are stored here; a
  // server error frees the key so that the client's retry runs again.
  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotency;
    if (!claim || claim.completed) return payload;
    claim.completed = true;
    const db = ctx.database.db;
    if (reply.statusCode >= 500) {
      // When the database itself is away this fails too; the claim then lapses on its own (CLAIM_MS).
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .execute()
        .catch((error: unknown) => request.log.warn({ err: error }, 'could not free an idempotency key'));
    } else {
      await db
        .updateTable('idempotency_keys')
        .set({
          state: 'done',
          response_status: reply.statusCode,
          response_body: typeof payload === 'string' ? payload : '',
        })
        .where('scope', '=', claim.scope)
        .where('key', '=', claim.key)
        .execute();
    }
    return payload;
  });
}

/**
 * Runs a route's change in one transaction and, when the request carries an Idempotency-Key, stores the answer
 * in that same transaction. The route's services receive the transaction explicitly.
 */
export async function command<T>(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  change: (trx: Trx) => Promise<T>,
  options: { shared?: boolean } = {},
): Promise<T> {
  reply.code(status);
  const work = async (trx: Trx) => {
    const value = await change(trx);
    await recordAnswer(trx, request, reply, value);
    return value;
  };
  // Work that is safe beside other work of its kind may share a transaction with it (Database.transactionShared).
  const result = await (options.shared
    ? ctx.database.transactionShared(work)
    : ctx.database.transaction(work));
  markAnswered(request);
  return result;
}

/**
 * Stores the answer of an idempotent request inside `trx` (for routes whose change runs in a transaction they do
 * not open themselves, e.g. a group commit). Set the status on `reply` first; call `markAnswered` after commit.
 */
export async function recordAnswer(
  trx: Trx,
  request: FastifyRequest,
  reply: FastifyReply,
  value: unknown,
): Promise<void> {
  const claim = request.idempotency;
  // Serialised by the route's response schema, exactly as it will be sent.
  if (claim) await storeAnswer(trx, claim, reply.statusCode, String(reply.serialize(value)));
}

/** After the transaction that recorded the answer has committed. */
export function markAnswered(request: FastifyRequest): void {
  if (request.idempotency) request.idempotency.completed = true;
}

async function storeAnswer(trx: Trx, claim: IdempotencyClaim, status: number, body: string): Promise<void> {
  await trx
    .updateTable('idempotency_keys')
    .set({ state: 'done', response_status: status, response_body: body })
    .where('scope', '=', claim.scope)
    .where('key', '=', claim.key)
    .execute();
}

function replay(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .header('idempotent-replayed', 'true')
    .type(status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8')
    .send(body);
}

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${stableStringify(request.body ?? null)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so that the same body sent with its fields in another order is the same request. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.keys(value as object)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}
