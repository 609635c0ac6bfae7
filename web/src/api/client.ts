import createClient, { type Middleware } from 'openapi-fetch';
import { clearSession, readSession } from '../auth/session';
import { activeLocale } from '../i18n/active-locale';
import type { components, paths } from './schema';

// The console's one way to the API: an openapi-fetch client typed by `schema.d.ts`, which `npm run api:types`
// generates from the server's /openapi.json. A path, a parameter, a body or an answer that the routes do not
// declare does not compile; no page writes a URL or an answer's type by hand (the modules beside this one name
// each call once).

/** An RFC 9457 problem as the API sends it (`application/problem+json`). */
export type Problem = components['schemas']['Problem'];

/** A failed API call: its stable `code` and `params` are what the console translates for the person. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: NonNullable<Problem['errors']>;
  readonly params: Record<string, string | number | boolean>;
  readonly requestId: string | undefined;

  constructor(problem: Pick<Problem, 'title' | 'status' | 'code' | 'detail'> & Partial<Problem>) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail || problem.title;
    this.errors = problem.errors ?? [];
    this.params = problem.params ?? {};
    this.requestId = problem.requestId;
  }
}

type ProblemTexts = typeof import('../i18n/problems');
let problemTexts: ProblemTexts | undefined;
let loadingTexts: Promise<void> | undefined;

/**
 * The sentences for problem codes (both languages, about 10 kB) are a chunk of their own, so that no first screen
 * carries them: fetched when the console is idle after it shows, and awaited before a failed call throws, so that
 * every ApiError can be said in words. Should the chunk not load, the server's `detail` is shown.
 */
export function loadProblemTexts(): Promise<void> {
  loadingTexts ??= import('../i18n/problems').then(
    (texts) => {
      problemTexts = texts;
    },
    () => {
      loadingTexts = undefined;
    },
  );
  return loadingTexts;
}

/** A bad field of a problem in the reader's language (its schema rule and bound), once the texts are here. */
export function fieldTextOf(
  locale: Parameters<ProblemTexts['fieldText']>[0],
  field: Parameters<ProblemTexts['fieldText']>[1],
): string | undefined {
  return problemTexts?.fieldText(locale, field);
}

/** Fired when the server no longer accepts the stored token; the session provider sends the person to login. */
export const UNAUTHORIZED_EVENT = 'omniloop:unauthorized';

/** A random RFC 4122 v4 id; `crypto.randomUUID` only exists on secure origins, a LAN address is not one. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Every POST carries a fresh key unless the caller retries on purpose with its own: a network retry of the same
// click cannot create a second thing.
const idempotency: Middleware = {
  onRequest({ request }) {
    if (request.method === 'POST' && !request.headers.has('idempotency-key'))
      request.headers.set('idempotency-key', uuid());
    return request;
  },
};

const session: Middleware = {
  onRequest({ request }) {
    const current = readSession();
    if (current) request.headers.set('authorization', `Bearer ${current.token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('authorization')) {
      clearSession();
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    }
    return response;
  },
};

/** The signed-in person's client: bearer token, idempotency keys. */
export const client = createClient<paths>({ baseUrl: '' });
client.use(idempotency, session);

/** For the calls made before there is a session (login, SMS codes): no token is sent even if one is stored. */
export const anonymousClient = createClient<paths>({ baseUrl: '' });
anonymousClient.use(idempotency);

function problemOf(body: unknown, response: Response): ConstructorParameters<typeof ApiError>[0] {
  const p = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
  if (p.code || p.detail || p.title) {
    return {
      ...p,
      title: p.title ?? response.statusText,
      status: p.status ?? response.status,
      code: p.code ?? `HTTP.${response.status}`,
      detail: p.detail ?? p.title ?? response.statusText,
    };
  }
  // Not a problem: a proxy's error page or a dropped connection.
  return {
    title: response.statusText || 'Error',
    status: response.status,
    code: `HTTP.${response.status}`,
    detail: `HTTP ${response.status} ${response.statusText}`.trim(),
  };
}

/**
 * The answer of a call, or an {@link ApiError} thrown from its problem (or a `NETWORK` one when the server could
 * not be reached). An abort is rethrown as it is.
 */
export async function call<D>(
  pending: Promise<{ data?: D; error?: unknown; response: Response }>,
): Promise<D> {
  let result: { data?: D; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    await loadProblemTexts();
    throw new ApiError({
      title: 'Network error',
      status: 0,
      code: 'NETWORK',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  if (!result.response.ok) {
    await loadProblemTexts();
    throw new ApiError(problemOf(result.error, result.response));
  }
  return result.data as D;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Operation<P extends keyof paths, M extends Method> = paths[P][M & keyof paths[P]];

/** What an operation answers when it succeeds (its 200, 201 or 202 JSON), e.g. `Answer<'/v1/orders/{id}'>`. */
export type Answer<P extends keyof paths, M extends Method = 'get'> =
  Operation<P, M> extends { responses: infer R }
    ? JsonOf<
        R extends { 200: infer A }
          ? A
          : R extends { 201: infer A }
            ? A
            : R extends { 202: infer A }
              ? A
              : never
      >
    : never;

/** An operation's JSON body. */
export type Body<P extends keyof paths, M extends Method = 'post'> =
  Operation<P, M> extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

/** An operation's query parameters. */
export type QueryOf<P extends keyof paths, M extends Method = 'get'> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** One page of a paged list, `{items, nextCursor}`, of any list answer. */
export type PageOf<P extends keyof paths> =
  Answer<P> extends { items: (infer T)[] } ? { items: T[]; nextCursor: string | null } : never;

/** What a thrown value says to a person. */
/**
 * What to tell the person about a failure, in the console's language: the sentence for the problem's code with
 * its params (i18n/problems.ts); the server's English `detail` only for a code the console does not know.
 */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    // An answer that was not a problem (a proxy's page) is said by its status.
    const code = error.code.startsWith('HTTP.') ? 'HTTP' : error.code;
    return (
      problemTexts?.problemText(activeLocale(), code, { ...error.params, status: error.status }) ??
      error.detail
    );
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Every value of a union the API declares, as a list for a select box; the compiler refuses a list that misses
 * one (a status the server adds shows up here first).
 */
export const allOf =
  <T extends string>() =>
  <const A extends readonly T[]>(values: A & ([T] extends [A[number]] ? unknown : never)): readonly T[] =>
    values;

/** `value` when it is one of `values` (a status or channel read from the URL), else undefined. */
export function oneOf<T extends string>(
  values: readonly T[],
  value: string | null | undefined,
): T | undefined {
  return values.find((v) => v === value);
}
