import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseTarget } from './config.js';

describe('configuration', () => {
  it('defaults to embedded SQLite and keeps a generated secret beside the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omniloop-config-'));
    const db = join(dir, 'shop.db');
    const first = loadConfig({ db, env: {} });
    expect(first.database).toEqual({ engine: 'sqlite', path: db });
    expect(first.port).toBe(8080);
    expect(first.secretGenerated).toBe(true);
    expect(existsSync(`${db}.secret`)).toBe(true);
    expect(readFileSync(`${db}.secret`, 'utf8').trim()).toBe(first.secret);
    // The same secret on the next start: tokens and encrypted data survive restarts.
    expect(loadConfig({ db, env: {} }).secret).toBe(first.secret);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes flags over the environment', () => {
    const config = loadConfig({
      db: 'postgres://postgres@127.0.0.1:5432/x',
      port: '9001',
      env: { DATABASE_URL: '/tmp/ignored.db', PORT: '1', OMNILOOP_SECRET: 'x'.repeat(32) },
    });
    expect(config.database).toEqual({ engine: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/x' });
    expect(config.port).toBe(9001);
  });

  it.each([
    [{ port: 'eighty', env: {} }, /PORT/],
    [{ port: '70000', env: {} }, /PORT/],
    [{ db: 'mysql://x', env: {} }, /unsupported scheme/],
    [{ db: 'postgres://', env: { OMNILOOP_SECRET: 'x'.repeat(32) } }, /not a valid PostgreSQL URL/],
    [{ db: 'postgres://h/db', env: {} }, /OMNILOOP_SECRET is required/],
    [{ db: ':memory:', env: { OMNILOOP_SECRET: 'short' } }, /at least 32/],
    [{ db: ':memory:', env: { NATS_URL: 'http://x' } }, /NATS_URL/],
    [{ db: ':memory:', env: { NATS_STREAM_REPLICAS: '7' } }, /NATS_STREAM_REPLICAS/],
    [{ db: ':memory:', env: { LOG_LEVEL: 'loud' } }, /LOG_LEVEL/],
    [{ db: ':memory:', env: { OMNILOOP_TIMEZONE: 'Mars/Base' } }, /time zone/],
    [{ db: ':memory:', env: { OMNILOOP_ADMIN_TOKEN: 'short' } }, /ADMIN_TOKEN/],
  ])('refuses %j with a message that says what to fix', (input, message) => {
    expect(() => loadConfig(input)).toThrow(ConfigError);
    expect(() => loadConfig(input)).toThrow(message);
  });

  it('reads SQLite paths and postgres URLs', () => {
    expect(parseDatabaseTarget('postgresql://u@h:5432/d').engine).toBe('postgres');
    expect(parseDatabaseTarget('./data/x.db').engine).toBe('sqlite');
  });
});
