import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  changesBody,
  codeParams,
  codeString,
  command,
  pageOf,
  ROLES,
  shortListQuery,
} from '../platform/index.js';
import {
  addSku,
  createProduct,
  type NewProduct,
  type NewSku,
  type ProductChanges,
  type ProductQuery,
  requireProduct,
  requireSku,
  type SkuChanges,
  type SkuQuery,
  searchProducts,
  searchSkus,
  updateProduct,
  updateSku,
} from './catalog.service.js';

const WRITERS = ['admin', 'ops'] as const;
// The catalog is what the brand shows the world: customers read it too (the scan-in-store page).
const READERS = ROLES;

const CODE = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$' } as const;
const CATEGORY = { type: 'string', minLength: 1, maxLength: 50 } as const;
const PRICE = {
  type: 'integer',
  minimum: 0,
  maximum: 1_000_000_000,
  description: 'Fen (分): 32000 is ¥320.00',
} as const;
const BARCODE = {
  type: ['string', 'null'],
  pattern: '^[0-9A-Za-z-]{4,48}$',
  description: 'EAN-13 or the brand’s own; unique',
} as const;
const ATTRIBUTES = {
  type: 'object',
  maxProperties: 20,
  additionalProperties: { type: 'string', maxLength: 200 },
  description: 'What sets the SKU apart: {"shade": "999", "finish": "matte"}, {"size": "50ml"}',
} as const;

const newSkuSchema = {
  type: 'object',
  required: ['code', 'name', 'price'],
  additionalProperties: false,
  properties: {
    code: CODE,
    name: { type: 'string', minLength: 1, maxLength: 200 },
    price: PRICE,
    barcode: BARCODE,
    attributes: ATTRIBUTES,
  },
} as const;

const skuSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    productCode: { type: 'string' },
    name: { type: 'string' },
    price: { type: 'integer' },
    barcode: { type: ['string', 'null'] },
    attributes: { type: 'object', additionalProperties: { type: 'string' } },
    category: { type: 'string' },
    active: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const productProperties = {
  code: { type: 'string' },
  name: { type: 'string' },
  category: { type: 'string' },
  description: { type: ['string', 'null'] },
  createdAt: { type: 'string' },
  updatedAt: { type: 'string' },
} as const;

const productSchema = {
  type: 'object',
  properties: { ...productProperties, skus: { type: 'array', items: skuSchema } },
} as const;

export function registerCatalogRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: NewProduct }>(
    '/v1/products',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Create a product with its SKUs (all or nothing)',
        body: {
          type: 'object',
          required: ['code', 'name', 'category', 'skus'],
          additionalProperties: false,
          properties: {
            code: CODE,
            name: { type: 'string', minLength: 1, maxLength: 200 },
            category: CATEGORY,
            description: { type: ['string', 'null'], maxLength: 2000 },
            skus: { type: 'array', maxItems: 500, items: newSkuSchema },
          },
        },
        response: { 201: productSchema },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createProduct(trx, request.body)),
  );

  app.get<{ Querystring: ProductQuery }>(
    '/v1/products',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Products in code order, with how many SKUs each has',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 100, description: 'Part of the code or name, any case' },
            category: CATEGORY,
            ...shortListQuery,
          },
        },
        response: {
          200: pageOf({
            type: 'object',
            properties: { ...productProperties, skuCount: { type: 'integer' } },
          }),
        },
      },
    },
    async (request) => searchProducts(ctx.database.db, request.query),
  );

  app.get<{ Params: { code: string } }>(
    '/v1/products/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'A product with its SKUs',
        params: codeParams,
        response: { 200: productSchema },
      },
    },
    async (request) => requireProduct(ctx.database.db, request.params.code),
  );

  app.patch<{ Params: { code: string }; Body: ProductChanges }>(
    '/v1/products/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Rename, describe or recategorise a product (its SKUs follow the category)',
        params: codeParams,
        body: changesBody({
          name: { type: 'string', minLength: 1, maxLength: 200 },
          category: CATEGORY,
          description: { type: ['string', 'null'], maxLength: 2000 },
        }),
        response: { 200: productSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateProduct(trx, request.params.code, request.body)),
  );

  app.post<{ Params: { code: string }; Body: NewSku }>(
    '/v1/products/:code/skus',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Add a SKU to a product',
        params: codeParams,
        body: newSkuSchema,
        response: { 201: skuSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => addSku(trx, request.params.code, request.body)),
  );

  app.get<{ Querystring: SkuQuery }>(
    '/v1/skus',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'SKUs in code order: search, filter, or look one up by barcode',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 100, description: 'Part of the code, name or barcode, any case' },
            category: CATEGORY,
            productCode: codeString,
            barcode: { type: 'string', minLength: 1, maxLength: 48, description: 'Exact barcode (a scan)' },
            active: { type: 'boolean' },
            ...shortListQuery,
          },
        },
        response: { 200: pageOf(skuSchema) },
      },
    },
    async (request) => searchSkus(ctx.database.db, request.query),
  );

  app.get<{ Params: { code: string } }>(
    '/v1/skus/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'One SKU',
        params: codeParams,
        response: { 200: skuSchema },
      },
    },
    async (request) => requireSku(ctx.database.db, request.params.code),
  );

  app.patch<{ Params: { code: string }; Body: SkuChanges }>(
    '/v1/skus/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Change a SKU: name, price, barcode, attributes (replaced whole), active',
        params: codeParams,
        body: changesBody({
          name: { type: 'string', minLength: 1, maxLength: 200 },
          price: PRICE,
          barcode: BARCODE,
          attributes: ATTRIBUTES,
          active: { type: 'boolean' },
        }),
        response: { 200: skuSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateSku(trx, request.params.code, request.body)),
  );
}
