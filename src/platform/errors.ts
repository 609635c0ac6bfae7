/**
 * Expected business outcomes are DomainErrors with a stable, namespaced code (`INVENTORY.INSUFFICIENT_STOCK`).
 * The domain says what kind of failure it is; only the HTTP error handler turns a kind into a status.
 */
export type ErrorKind =
  | 'invalid' // the request is malformed or breaks a rule about its own content
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict' // the request is fine but the current state does not allow it
  | 'unprocessable' // the request cannot be honoured as sent (e.g. idempotency key reused)
  | 'too_many' // the caller sent too many requests of this kind; retry after a while
  | 'too_large' // the request is bigger than the server takes
  | 'unavailable' // the service cannot do it right now (the database is unreachable); retry later
  | 'insufficient_storage'; // no room left to write it

export interface FieldError {
  /** The field as the request's validator names it: `lines[1].quantity`, `fulfillment.address.city`. */
  path: string;
  message: string;
  /** The schema rule the field breaks (`required`, `minimum`, `maxLength`, `enum` …), for a translated sentence. */
  rule?: string;
  /** The rule's bound or allowed values (`minimum` 1, `enum` pickup|delivery …). */
  limit?: string | number;
}

/** A JSON pointer (`/lines/1/quantity`, as JSON Schema validators say where) as a field's path: `lines[1].quantity`. */
export function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('')
    .replace(/^\./, '');
}

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: string,
    kind: ErrorKind,
    title: string,
    detail: string,
    options: { errors?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.title = title;
    this.errors = options.errors;
    this.extra = options.extra;
  }

  get detail(): string {
    return this.message;
  }
}

export type ErrorFactory = ((
  detail: string,
  options?: { errors?: FieldError[]; extra?: Record<string, unknown> },
) => DomainError) & {
  code: string;
  kind: ErrorKind;
  title: string;
};

/** Every code any context has declared: what the console must be able to say in each language. */
const catalogue = new Map<string, { kind: ErrorKind; title: string }>();

/** Declares one entry of a context's error catalogue; call the result to make the error. */
export function defineError(code: string, kind: ErrorKind, title: string): ErrorFactory {
  const known = catalogue.get(code);
  if (known !== undefined && (known.kind !== kind || known.title !== title))
    throw new Error(`Error code ${code} is declared twice, differently`);
  catalogue.set(code, { kind, title });
  const make = (detail: string, options?: { errors?: FieldError[]; extra?: Record<string, unknown> }) =>
    new DomainError(code, kind, title, detail, options);
  return Object.assign(make, { code, kind, title });
}

/** The codes declared so far (every context's, once the app's modules are loaded), with their kind and title. */
export function declaredErrors(): ReadonlyMap<string, { kind: ErrorKind; title: string }> {
  return catalogue;
}

export function isDomainError(error: unknown, factory?: ErrorFactory): error is DomainError {
  return error instanceof DomainError && (factory === undefined || error.code === factory.code);
}

/** The platform's own catalogue. */
export const RequestErrors = {
  invalid: defineError('REQUEST.INVALID', 'invalid', 'The request is not valid'),
  notFound: defineError('REQUEST.NOT_FOUND', 'not_found', 'No such route'),
  idempotencyKeyReused: defineError(
    'REQUEST.IDEMPOTENCY_KEY_REUSED',
    'unprocessable',
    'This Idempotency-Key was used with another request',
  ),
  idempotencyInProgress: defineError(
    'REQUEST.IDEMPOTENCY_IN_PROGRESS',
    'conflict',
    'A request with this Idempotency-Key is still being processed',
  ),
  tooLarge: defineError('REQUEST.TOO_LARGE', 'too_large', 'The request body is too large'),
};

export const AuthErrors = {
  unauthenticated: defineError('AUTH.UNAUTHENTICATED', 'unauthenticated', 'Authentication required'),
  invalidCredentials: defineError(
    'AUTH.INVALID_CREDENTIALS',
    'unauthenticated',
    'Wrong username or password',
  ),
  forbidden: defineError('AUTH.FORBIDDEN', 'forbidden', 'Your role may not do this'),
  storeForbidden: defineError('AUTH.STORE_FORBIDDEN', 'forbidden', 'This belongs to another store'),
  userExists: defineError('AUTH.USER_EXISTS', 'conflict', 'This username is taken'),
};

/** The service itself failing, not the request: the client may retry (`Retry-After`), nothing was written. */
export const ServiceErrors = {
  unavailable: defineError('SERVICE.UNAVAILABLE', 'unavailable', 'The service is briefly unavailable'),
  storageFull: defineError('SERVICE.STORAGE_FULL', 'insufficient_storage', 'The database has no room left'),
};
