// `npm run api:examples`: runs the test suite with example recording on (test/helpers/examples.ts) and keeps one
// example per operation in src/platform/http/examples.json, which /openapi.json shows beside each answer. The
// examples are what the platform really answered in a run, not text written by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedExample } from '../test/helpers/examples.js';

const folder = mkdtempSync(join(tmpdir(), 'omniloop-examples-'));
// The document's own test checks the examples this writes, so it is not part of the run that makes them.
const run = spawnSync(
  'npx',
  ['vitest', 'run', '--exclude', 'test/openapi.test.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, OMNILOOP_RECORD_EXAMPLES: folder },
  },
);
if (run.status !== 0) {
  rmSync(folder, { recursive: true, force: true });
  process.exit(run.status ?? 1);
}

// A long example shows more of an answer than a short one (a list with items, an order with its plan), up to a
// size that keeps the document readable.
const MOST = 6_000;
const chosen = new Map<string, RecordedExample & { size: number }>();
for (const file of readdirSync(folder).sort()) {
  for (const example of JSON.parse(readFileSync(join(folder, file), 'utf8')) as RecordedExample[]) {
    const masked = mask(example);
    const size = JSON.stringify(masked).length;
    const current = chosen.get(example.operation);
    const better =
      !current || (size <= MOST ? current.size > MOST || size > current.size : size < current.size);
    if (better) chosen.set(example.operation, { ...masked, size });
  }
}
rmSync(folder, { recursive: true, force: true });

// Run on some test files only (`npm run api:examples -- src/inventory`), it adds to the examples kept, not replaces.
const target = join(import.meta.dirname, '../src/platform/http/examples.json');
const kept =
  process.argv.length > 2 ? (JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown>) : {};
const recorded = Object.fromEntries(
  [...chosen.keys()].sort().map((operation) => {
    const { size: _, operation: __, ...example } = chosen.get(operation)!;
    return [operation, example];
  }),
);
const examples = Object.fromEntries(
  Object.entries({ ...kept, ...recorded }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(target, `${JSON.stringify(examples, null, 1)}\n`);
console.log(
  `${chosen.size} operations recorded; ${Object.keys(examples).length} with an example → ${target}`,
);

/** Tokens and secrets in an example are the test run's, but a document should not look as if it leaked some. */
function mask<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, inner) =>
    typeof inner === 'string' && /token|secret|^key$|apiKey/i.test(key) ? '…' : inner,
  ) as T;
}
