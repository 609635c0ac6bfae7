import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';

// Channel developers generate their clients from /openapi.json: a document a standard validator refuses is one
// they cannot use.
describe('/openapi.json', () => {
  let t: TestApp;
  let document: Record<string, unknown>;

  beforeAll(async () => {
    t = await startTestApp({ workers: false });
    const response = await t.request({ method: 'GET', url: '/openapi.json', as: null });
    expect(response.statusCode).toBe(200);
    document = response.json();
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    // The validator dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('gives every operation a summary in Chinese and English, a context tag and a typed answer for each 2xx it gives', () => {
    const gaps: string[] = [];
    const paths = document.paths as Record<string, Record<string, Operation>>;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const name = `${operation.tags?.[0] ?? 'untagged'} ${method.toUpperCase()} ${path}`;
        if (!operation.summary) gaps.push(`${name}: no summary`);
        else if (!/^[^·]*\p{Script=Han}[^·]* · \S/u.test(operation.summary))
          gaps.push(`${name}: no Chinese summary`);
        if (!operation.tags?.length) gaps.push(`${name}: no tag`);
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        if (success.length === 0) gaps.push(`${name}: no 2xx answer`);
        for (const [status, answer] of success) {
          // 204 has no body by definition; every other success answer says what its body is.
          if (status !== '204' && !answer.content) gaps.push(`${name}: ${status} without a body schema`);
        }
      }
    }
    expect(gaps.sort()).toEqual([]);
  });
  it('shows a recorded example answer for every operation (the event stream and CSV downloads aside: they are not JSON)', () => {
    const paths = document.paths as Record<
      string,
      Record<string, { responses?: Record<string, ExampleAnswer> }>
    >;
    const without: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const answers = Object.entries(operation.responses ?? {}).filter(([status]) =>
          status.startsWith('2'),
        );
        const shown = answers.some(([, answer]) =>
          Object.values(answer.content ?? {}).some((media) => media.example !== undefined),
        );
        if (!shown) without.push(`${method.toUpperCase()} ${path}`);
      }
    }
    // `npm run api:examples` records them from a run of the suite.
    expect(without.sort()).toEqual([
      'GET /v1/imports/{id}/rejects',
      'GET /v1/segments/{id}/export',
      'GET /v1/stream',
    ]);
  });
});

interface Operation {
  summary?: string;
  tags?: string[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

interface ExampleAnswer {
  content?: Record<string, { example?: unknown }>;
}
