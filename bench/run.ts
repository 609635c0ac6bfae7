import { parseArgs } from 'node:util';
import { audienceSuite } from './audience.bench.js';
import { inventorySuite } from './inventory.bench.js';
import { type BenchContext, type Suite, writeResults } from './lib.js';
import { loyaltySuite } from './loyalty.bench.js';
import { membersSuite } from './members.bench.js';
import { ordersSuite } from './orders.bench.js';
import { platformSuite } from './platform.bench.js';

/** `npm run bench -- <suite> [--quick]`: each capability's figures, printed and written to bench/out/<suite>.json. */
const suites: Record<string, Suite> = {
  platform: platformSuite,
  inventory: inventorySuite,
  orders: ordersSuite,
  members: membersSuite,
  loyalty: loyaltySuite,
  audience: audienceSuite,
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false } },
});
const names = positionals.length > 0 ? positionals : Object.keys(suites);
for (const name of names) {
  const suite = suites[name];
  if (!suite) {
    console.error(`Unknown suite "${name}". Suites: ${Object.keys(suites).join(', ')}`);
    process.exit(1);
  }
  const metrics: Record<string, number> = {};
  const ctx: BenchContext = {
    quick: values.quick ?? false,
    record(metric, value, unit = '') {
      metrics[metric] = Math.round(value * 100) / 100;
      console.log(`${name}  ${metric.padEnd(48)} ${metrics[metric]}${unit ? ` ${unit}` : ''}`);
    },
  };
  const started = Date.now();
  await suite(ctx);
  const file = writeResults(name, metrics, {
    quick: ctx.quick,
    seconds: Math.round((Date.now() - started) / 1000),
  });
  console.log(`${name}: written to ${file}`);
}
process.exit(0);
