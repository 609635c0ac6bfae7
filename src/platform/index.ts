// What contexts may use from the platform.
import { registerAuthRoutes } from './auth/auth.routes.js';
import { registerStreamRoutes } from './events/stream.routes.js';
import type { AppModule } from './http/server.js';

export * from './auth/actor.js';
export * from './auth/principal.js';
export * from './channels.js';
export type { Database, DB, Engine, Queryable, Trx } from './db/index.js';
export {
  type BulkSelect,
  insertInBulk,
  insertRows,
  readConsistently,
  readOnce,
  runPrepared,
  runRepeated,
  selectInBulk,
} from './db/index.js';
export * from './errors.js';
export {
  defineEvent,
  type EventContract,
  EventContractError,
  type EventPayload,
  isEvent,
  newEvent,
  payloadOf,
} from './events/contract.js';
export type { EventConsumer } from './events/dispatcher.js';
export { appendEvent, appendEvents, type NewEvent, type PublishedEvent } from './events/outbox.js';
export { boundingBox, distanceKm, type GeoPoint } from './geo.js';
export type { Api } from './http/api.js';
export type { RouteAuth } from './http/auth.js';
export type { AppContext } from './http/context.js';
export { command, markAnswered, recordAnswer, stableStringify } from './http/idempotency.js';
export {
  changesBody,
  codeParams,
  codeString,
  idParams,
  listOf,
  listQuery,
  Nullable,
  type Page,
  pageOf,
  pageQuery,
  reasonBody,
  StringEnum,
  shortListQuery,
} from './http/schemas.js';
export type { AppModule } from './http/server.js';
export * from './ids.js';
export {
  bringForward,
  cancelJob,
  type Job,
  type JobHandler,
  scheduleJob,
  scheduleJobs,
  sweepRound,
} from './jobs/jobs.js';
export { keptFor } from './kept.js';
export {
  MEMBER_LIST_FILTERS,
  type MemberListFilter,
  type MemberListFilterName,
  type MemberReference,
  type MemberViewer,
  type MemberViewSection,
  type MemberViewSectionLoader,
  memberViewSection,
} from './member-links.js';
export { type CursorKey, decodeCursor, encodeCursor } from './paging.js';
export * from './time.js';

/** The platform's own routes: login, staff accounts, API keys, the live stream. */
export const platformModule: AppModule = {
  name: 'platform',
  routes: (app, ctx) => {
    registerAuthRoutes(app, ctx);
    registerStreamRoutes(app, ctx);
  },
};
