import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

// Every operation of /openapi.json fed what a fuzzer feeds it — cursors this server never gave out, NUL
// characters, integers past any column, numbers past any price — must answer a 4xx problem (or succeed), never
// a 500, on both engines.

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  minLength?: number;
  format?: string;
  anyOf?: Schema[];
  oneOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

const BAD_CURSORS = ['abc', 'dHJ1ZQ', 'W251bGwse31d', 'WyJ4Il0', `${'A'.repeat(150)}`];

function typeOf(schema: Schema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : [schema.type];
  return types[0] ?? (schema.anyOf ?? schema.oneOf)?.[0]?.type?.toString();
}

/** A value the schema would likely accept, so that the one bad field is what the server meets. */
function sample(schema: Schema, depth = 0): unknown {
  if (schema.enum) return schema.enum[0];
  switch (typeOf(schema)) {
    case 'string':
      if (schema.format === 'date-time') return '2026-12-01T00:00:00.000Z';
      if (schema.format === 'date') return '2026-12-01';
      return 'X'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return depth > 3 || !schema.items ? [] : [sample(schema.items, depth + 1)];
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        const property = schema.properties?.[name];
        if (property) value[name] = sample(property, depth + 1);
      }
      return value;
    }
    default:
      return 'X';
  }
}

/** Each way to spoil one field of a body: `[path, body]` pairs. */
function spoiled(schema: Schema, base: unknown, path: string[] = [], depth = 0): [string, unknown][] {
  const out: [string, unknown][] = [];
  const type = typeOf(schema);
  const at = (value: unknown) => setAt(base, path, value);
  if (type === 'string') out.push([`${path.join('.')}=NUL`, at('a\u0000b')]);
  if (type === 'integer') {
    out.push([`${path.join('.')}=2^53+2`, at(2 ** 53 + 2)]);
    out.push([`${path.join('.')}=2^31`, at(2 ** 31)]);
  }
  if (type === 'number') out.push([`${path.join('.')}=1e308`, at(1e308)]);
  if (type === 'object' && schema.properties && depth < 3) {
    for (const [name, property] of Object.entries(schema.properties)) {
      const withField = setAt(base, [...path, name], sample(property, depth + 1));
      out.push(...spoiled(property, withField, [...path, name], depth + 1));
    }
  }
  if (type === 'array' && schema.items && depth < 3) {
    const withItem = setAt(base, path, [sample(schema.items, depth + 1)]);
    out.push(...spoiled(schema.items, withItem, [...path, '0'], depth + 1));
  }
  return out;
}

function setAt(base: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(base)
    ? [...base]
    : { ...((base as Record<string, unknown>) ?? {}) };
  (copy as Record<string, unknown>)[head] = setAt((copy as Record<string, unknown>)[head], rest, value);
  return copy;
}

let t: TestApp;
let document: { paths: Record<string, Record<string, Operation>> };
beforeAll(async () => {
  t = await startTestApp({ workers: false, examples: false });
  document = (await t.request({ method: 'GET', url: '/openapi.json', as: null })).json();
});
afterAll(() => t.close());

describe('every operation under fuzzing', () => {
  it('answers bad cursors, NUL characters and oversized numbers with a 4xx problem, never a 500', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const [template, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (template === '/v1/stream') continue; // an endless event stream, not a request/answer
        const url = template.replace(/\{[^}]+\}/g, 'FUZZ01');
        const verb = method.toUpperCase() as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
        const attempts: { what: string; url: string; body?: unknown }[] = [];
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
        if (query.some((p) => p.name === 'cursor'))
          for (const cursor of BAD_CURSORS)
            attempts.push({ what: `cursor=${cursor}`, url: `${url}?cursor=${cursor}` });
        for (const parameter of query) {
          if (parameter.schema && typeOf(parameter.schema) === 'string')
            attempts.push({ what: `${parameter.name}=NUL`, url: `${url}?${parameter.name}=a%00b` });
          if (parameter.schema && typeOf(parameter.schema) === 'integer')
            attempts.push({ what: `${parameter.name}=1e308`, url: `${url}?${parameter.name}=1e308` });
        }
        const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
        if (bodySchema) {
          const base = sample(bodySchema);
          for (const [what, body] of spoiled(bodySchema, base)) attempts.push({ what, url, body });
        }
        for (const attempt of attempts) {
          sent++;
          const response = await t.request({
            method: verb,
            url: attempt.url,
            ...(attempt.body === undefined ? {} : { body: attempt.body }),
          });
          const problem = String(response.headers['content-type'] ?? '').includes('application/problem+json');
          if (response.statusCode >= 500 || (response.statusCode >= 400 && !problem))
            failures.push(
              `${verb} ${template} ${attempt.what} → ${response.statusCode} ${response.body.slice(0, 160)}`,
            );
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  }, 120_000);
});
