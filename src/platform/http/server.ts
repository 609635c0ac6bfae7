import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import { sql } from 'kysely';
import Type from 'typebox';
import { databaseFault } from '../db/faults.js';
import { DomainError, RequestErrors, ServiceErrors } from '../errors.js';
import type { EventConsumer } from '../events/dispatcher.js';
import { newId } from '../ids.js';
import type { JobHandler } from '../jobs/jobs.js';
import type {
  MemberListFilter,
  MemberListFilterName,
  MemberReference,
  MemberViewSection,
} from '../member-links.js';
import { VERSION } from '../version.js';
import type { Api } from './api.js';
import { registerAuth } from './auth.js';
import type { AppContext } from './context.js';
import { answerClientError, refuseUnstorableText, validatorCompilers } from './hardening.js';
import { registerIdempotency } from './idempotency.js';
import { describeRoute, PROBLEM_SCHEMA, TAGS, withExamples } from './openapi.js';
import { fieldErrorsOf, type Problem, problemOf } from './problem.js';
import { registerRateLimits } from './rate-limits.js';
import { StringEnum } from './schemas.js';

const Health = Type.Object({
  status: StringEnum(['ok', 'degraded'], {
    description:
      'ok: the database answers; degraded: it cannot be reached (the node is up, writes fail with 503)',
  }),
  database: StringEnum(['sqlite', 'postgres']),
  version: Type.String(),
});

/** A bounded context as the server sees it: its routes, its durable jobs and its event reactions. */
export interface AppModule {
  name: string;
  routes?: (app: Api, ctx: AppContext) => void | Promise<void>;
  /** Durable job handlers by kind (a function when they need the node's context). */
  jobs?: Record<string, JobHandler> | ((ctx: AppContext) => Record<string, JobHandler>);
  /** Durable event reactions (a function when they need the node's context). */
  consumers?: EventConsumer[] | ((ctx: AppContext) => EventConsumer[]);
  /** Its tables whose rows belong to a member: they follow the member through merges (and back on unmerge). */
  memberReferences?: MemberReference[];
  /** The parts of the member 360 view it supplies, by name. */
  memberViewSections?: Record<string, MemberViewSection>;
  /** The member list's filters it supplies (predicates on `members.id` over its own tables). */
  memberListFilters?: Partial<Record<MemberListFilterName, MemberListFilter>>;
}

export interface ServerOptions {
  /** A pino logger; without one the server logs nothing (tests). */
  logger?: FastifyBaseLogger;
}

/**
 * The HTTP server with the platform's conventions (validation, problem+json, auth, idempotency, OpenAPI) and
 * every module's routes; it does not listen (tests use `inject`, the CLI listens).
 */
