import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fastPathsSetting } from './db/fast-paths.js';

export type DatabaseTarget = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

export interface Config {
  database: DatabaseTarget;
  port: number;
  host: string;
  natsUrl: string | undefined;
  /** How many NATS servers keep a copy of the event stream when it is created (3 on a cluster). */
  natsReplicas: number;
  /** Root secret: token signing, PII encryption and blind indexes derive their keys from it. */
  secret: string;
  adminToken: string | undefined;
  logLevel: string;
  /** The brand's time zone: "today", pickup deadlines and reports are in it. */
  timeZone: string;
  /** Whether the secret was generated and kept beside the SQLite file (start-up warns about it). */
  secretGenerated: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ConfigInput {
  db?: string | undefined;
  port?: string | number | undefined;
  host?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_SQLITE_PATH = './data/omniloop.db';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseDatabaseTarget(value: string): DatabaseTarget {
  const trimmed = value.trim();
  if (trimmed === '')
    throw new ConfigError(
      'The database is empty: give DATABASE_URL / --db a postgres:// URL or a SQLite file path.',
    );
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      const url = new URL(trimmed);
      if (!url.hostname) throw new Error('no host');
    } catch {
      throw new ConfigError(
        `DATABASE_URL / --db is not a valid PostgreSQL URL: "${trimmed}" (expected postgres://user@host:5432/dbname).`,
      );
    }
    return { engine: 'postgres', url: trimmed };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new ConfigError(
      `DATABASE_URL / --db "${trimmed}" uses an unsupported scheme: use postgres://… or a SQLite file path.`,
    );
  }
  return { engine: 'sqlite', path: trimmed === ':memory:' ? trimmed : resolve(trimmed) };
}

/** The database the flags or the environment name (what backup and restore need, without the rest). */
export function databaseOf(input: Pick<ConfigInput, 'db' | 'env'> = {}): DatabaseTarget {
  return parseDatabaseTarget(input.db ?? (input.env ?? process.env).DATABASE_URL ?? DEFAULT_SQLITE_PATH);
}

/**
 * Reads configuration from flags (taking precedence) and the environment, with embedded defaults, and stops
 * with a message that says what to fix when something is wrong.
 */
export function loadConfig(input: ConfigInput = {}): Config {
  const env = input.env ?? process.env;
  const database = databaseOf(input);

  const portRaw = input.port ?? env.PORT ?? '8080';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT / --port must be a whole number from 0 to 65535, not "${portRaw}".`);
  }

  const natsUrl = env.NATS_URL?.trim() || undefined;
  if (natsUrl !== undefined && !/^(nats|tls|ws|wss):\/\/[^\s]+$|^[\w.-]+:\d+$/.test(natsUrl)) {
    throw new ConfigError(`NATS_URL must look like nats://127.0.0.1:4222, not "${natsUrl}".`);
  }
  const replicasRaw = env.NATS_STREAM_REPLICAS?.trim() || '1';
  const natsReplicas = Number(replicasRaw);
  if (!Number.isInteger(natsReplicas) || natsReplicas < 1 || natsReplicas > 5) {
    throw new ConfigError(`NATS_STREAM_REPLICAS must be a whole number from 1 to 5, not "${replicasRaw}".`);
  }

  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}".`);
  }

  const timeZone = env.OMNILOOP_TIMEZONE ?? 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(
      `OMNILOOP_TIMEZONE "${timeZone}" is not a known IANA time zone (e.g. Asia/Shanghai).`,
    );
  }

  // Read from the process's environment, where the database layer takes it (db/fast-paths.ts).
  const fastPaths = process.env.OMNILOOP_FAST_PATHS;
  if (fastPathsSetting(fastPaths) === undefined) {
    throw new ConfigError(`OMNILOOP_FAST_PATHS must be "on" (the default) or "off", not "${fastPaths}".`);
  }

  const adminToken = env.OMNILOOP_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('OMNILOOP_ADMIN_TOKEN must be at least 16 characters long.');
  }

  let secret = env.OMNILOOP_SECRET?.trim() || undefined;
  let secretGenerated = false;
  if (secret === undefined) {
    if (database.engine === 'postgres') {
      throw new ConfigError(
        'OMNILOOP_SECRET is required with PostgreSQL: set it to a random string of at least 32 characters (e.g. `openssl rand -hex 32`).',
      );
    }
    secret = embeddedSecret(database.path);
    secretGenerated = true;
  } else if (secret.length < 32) {
    throw new ConfigError(
      'OMNILOOP_SECRET must be at least 32 characters long (e.g. `openssl rand -hex 32`).',
    );
  }

  return {
    database,
    port,
    host: input.host ?? env.HOST ?? '0.0.0.0',
    natsUrl,
    natsReplicas,
    secret,
    adminToken,
    logLevel,
    timeZone,
    secretGenerated,
  };
}

/** Embedded mode keeps a generated secret beside the SQLite file so that tokens and encrypted data survive restarts. */
function embeddedSecret(dbPath: string): string {
  if (dbPath === ':memory:') return randomBytes(32).toString('hex');
  const file = `${dbPath}.secret`;
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
    throw new ConfigError(
      `The secret file ${file} is damaged: delete it only if the database is new, or set OMNILOOP_SECRET.`,
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
