import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabasesOfRun } from './database.js';

/**
 * One test run's name for the databases and files it makes (`omniloop_t_<run>_…`), so that at its end the run
 * removes every one of them — also those of a test file whose own clean-up did not get to run (a timeout, a
 * crash) — and nothing of another run going on beside it.
 */
export default function setup(): () => Promise<void> {
  const run = randomBytes(4).toString('hex');
  process.env.OMNILOOP_TEST_RUN = run;
  return async () => {
    const prefix = `omniloop_t_${run}_`;
    for (const name of readdirSync(tmpdir())) {
      if (name.startsWith(prefix)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
    await dropDatabasesOfRun(prefix);
  };
}
