import { piiFor } from '../members/index.js';
import type { AppModule } from '../platform/index.js';
import { IMPORT_CHUNK_JOB, runImportChunk, scheduleNextChunk } from './import.service.js';
import { registerImportRoutes } from './imports.routes.js';

/**
 * The brand's history brought in: a file is stored in chunks, then each chunk is a durable job (one transaction)
 * that writes its orders and returns as history, makes the members (One ID) and items it names, and schedules the
 * next. Any node runs them; a restart resumes at the chunk that was not committed.
 */
export const importsModule: AppModule = {
  name: 'imports',
  routes: registerImportRoutes,
  // A history return follows its member through merges, as an order does.
  memberReferences: [{ table: 'history_returns', memberColumn: 'member_id', keyColumn: 'id' }],
  jobs: (ctx) => ({
    [IMPORT_CHUNK_JOB]: async (trx, job) => {
      const { importId, seq } = job.payload as { importId: string; seq: number };
      const outcome = await runImportChunk(
        trx,
        { pii: piiFor(ctx.config.secret), timeZone: ctx.config.timeZone },
        importId,
        seq,
      );
      if (outcome.ran && !outcome.finished) await scheduleNextChunk(trx, importId, seq + 1);
    },
  }),
};

export { type ImportDeps, runImportChunk } from './import.service.js';
export { ReturnImported } from './imports.events.js';
export type { ImportsTables } from './imports.schema.js';
export { spoolImport } from './spool.service.js';