export async function createServer(
  ctx: AppContext,
  modules: AppModule[],
  options: ServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : newId('req');
    },
    schemaController: validatorCompilers(),
    clientErrorHandler: answerClientError,
    // A URL Fastify cannot route (bad percent-encoding): a 400 problem like any other bad input.
    frameworkErrors: (error, request, reply) => {
      const detail = `The URL could not be read: ${error.message}`;
      return sendProblem(reply, {
        ...problemOf(RequestErrors.invalid(detail, { errors: [{ path: '(url)', message: error.message }] })),
        requestId: request.id,
      });
    },
    bodyLimit: 5 * 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerErrorHandling(app);
  refuseUnstorableText(app);
  // Before the document's own hook sees the route.
  app.addHook('onRoute', describeRoute);

  app.addSchema(PROBLEM_SCHEMA);
  await app.register(swagger, {
    // Shared schemas appear under components by their own names (`Problem`), not as def-0, def-1 …
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // The recorded examples go into the finished document, beside the converted schemas.
    transformObject: (documents) =>
      'openapiObject' in documents ? withExamples(documents.openapiObject) : documents.swaggerObject,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OmniLoop API',
        version: VERSION,
        description:
          'The omnichannel retail middle platform: one member, one stock picture, one order hub, one loyalty ledger. Money is integer fen (分); times are ISO 8601 UTC. Errors are application/problem+json with a stable `code`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: TAGS,
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });

  registerAuth(app, ctx);
  registerIdempotency(app, ctx);
  await registerRateLimits(app, ctx.database.db, ctx.config.secret);

  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () => app.swagger());

  // Liveness for a load balancer: the process answers, without touching the database (/health does).
  app.get(
    '/livez',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Liveness: the process answers',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['meta'],
        summary: 'Health: ok while the database answers, degraded (503) while it cannot be reached',
        security: [],
        response: {
          200: Health,
          503: Health,
        },
      },
    },
    async (_request, reply) => {
      // A pooled connection the server closed (a failover, an idle reaper) fails once before the pool drops it:
      // one more try on a fresh connection tells that apart from a database that cannot be reached.
      for (let attempt = 1; ; attempt++) {
        try {
          await sql`select 1`.execute(ctx.database.db);
          return { status: 'ok' as const, database: ctx.database.engine, version: VERSION };
        } catch (error) {
          if (attempt < 2 && databaseFault(error) === 'unavailable') continue;
          return reply
            .code(503)
            .send({ status: 'degraded' as const, database: ctx.database.engine, version: VERSION });
        }
      }
    },
  );

  for (const module of modules) {
    const jobs = typeof module.jobs === 'function' ? module.jobs(ctx) : (module.jobs ?? {});
    for (const [kind, handler] of Object.entries(jobs)) ctx.jobs.register(kind, handler);
    const consumers =
      typeof module.consumers === 'function' ? module.consumers(ctx) : (module.consumers ?? []);
    for (const consumer of consumers) ctx.dispatcher.addConsumer(consumer);
    if (module.routes) await module.routes(app, ctx);
  }
  return app;
}

function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return sendProblem(reply, { ...problemOf(error), requestId: request.id });
    }
    if (error.validation) {
      const errors = fieldErrorsOf(error);
      const detail = `Invalid request: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`;
      return sendProblem(reply, {
        ...problemOf(RequestErrors.invalid(detail, { errors })),
        requestId: request.id,
      });
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return sendProblem(reply, {
        ...problemOf(RequestErrors.tooLarge(error.message)),
        requestId: request.id,
      });
    }
    if (status >= 400 && status < 500) {
      // Malformed JSON, a wrong content type, an empty body where JSON was promised.
      const detail = error.message || 'The request could not be read';
      return sendProblem(reply, {
        ...problemOf(RequestErrors.invalid(detail, { errors: [{ path: '(body)', message: detail }] })),
        status,
        requestId: request.id,
      });
    }
    const fault = databaseFault(error);
    if (fault) {
      // The database, not the request, failed: its transaction did not commit, so the same request (with the
      // same Idempotency-Key) can be sent again once the database is back.
      request.log.warn({ err: error }, 'database unavailable');
      const problem =
        fault === 'storage_full'
          ? ServiceErrors.storageFull('The database has no room left to write this; nothing was written.')
          : ServiceErrors.unavailable(
              'The database cannot be reached right now; nothing was written. Retry shortly.',
            );
      reply.header('retry-after', fault === 'storage_full' ? '60' : '2');
      return sendProblem(reply, { ...problemOf(problem), requestId: request.id });
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, {
      type: 'urn:omniloop:problem:INTERNAL',
      title: 'Internal error',
      status: 500,
      code: 'INTERNAL',
      detail:
        'Something went wrong on our side; it has been logged. Retrying with the same Idempotency-Key is safe.',
      requestId: request.id,
    });
  });

  app.setNotFoundHandler((request, reply) => {
    const error = RequestErrors.notFound(`No route ${request.method} ${request.url.split('?')[0]}`);
    return sendProblem(reply, { ...problemOf(error), requestId: request.id });
  });
}
