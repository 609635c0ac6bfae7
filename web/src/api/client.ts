import { clearSession, readSession } from '../auth/session';

/** An RFC 9457 problem as the API sends it (`application/problem+json`). */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
  requestId?: string;
}

/** A failed API call: the problem's `detail` is what the person reads. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: { path: string; message: string }[];
  readonly requestId: string | undefined;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.detail = problem.detail || problem.title;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
  }

  /** The route itself does not exist on this server (a capability that has not landed yet). */
  get routeMissing(): boolean {
    return this.status === 404 && this.code === 'REQUEST.NOT_FOUND';
  }
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

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Send no token even when signed in (login). */
  anonymous?: boolean;
  /** Reuse a key when the same action is retried on purpose. */
  idempotencyKey?: string;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (body && typeof body === 'object' && (body.detail || body.title)) {
      return {
        title: body.title ?? response.statusText,
        status: body.status ?? response.status,
        code: body.code ?? `HTTP.${response.status}`,
        detail: body.detail ?? body.title ?? response.statusText,
        ...(body.errors ? { errors: body.errors } : {}),
        ...(body.requestId ? { requestId: body.requestId } : {}),
      };
    }
  } catch {
    // Not JSON: a proxy's error page or a dropped connection.
  }
  return {
    title: response.statusText || 'Error',
    status: response.status,
    code: `HTTP.${response.status}`,
    detail: `HTTP ${response.status} ${response.statusText}`.trim(),
  };
}

/** One call to the OmniLoop API: bearer token, JSON both ways, problem+json turned into an ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const session = options.anonymous ? null : readSession();
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // Every POST carries a fresh key: a network retry of the same click cannot create a second thing.
  if (method === 'POST') headers['idempotency-key'] = options.idempotencyKey ?? uuid();

  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      title: 'Network error',
      status: 0,
      code: 'NETWORK',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && session) {
      clearSession();
      window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    }
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) =>
    request<T>('GET', path, { ...(query ? { query } : {}), ...(signal ? { signal } : {}) }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...options, body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** A path segment: SKU and location codes are the brand's own and may hold anything. */
export const seg = (value: string) => encodeURIComponent(value);

/** What a thrown value says to a person. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
