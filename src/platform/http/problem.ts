import type { FastifyError } from 'fastify';
import { DomainError, type ErrorKind, type FieldError, fieldPath } from '../errors.js';

/** The one place where a kind of failure becomes an HTTP status. */
export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_large: 413,
  too_many: 429,
  unavailable: 503,
  insufficient_storage: 507,
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  /** The named values of this occurrence (the SKU, the store, how many were left): what a translated sentence
   * of `code` may say. */
  params?: Record<string, string | number | boolean>;
  requestId?: string;
  [extra: string]: unknown;
}

export function problemOf(error: DomainError): Problem {
  const problem: Problem = {
    ...(error.extra ?? {}),
    type: `urn:omniloop:problem:${error.code}`,
    title: error.title,
    status: STATUS_OF_KIND[error.kind],
    code: error.code,
    detail: error.detail,
  };
  if (error.errors) problem.errors = error.errors;
  const params = Object.entries(error.extra ?? {}).filter(
    (entry): entry is [string, string | number | boolean] =>
      ['string', 'number', 'boolean'].includes(typeof entry[1]),
  );
  if (params.length > 0) problem.params = Object.fromEntries(params);
  return problem;
}

interface AjvError {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

/** Turns schema-validation failures into `{path, message}` pairs that name each bad field. */
export function fieldErrorsOf(
  error: FastifyError & { validation?: AjvError[]; validationContext?: string },
): FieldError[] {
  const where =
    error.validationContext === 'body' || error.validationContext === undefined
      ? ''
      : `${error.validationContext === 'querystring' ? 'query' : error.validationContext}.`;
  return (error.validation ?? []).map((v) => {
    let path = fieldPath(v.instancePath);
    const child = v.params.missingProperty ?? v.params.additionalProperty;
    if (typeof child === 'string') path = path ? `${path}.${child}` : child;
    const message =
      v.keyword === 'additionalProperties' ? 'is not a known field' : (v.message ?? 'is invalid');
    const field: FieldError = { path: `${where}${path || '(root)'}`, message, rule: v.keyword };
    const limit = limitOf(v);
    if (limit !== undefined) field.limit = limit;
    return field;
  });
}

/** The bound a schema rule names, as the console's sentence for the rule says it. */
function limitOf(v: AjvError): string | number | undefined {
  const p = v.params;
  if (typeof p.limit === 'number') return p.limit;
  if (Array.isArray(p.allowedValues)) return p.allowedValues.join('|');
  if (typeof p.format === 'string') return p.format;
  if (typeof p.type === 'string') return p.type;
  return undefined;
}

export function isDomain(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
