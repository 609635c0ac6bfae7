// `npm run api:examples`: runs the test suite with recording on (test/helpers/examples.ts) and keeps, in
// src/platform/http/recorded.json, one example per operation (shown beside each answer in /openapi.json) and every
// problem code each operation answered in the run (listed under its status). Both are what the platform really
// answered, not text written by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedExample, RecordedRun } from '../test/helpers/examples.js';

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
const seenProblems: Record<string, Record<string, Set<string>>> = {};
for (const file of readdirSync(folder).sort()) {
  const run = JSON.parse(readFileSync(join(folder, file), 'utf8')) as RecordedRun;
  for (const [operation, byStatus] of Object.entries(run.problems)) {
    for (const [status, codes] of Object.entries(byStatus)) {
      const byCode = seenProblems[operation] ?? {};
      seenProblems[operation] = byCode;
      byCode[status] = new Set([...(byCode[status] ?? []), ...codes]);
    }
  }
  for (const example of run.examples) {
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
const target = join(import.meta.dirname, '../src/platform/http/recorded.json');
const kept: { examples: Record<string, unknown>; problems: Record<string, Record<string, string[]>> } =
  process.argv.length > 2 ? JSON.parse(readFileSync(target, 'utf8')) : { examples: {}, problems: {} };
const recorded = Object.fromEntries(
  [...chosen.keys()].sort().map((operation) => {
    const { size: _, operation: __, ...example } = chosen.get(operation)!;
    return [operation, example];
  }),
);
const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
const examples = Object.fromEntries(Object.entries({ ...kept.examples, ...recorded }).sort(byName));
const problems: Record<string, Record<string, string[]>> = structuredClone(kept.problems);
for (const [operation, byStatus] of Object.entries(seenProblems)) {
  for (const [status, codes] of Object.entries(byStatus)) {
    const known = problems[operation] ?? {};
    problems[operation] = known;
    known[status] = [...new Set([...(known[status] ?? []), ...codes])].sort();
  }
}
const sortedProblems = Object.fromEntries(Object.entries(problems).sort(byName));
writeFileSync(target, `${JSON.stringify({ examples, problems: sortedProblems }, null, 1)}\n`);
console.log(
  `${Object.keys(examples).length} operations with an example, ${Object.keys(problems).length} with problems seen → ${target}`,
);

/** Tokens and secrets in an example are the test run's, but a document should not look as if it leaked some. */
function mask<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, inner) =>
    typeof inner === 'string' && /token|secret|^key$|apiKey/i.test(key) ? '…' : inner,
  ) as T;
}
