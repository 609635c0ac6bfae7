import type { RouteOptions } from 'fastify';
import type { ErrorFactory } from '../errors.js';
import { STATUS_OF_KIND } from './problem.js';
import recorded from './recorded.json' with { type: 'json' };
import chinese from './summaries.zh-CN.json' with { type: 'json' };

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The context's errors this route may answer, beyond those every route may (listed in /openapi.json under
     * their status with their codes).
     */
    problems?: readonly ErrorFactory[];
  }
}

/**
 * An RFC 9457 problem as every error answer carries it: one shared schema (`Problem`, registered on the server),
 * which the document lists once under components and every error answer refers to.
 */
export const PROBLEM_SCHEMA = {
  $id: 'Problem',
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', description: '`urn:omniloop:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable and namespaced: what a client and the console switch on' },
    detail: {
      type: 'string',
      description: 'for people, in English; the console says it from `code` and `params` in their language',
    },
    params: {
      type: 'object',
      description:
        'the named values of this occurrence (sku, location, available …) a translated sentence may use',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    errors: {
      type: 'array',
      description: 'each bad field of a 400',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string' },
          message: { type: 'string', description: 'in English' },
          rule: {
            type: 'string',
            description:
              'the schema rule broken (`required`, `minimum`, `maxLength`, `enum` …): what the console translates',
          },
          limit: {
            type: ['string', 'number'],
            description: 'the rule’s bound, or the allowed values joined by |',
          },
        },
      },
    },
    requestId: { type: 'string' },
  },
} as const;

/**
 * The contexts as /docs groups the operations, in the brand's words (zh-CN, then English). A tag not listed here
 * still works; it only lacks its description.
 */
export const TAGS = [
  { name: 'meta', description: '系统 · Health and this document' },
  { name: 'auth', description: '登录与账号 · Staff and customer login, staff accounts, channel API keys' },
  { name: 'events', description: '实时事件 · The live event stream (SSE) channels follow' },
  { name: 'locations', description: '门店与仓库 · Warehouses and stores, their capabilities and capacity' },
  { name: 'catalog', description: '商品 · Products (SPU) and SKUs, prices in fen' },
  {
    name: 'inventory',
    description: '库存 · One live stock picture: levels, ledger, reservations, transfers',
  },
  { name: 'members', description: '会员 One ID · Identity, the 360 view, consent, privacy' },
  { name: 'orders', description: '订单 · Any channel’s order, sourced, reserved and paid' },
  { name: 'fulfillment', description: '履约 · A store’s tasks, pickups (核销) and shipments' },
  { name: 'payments', description: '支付与退款 · Payments, provider notifications, refunds' },
  { name: 'imports', description: '历史导入 · The brand’s order history brought in from its old systems' },
  {
    name: 'audience',
    description: '客户数据 · Members’ activity, traits, tags, RFM and segments, derived from the facts',
  },
  { name: 'loyalty', description: '积分与等级 · Tiers, earning rules, the points ledger' },
  { name: 'coupons', description: '优惠券 · Templates, issuing, redeeming at the counter' },
  { name: 'experience', description: '门店体验 · Trials, favourites, recommendations' },
  { name: 'after-sales', description: '售后 · Returns and exchanges from and to any channel' },
  { name: 'appointments', description: '预约 · Service slots and appointments at stores' },
];

/** Examples of an operation's request and answer, from a run of the test suite (`npm run api:examples`). */
const EXAMPLES = recorded.examples as Record<
  string,
  { status: number; request?: unknown; response: unknown }
>;
/** The problem codes each operation answered in that run, by status: listed beside those the route declares. */
const SEEN_PROBLEMS = recorded.problems as Record<string, Record<string, string[]>>;

/** Each operation's summary in Chinese (`METHOD /path` → 摘要); openapi.test.ts checks every operation has one. */
const SUMMARIES_ZH = chinese as Record<string, string>;

/** What every route may answer besides its own: the platform's errors, by status. */
const COMMON = {
  invalid: { status: 400, codes: ['REQUEST.INVALID'] },
  unauthenticated: { status: 401, codes: ['AUTH.UNAUTHENTICATED'] },
  forbidden: { status: 403, codes: ['AUTH.FORBIDDEN', 'AUTH.STORE_FORBIDDEN'] },
  replay: { status: 422, codes: ['REQUEST.IDEMPOTENCY_KEY_REUSED'] },
  inProgress: { status: 409, codes: ['REQUEST.IDEMPOTENCY_IN_PROGRESS'] },
} as const;

type Schema = Record<string, unknown> & { response?: Record<string, unknown>; description?: string };

const IDEMPOTENCY_HEADERS = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description:
        'Any unique text per intended action: a retry with the same key and body replays the first answer instead of acting twice',
    },
  },
} as const;

/**
 * Completes a route's OpenAPI description from what the route already declares, so that no route repeats it:
 * who may call it (`security`, `x-roles` and a line of its description), and its error answers as
 * `application/problem+json` with the codes each status may carry.
 */
export function describeRoute(route: RouteOptions): void {
  const schema = route.schema as Schema | undefined;
  if (!schema || schema.hide) return;
  const auth = route.config?.auth;
  const problems = new Map<number, Set<string>>();
  const add = (status: number, codes: readonly string[]) => {
    const set = problems.get(status) ?? new Set<string>();
    for (const code of codes) set.add(code);
    problems.set(status, set);
  };
  if (auth === 'public') {
    schema.security = [];
  } else if (auth) {
    schema['x-roles'] = [...auth.roles];
    schema.description = [schema.description, `Roles: ${auth.roles.join(', ')}.`]
      .filter(Boolean)
      .join('\n\n');
    add(COMMON.unauthenticated.status, COMMON.unauthenticated.codes);
    add(COMMON.forbidden.status, COMMON.forbidden.codes);
  }
  if (schema.body || schema.querystring || schema.params) add(COMMON.invalid.status, COMMON.invalid.codes);
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  if (methods.some((method) => method === 'POST')) {
    add(COMMON.replay.status, COMMON.replay.codes);
    add(COMMON.inProgress.status, COMMON.inProgress.codes);
    // Every POST takes an Idempotency-Key (idempotency.ts); a generated client offers it as a header parameter.
    if (!schema.headers) schema.headers = IDEMPOTENCY_HEADERS;
  }
  for (const factory of route.config?.problems ?? []) add(STATUS_OF_KIND[factory.kind], [factory.code]);
  const operation = `${methods[0]} ${route.url.replace(/:(\w+)/g, '{$1}')}`;
  for (const [status, codes] of Object.entries(SEEN_PROBLEMS[operation] ?? {})) add(Number(status), codes);
  // /docs in the brand's words: the summary in Chinese, then in English.
  const zh = SUMMARIES_ZH[operation];
  if (zh && typeof schema.summary === 'string' && !schema.summary.startsWith(zh))
    schema.summary = `${zh} · ${schema.summary}`;
  const response: Record<string, unknown> = { ...(schema.response ?? {}) };
  for (const [status, codes] of [...problems].sort(([a], [b]) => a - b)) {
    if (response[status] !== undefined) continue;
    response[status] = {
      description: `Problem: ${[...codes].join(', ')}`,
      content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
    };
  }
  schema.response = response;
}

/**
 * Puts the recorded examples beside each operation's answer and request in the finished document (as each media
 * type's `example`). They are added after the schemas are converted, never inside them: an example is data, and a
 * field of it named like a schema keyword (`properties`, `items`) must not be read as one.
 */
export function withExamples<D extends { paths?: object }>(document: D): D {
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries((operations ?? {}) as Record<string, unknown>)) {
      const example = EXAMPLES[`${method.toUpperCase()} ${path}`];
      if (!example || typeof operation !== 'object' || operation === null) continue;
      const op = operation as {
        responses?: Record<string, { content?: Record<string, { example?: unknown }> }>;
        requestBody?: { content?: Record<string, { example?: unknown }> };
      };
      for (const media of Object.values(op.responses?.[String(example.status)]?.content ?? {})) {
        media.example = example.response;
      }
      if (example.request !== undefined) {
        for (const media of Object.values(op.requestBody?.content ?? {})) media.example = example.request;
      }
    }
  }
  return document;
}
