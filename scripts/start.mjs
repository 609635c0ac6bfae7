#!/usr/bin/env node
// `npm start`: build what is out of date, then serve the demo brand on embedded SQLite (or DATABASE_URL).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const entry = join(root, 'dist/src/cli/main.js');
const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
if (built < Math.max(newest(join(root, 'src')), statSync(join(root, 'package.json')).mtimeMs)) {
  console.log('Building the server…');
  run('npx', ['tsc', '-p', 'tsconfig.build.json']);
}
if (existsSync(join(root, 'web/package.json')) || existsSync(join(root, 'web/index.html'))) {
  const webBuilt = join(root, 'web/dist/index.html');
  const webStamp = existsSync(webBuilt) ? statSync(webBuilt).mtimeMs : 0;
  if (webStamp < newest(join(root, 'web'))) {
    console.log('Building the console…');
    run('npx', ['vite', 'build', 'web']);
  }
}

const child = spawn(process.execPath, [entry, 'serve', '--demo', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// The server lives as long as this process: a signal is passed on, and if whatever started us (npm, a shell)
// goes away without one — killed outright — the server is stopped too instead of being left running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) child.kill('SIGTERM');
}, 500).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
