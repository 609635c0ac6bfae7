import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import cliProgress from 'cli-progress';
import { IMPORT_FORMATS, type ImportOptions } from '../imports/imports.contract.js';
import { assertTimeZone } from '../imports/imports.routes.js';
import { type ImportDeps, runImportChunk, spoolImport } from '../imports/index.js';
import { piiFor } from '../members/index.js';
import { CHANNELS, type Channel } from '../platform/channels.js';
import { ConfigError } from '../platform/config.js';
import { type Database, migrateToLatest } from '../platform/db/index.js';

/**
 * `omniloop import orders FILE`: stores the file in the database in chunks, then runs them one transaction each, as
 * a server's job worker would — with a progress bar (rows, rows/s, ETA) on a terminal and plain lines otherwise.
 * Run again after a failure, it creates nothing twice and finishes the rest. Returns the import's report.
 */
export async function importOrdersCommand(
  database: Database,
  config: { secret: string; timeZone: string },
  file: string,
  flags: {
    format?: string | undefined;
    timezone?: string | undefined;
    channel?: string | undefined;
    store?: string | undefined;
  },
  out: NodeJS.WriteStream = process.stderr,
): Promise<Record<string, unknown>> {
  const format = flags.format ?? 'online_retail';
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`);
  }
  const channel = (flags.channel ?? 'online') as Channel;
  if (!CHANNELS.includes(channel)) throw new ConfigError(`--channel must be one of ${CHANNELS.join(', ')}`);
  const timezone = flags.timezone ?? 'UTC';
  assertTimeZone(timezone);
  const options: ImportOptions = {
    format: format as ImportOptions['format'],
    timezone,
    channel,
    ...(flags.store ? { storeCode: flags.store } : {}),
  };
  await migrateToLatest(database.db);
  const tty = out.isTTY === true;
  const say = (line: string) => out.write(`${line}\n`);
  const started = Date.now();
  say(`Reading ${file} …`);
  const spooled = await spoolImport(
    database,
    { options, fileName: basename(file), source: createReadStream(file), createdBy: 'cli' },
    tty ? undefined : ({ rows }) => rows % 100_000 === 0 && say(`read ${rows} rows`),
  );
  say(`Stored ${spooled.rows} rows in ${spooled.chunks} chunks (import ${spooled.importId}); importing …`);

  const bar = tty
    ? new cliProgress.SingleBar(
        {
          format:
            'importing |{bar}| {percentage}% | {value}/{total} rows | {speed} rows/s | ETA {eta_formatted}',
          stream: out,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(spooled.rows, 0, { speed: 0 });
  const deps: ImportDeps = { pii: piiFor(config.secret), timeZone: config.timeZone };
  const runStarted = Date.now();
  let done = 0;
  for (let seq = 0; seq < spooled.chunks; seq++) {
    const outcome = await database.transaction((trx) => runImportChunk(trx, deps, spooled.importId, seq));
    done += outcome.rows;
    const speed = Math.round(done / Math.max(0.001, (Date.now() - runStarted) / 1000));
    if (bar) bar.update(done, { speed });
    else say(`imported ${done}/${spooled.rows} rows (${speed} rows/s)`);
  }
  bar?.stop();
  const report = await database.db
    .selectFrom('imports')
    .selectAll()
    .where('id', '=', spooled.importId)
    .executeTakeFirstOrThrow();
  const seconds = (Date.now() - started) / 1000;
  say(
    `Done in ${seconds.toFixed(1)} s: ${report.orders_created} orders, ${report.returns_created} returns, ` +
      `${report.members_created} members, ${report.products_created} products created; ` +
      `${report.rows_rejected} rows rejected, ${report.duplicates_dropped} duplicates dropped.`,
  );
  return { ...report, seconds };
}
