import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The console reaches the API only through web/src/api, whose calls are typed by the schema.d.ts that
// `npm run api:types` generates from /openapi.json: no page writes a URL or an answer's shape by hand, so a route
// that changes breaks the build, not a screen.

const WEB = join(import.meta.dirname, '../web/src');
const API = join(WEB, 'api');

function sources(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The code without its comments (a comment may name a route). */
const code = (path: string) =>
  readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('the console’s contract with the API', () => {
  it('no page outside web/src/api names an API path', () => {
    const offenders = sources(WEB)
      // The messages may tell an admin where to look (the SMS log); they are text, not calls.
      .filter((path) => !path.startsWith(API) && !path.startsWith(join(WEB, 'i18n')))
      .flatMap((path) =>
        code(path)
          .split('\n')
          .filter((line) => line.includes('/v1/'))
          .map((line) => `${relative(WEB, path)}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it('web/src/api names paths only where the generated types check them', () => {
    // A path is typed when it is the first argument of the openapi-fetch client or of Answer/Body/QueryOf; the
    // live stream (server-sent events, not JSON) is the one route read by other means.
    const typed = /([cC]lient\.(GET|POST|PUT|PATCH|DELETE)\(|Answer<|Body<|QueryOf<)'\/v1\/[^']*'/g;
    const offenders = sources(API).flatMap((path) =>
      code(path)
        .split('\n')
        .map((line) => line.replace(typed, ''))
        .filter((line) => line.includes('/v1/') && !line.includes('/v1/stream?'))
        .map((line) => `${relative(WEB, path)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('writes no answer type by hand: the API modules declare no interfaces but pages and events', () => {
    const declared = sources(API).flatMap((path) =>
      [...code(path).matchAll(/export interface (\w+)/g)].map((m) => `${relative(WEB, path)}: ${m[1]}`),
    );
    // Page<T> is the generic shape of every paged list; LevelChanged and StreamMessage are the live stream's
    // events, not HTTP answers; Resource is the hook's state.
    expect(declared.sort()).toEqual([
      'api/hooks.ts: Resource',
      'api/inventory.ts: LevelChanged',
      'api/stream.ts: StreamMessage',
      'api/types.ts: Page',
    ]);
  });
});

describe('the login page', () => {
  it('offers exactly the demo brand’s accounts', async () => {
    const { DEMO_USERS } = await import('../src/demo/seed.js');
    const { DEMO_ACCOUNTS } = await import('../web/src/auth/demo-accounts.js');
    expect(DEMO_ACCOUNTS).toEqual(
      DEMO_USERS.map((u) => ({
        username: u.username,
        role: u.role,
        ...(u.storeCode ? { store: u.storeCode } : {}),
      })),
    );
  });
});
