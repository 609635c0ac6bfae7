import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';

/**
 * The server as a context's routes see it: a route's schemas (TypeBox, which is JSON Schema) are its types. The
 * body, params and query a handler reads, and the answer it returns, are typed from the same schema that
 * validates them and that /openapi.json publishes — an API shape is written once.
 */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
