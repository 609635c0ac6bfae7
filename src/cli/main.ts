#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { recomputeTraits } from '../audience/traits.service.js';
import { seedDemo } from '../demo/seed.js';
import { piiFor } from '../members/index.js';
import { STAFF_ROLES, type StaffRole } from '../platform/auth/principal.js';
import { createApiKey, createUser } from '../platform/auth/users.service.js';
import { CHANNELS, type Channel } from '../platform/channels.js';
import { ConfigError, databaseOf, loadConfig } from '../platform/config.js';
import { BackupError, backupDatabase, restoreDatabase } from '../platform/db/backup.js';
import { migrateToLatest, openDatabase } from '../platform/db/index.js';
import { isDomainError } from '../platform/errors.js';
import { createRuntime } from '../runtime.js';
import { importOrdersCommand } from './import-command.js';

const USAGE = `omniloop — the omnichannel retail middle platform

Usage:
  omniloop serve [--port 8080] [--host 0.0.0.0] [--db <postgres-url|sqlite-path>] [--demo]
  omniloop migrate [--db …]
  omniloop seed --demo [--db …]
  omniloop users add --username <name> --password <pw> --role <${STAFF_ROLES.join('|')}> [--store <code>] [--name <display name>]
  omniloop keys add --name <app name> --channel <${CHANNELS.join('|')}> [--requests-per-minute <n>]
  omniloop import orders <file.csv|file.csv.gz> [--format online_retail|omniloop] [--timezone Europe/London] [--channel online] [--store <code>]
  omniloop audience recompute-traits [--db …]           every member's traits again from the facts
  omniloop backup --file <path> [--db …] [--force]     a consistent copy, taken while the node serves
  omniloop restore --file <path> [--db …] [--force]    stop every node first; replaces the database

Configuration (flags win over the environment):
  DATABASE_URL     postgres://… or a SQLite file path (default ./data/omniloop.db)
  PORT             HTTP port (default 8080)
  NATS_URL         publish every event to NATS JetStream (omniloop.<context>.<type>)
  OMNILOOP_SECRET  root secret (≥ 32 chars); generated beside the SQLite file when unset in embedded mode
  OMNILOOP_ADMIN_TOKEN  a bearer token that acts as admin
  LOG_LEVEL        info (default), debug, warn, error, silent
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      demo: { type: 'boolean', default: false },
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      store: { type: 'string' },
      name: { type: 'string' },
      channel: { type: 'string' },
      format: { type: 'string' },
      timezone: { type: 'string' },
      'requests-per-minute': { type: 'string' },
      file: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, sub] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined && !values.help ? 1 : 0;
  }
  if (command === 'backup' || command === 'restore') {
    if (!values.file) throw new ConfigError(`${command} needs --file <path>`);
    const target = databaseOf({ db: values.db });
    if (command === 'backup') {
      const report = await backupDatabase(target, values.file, { overwrite: values.force });
      process.stdout.write(
        `Backed up the ${report.engine} database to ${report.file} (${report.bytes} bytes)` +
          `${report.secretFile ? `; its secret to ${report.secretFile} — keep both together and safe` : ''}\n`,
      );
    } else {
      await restoreDatabase(target, values.file, { overwrite: values.force });
      process.stdout.write(`Restored ${values.file}; start the nodes again (migrations run at start).\n`);
    }
    return 0;
  }
  const config = loadConfig({ db: values.db, port: values.port, host: values.host });

  switch (command) {
    case 'serve': {
      const runtime = await createRuntime(config);
      if (config.secretGenerated && config.database.engine === 'sqlite') {
        runtime.logger.warn(
          `OMNILOOP_SECRET is not set: using a generated secret kept in ${config.database.path}.secret — set OMNILOOP_SECRET in production`,
        );
      }
      if (values.demo) {
        const report = await seedDemo(runtime.database, config);
        runtime.logger.info({ created: report.created }, 'demo brand ready');
      }
      await runtime.startWorkers();
      const address = await runtime.app.listen({ port: config.port, host: config.host });
      runtime.logger.info(
        `OmniLoop is serving on ${address} (database: ${config.database.engine}); API reference at ${address}/docs`,
      );
      const shutdown = async (signal: string) => {
        runtime.logger.info(`${signal}: shutting down`);
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      return -1; // keep running
    }
    case 'import': {
      const file = positionals[2];
      if (sub !== 'orders' || !file)
        throw new ConfigError('Usage: omniloop import orders <file> [--format …]');
      const database = openDatabase(config.database);
      try {
        await importOrdersCommand(database, config, file, values);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'audience': {
      if (sub !== 'recompute-traits') throw new ConfigError('Usage: omniloop audience recompute-traits');
      const database = openDatabase(config.database);
      try {
        const started = performance.now();
        let members = 0;
        const withTraits = await recomputeTraits(database, piiFor(config.secret), (done) => {
          members = done;
          if (process.stdout.isTTY) process.stdout.write(`\r${done} members read`);
        });
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `${process.stdout.isTTY ? '\n' : ''}Traits recomputed: ${members} members read, ${withTraits} with traits, ${seconds.toFixed(1)} s\n`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'migrate': {
      const database = openDatabase(config.database);
      try {
        const applied = await migrateToLatest(database.db);
        process.stdout.write(
          applied.length ? `Applied: ${applied.join(', ')}\n` : 'The schema is up to date.\n',
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'seed': {
      if (!values.demo) throw new ConfigError('seed needs --demo (the only seed there is)');
      const database = openDatabase(config.database);
      try {
        await migrateToLatest(database.db);
        const report = await seedDemo(database, config);
        process.stdout.write(`Demo brand seeded: ${JSON.stringify(report.created)}\n`);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'users': {
      if (sub !== 'add')
        throw new ConfigError('Usage: omniloop users add --username … --password … --role …');
      const { username, password, role } = values;
      if (!username || !password || !role)
        throw new ConfigError('users add needs --username, --password and --role');
      if (!(STAFF_ROLES as readonly string[]).includes(role))
        throw new ConfigError(`--role must be one of ${STAFF_ROLES.join(', ')}`);
      const database = openDatabase(config.database);
      try {
        await migrateToLatest(database.db);
        const user = await database.transaction((trx) =>
          createUser(trx, {
            username,
            password,
            role: role as StaffRole,
            storeCode: values.store,
            displayName: values.name,
          }),
        );
        process.stdout.write(
          `Created ${user.role} ${user.username}${user.storeCode ? ` at store ${user.storeCode}` : ''}\n`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'keys': {
      if (sub !== 'add' || !values.name || !values.channel)
        throw new ConfigError('Usage: omniloop keys add --name <app> --channel <channel>');
      if (!(CHANNELS as readonly string[]).includes(values.channel))
        throw new ConfigError(`--channel must be one of ${CHANNELS.join(', ')}`);
      const perMinute = values['requests-per-minute'];
      const requestsPerMinute = perMinute === undefined ? undefined : Number(perMinute);
      if (requestsPerMinute !== undefined && !(Number.isInteger(requestsPerMinute) && requestsPerMinute > 0))
        throw new ConfigError('--requests-per-minute must be a whole number above 0');
      const database = openDatabase(config.database);
      try {
        await migrateToLatest(database.db);
        const key = await database.transaction((trx) =>
          createApiKey(trx, { name: values.name!, channel: values.channel as Channel, requestsPerMinute }),
        );
        process.stdout.write(
          `API key for ${key.name} (${key.channel}) — shown once, keep it safe:\n${key.key}\n`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof ConfigError ||
      error instanceof BackupError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`omniloop: ${error.message}\n`);
    } else if (isDomainError(error)) {
      process.stderr.write(`omniloop: ${error.code}: ${error.detail}\n`);
    } else {
      process.stderr.write(
        `omniloop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exitCode = 1;
  },
);
