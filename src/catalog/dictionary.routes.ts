import { type Api, type AppContext, codeParams, command, ROLES } from '../platform/index.js';
import {
  AttributeEntry,
  AttributeNames,
  CategoryEntry,
  CategoryNames,
  Dictionary,
} from './catalog.contract.js';
import { nameAttribute, nameCategory, readDictionary } from './dictionary.service.js';

const WRITERS = ['admin', 'ops'] as const;

export function registerDictionaryRoutes(app: Api, ctx: AppContext): void {
  app.get(
    '/v1/catalog/dictionary',
    {
      // Every screen that shows a category or an attribute reads it: staff, channels and customers alike.
      config: { auth: { roles: ROLES } },
      schema: {
        tags: ['catalog'],
        summary: 'The names of categories, attributes and attribute values in each language',
        response: { 200: Dictionary },
      },
    },
    async () => readDictionary(ctx.database.db),
  );

  app.put(
    '/v1/catalog/categories/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Name a category in each language (creates its entry or replaces its names)',
        params: codeParams,
        body: CategoryNames,
        response: { 200: CategoryEntry },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => nameCategory(trx, request.params.code, request.body)),
  );

  app.put(
    '/v1/catalog/attributes/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Name an attribute and its values in each language (the values replaced whole)',
        params: codeParams,
        body: AttributeNames,
        response: { 200: AttributeEntry },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => nameAttribute(trx, request.params.code, request.body)),
  );
}
