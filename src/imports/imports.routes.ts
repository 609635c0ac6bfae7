import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { type Api, type AppContext, actorName, actorOf, command, idParams } from '../platform/index.js';
import { getImport, scheduleNextChunk } from './import.service.js';
import { ImportOptions, ImportStarted, ImportView } from './imports.contract.js';
import { ImportErrors } from './imports.errors.js';
import { spoolImport } from './spool.service.js';

const IMPORTERS = ['admin', 'ops'] as const;
const FILE_TYPES = ['text/csv', 'application/gzip', 'application/x-gzip', 'application/octet-stream'];

/** Refuses a zone the runtime does not know (its wall-clock times could not be read). */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw ImportErrors.invalidTimezone(`No time zone ${timeZone}`, {
      errors: [{ path: 'query.timezone', message: 'is not an IANA time zone' }],
      extra: { timezone: timeZone },
    });
  }
}

/** The file's name as the `x-file-name` header sends it (percent-encoded by the console). */
function fileNameOf(header: string): string {
  try {
    return decodeURIComponent(header).slice(0, 200);
  } catch {
    return header.slice(0, 200);
  }
}

/** CSV's quoting of one field. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registerImportRoutes(app: Api, ctx: AppContext): void {
  const db = ctx.database.db;

  // The file is the body, streamed: in its own scope, the CSV and gzip types hand the request's stream to the
  // route untouched (never read whole into memory, so no body limit applies; the spool has its own).
  void app.register(async (scope: Api) => {
    const files = new WeakMap<FastifyRequest, Readable>();
    scope.addContentTypeParser(FILE_TYPES, (request, payload, done) => {
      files.set(request, payload as unknown as Readable);
      done(null, undefined);
    });

    scope.post(
      '/v1/imports/orders',
      {
        config: { auth: { roles: IMPORTERS } },
        schema: {
          tags: ['imports'],
          summary: 'Import the brand’s order history from a CSV or gzipped CSV body (streamed)',
          description:
            'Body: the file (`text/csv`, or `application/gzip` for `.csv.gz`). Answers 202 once the file is stored; the import then runs chunk by chunk on any node (`GET /v1/imports/{id}`). History moves no stock, earns no points and sends nothing. The same file again creates nothing new.',
          querystring: ImportOptions,
          response: { 202: ImportStarted },
        },
      },
      async (request, reply) => {
        const source = files.get(request);
        if (!source) {
          throw ImportErrors.emptyFile('Send the file as the body (text/csv or application/gzip)');
        }
        assertTimeZone(request.query.timezone);
        const name = request.headers['x-file-name'];
        const spooled = await spoolImport(ctx.database, {
          options: request.query,
          fileName: typeof name === 'string' ? fileNameOf(name) : null,
          source,
          createdBy: actorName(actorOf(request)),
        });
        return command(ctx, request, reply, 202, async (trx) => {
          if (spooled.chunks > 0) await scheduleNextChunk(trx, spooled.importId, 0);
          return {
            id: spooled.importId,
            status: spooled.chunks > 0 ? ('running' as const) : ('completed' as const),
          };
        });
      },
    );
  });

  app.get(
    '/v1/imports/:id',
    {
      config: { auth: { roles: IMPORTERS } },
      schema: {
        tags: ['imports'],
        summary: 'An import’s progress and report',
        params: idParams,
        response: { 200: ImportView },
      },
    },
    async (request) => getImport(db, request.params.id),
  );

  app.get(
    '/v1/imports/:id/rejects',
    {
      config: { auth: { roles: IMPORTERS } },
      schema: {
        tags: ['imports'],
        summary: 'The rows an import rejected, each with its reason (CSV: row, reason, record)',
        params: idParams,
        response: { 200: Type.String({ description: 'text/csv' }) },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      await getImport(db, id);
      reply.type('text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${id}-rejects.csv"`);
      // A stream of the rows (the schema documents the text it makes).
      return reply.send(
        Readable.from(
          (async function* () {
            yield 'row,reason,record\n';
            let after = 0;
            for (;;) {
              const rows = await db
                .selectFrom('import_rejects')
                .select(['row_no', 'reason', 'raw'])
                .where('import_id', '=', id)
                .where('row_no', '>', after)
                .orderBy('row_no')
                .limit(5000)
                .execute();
              if (rows.length === 0) return;
              yield rows.map((r) => `${r.row_no},${r.reason},${csvField(r.raw)}\n`).join('');
              after = rows[rows.length - 1]!.row_no;
            }
          })(),
        ) as unknown as string,
      );
    },
  );
}
