import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { DatabaseTarget } from '../../src/platform/config.js';

// An OmniLoop node in a process of its own (`omniloop serve`), as production runs it: for tests and benchmarks
// that need several nodes on one database, real sockets, or a node killed with SIGKILL.

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM and wait for the exit (a clean shutdown). */
  stop(): Promise<void>;
  /** SIGKILL: the node dies mid-work, as in a crash. */
  kill(): Promise<void>;
}

export interface NodeProcessOptions {
  secret: string;
  adminToken: string;
  /** More environment (NATS_URL, LOG_LEVEL …); NATS is off unless given. */
  env?: Record<string, string>;
  /** Node options before the entry, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Run the build (dist/) instead of the sources through tsx. */
  fromBuild?: boolean;
}

const ROOT = join(import.meta.dirname, '..', '..');

export async function startNodeProcess(
  target: DatabaseTarget,
  options: NodeProcessOptions,
): Promise<NodeProcess> {
  const port = await freePort();
  const db = target.engine === 'sqlite' ? target.path : target.url;
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      ...(options.fromBuild ? ['dist/src/cli/main.js'] : ['--import', 'tsx', 'src/cli/main.ts']),
      'serve',
      '--db',
      db,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        OMNILOOP_SECRET: options.secret,
        OMNILOOP_ADMIN_TOKEN: options.adminToken,
        LOG_LEVEL: 'warn',
        NATS_URL: '',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`The node exited with ${child.exitCode} before it answered`);
    try {
      if ((await fetch(`${url}/livez`)).ok) break;
    } catch {
      if (i > 300) throw new Error(`The node at ${url} did not answer within a minute`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const end = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { url, child, stop: () => end('SIGTERM'), kill: () => end('SIGKILL') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
