import type { Duplex } from 'node:stream';
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type FieldError, RequestErrors } from '../errors.js';

// What every request passes before a route sees it, so that bad input is a 400 naming the field and never a 500
// from the database or a silently changed value.

const AJV_OPTIONS = { allErrors: true, removeAdditional: false, useDefaults: true } as const;

/**
 * Validators per part of the request. A querystring or path parameter is text on the wire, so `?limit=20` is
 * coerced to the integer its schema says. A JSON body already has types: coercing it would turn `{"active": null}`
 * into `false` (deactivating a store) and `"sku": 123` into `"123"`, so a body is checked as sent.
 */
export function validatorCompilers(): NonNullable<FastifyServerOptions['schemaController']> {
  const factory = AjvCompiler();
  return {
    compilersFactory: {
      buildValidator(externalSchemas, ajvOptions) {
        // Fastify passes its `ajv` server option (plugins, none here); only coercion differs between the two.
        const { plugins } = (ajvOptions ?? {}) as { plugins?: [] };
        const schemas = externalSchemas as Parameters<typeof factory>[0];
        const coercing = factory(schemas, {
          plugins,
          customOptions: { ...AJV_OPTIONS, coerceTypes: 'array' },
        });
        const exact = factory(schemas, { plugins, customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
        return (route) => (route.httpPart === 'body' ? exact(route) : coercing(route));
      },
    },
  };
}

/**
 * The first text in a value that the databases cannot keep: PostgreSQL refuses a NUL character in text (a 500
 * before), and a lone UTF-16 surrogate is not Unicode at all. Returns its path, or null.
 */
// A NUL, or a UTF-16 surrogate that is not half of a pair (with the `u` flag, paired ones read as one code point).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

export function unstorableText(value: unknown, path: string): string | null {
  if (typeof value === 'string') {
    return UNSTORABLE.test(value) ? path : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (UNSTORABLE.test(key)) return keyPath;
      const found = unstorableText((value as Record<string, unknown>)[key], keyPath);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses text no database can store, in the body, the query and the path, before validation. */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const found =
      unstorableText(request.params, 'params') ??
      unstorableText(request.query, 'query') ??
      unstorableText(request.body, '');
    if (found === null) return;
    const errors: FieldError[] = [
      { path: found || '(body)', message: 'must not contain NUL characters or invalid Unicode' },
    ];
    throw RequestErrors.invalid(`Invalid request: ${errors[0]!.path} ${errors[0]!.message}`, { errors });
  });
}

/**
 * Answers what Node's HTTP parser refuses before Fastify sees a request (headers or a URL too large: 431;
 * anything unreadable: 400) as problem+json, like every other error, then closes the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const code = tooLarge ? 'REQUEST.HEADERS_TOO_LARGE' : 'REQUEST.INVALID';
  const body = JSON.stringify({
    type: `urn:omniloop:problem:${code}`,
    title: tooLarge ? 'The request line or headers are too large' : 'The request could not be read',
    status,
    code,
    detail: tooLarge
      ? 'The URL and headers together must stay under 16 KiB.'
      : 'The request is not valid HTTP.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
