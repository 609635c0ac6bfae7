import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // A worker process runs its test files one after another in one module graph instead of loading the platform
    // anew for each: the suite's time was mostly that loading. Each file still opens its own database and app; what
    // modules keep between files (statement texts, date formats, keyrings) is the same for every file.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A poll waits for what a page or a worker does next: on a loaded two-core machine that can take seconds.
    expect: { poll: { timeout: 10_000 } },
    // Each test file gets its own database; two at a time suits a two-core machine.
    maxWorkers: 2,
  },
});
