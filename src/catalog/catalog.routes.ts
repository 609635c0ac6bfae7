import { type Api, type AppContext, codeParams, command, pageOf, ROLES } from '../platform/index.js';
import {
  NewProduct,
  NewSku,
  ProductChanges,
  ProductQuery,
  ProductSummary,
  ProductWithSkus,
  Sku,
  SkuChanges,
  SkuQuery,
} from './catalog.contract.js';
import {
  addSku,
  createProduct,
  requireProduct,
  requireSku,
  searchProducts,
  searchSkus,
  updateProduct,
  updateSku,
} from './catalog.service.js';

const WRITERS = ['admin', 'ops'] as const;
// The catalog is what the brand shows the world: customers read it too (the scan-in-store page).
const READERS = ROLES;

export function registerCatalogRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/products',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Create a product with its SKUs (all or nothing)',
        body: NewProduct,
        response: { 201: ProductWithSkus },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createProduct(trx, request.body)),
  );

  app.get(
    '/v1/products',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Products in code order, with how many SKUs each has',
        querystring: ProductQuery,
        response: { 200: pageOf(ProductSummary) },
      },
    },
    async (request) => searchProducts(ctx.database.db, request.query),
  );

  app.get(
    '/v1/products/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'A product with its SKUs',
        params: codeParams,
        response: { 200: ProductWithSkus },
      },
    },
    async (request) => requireProduct(ctx.database.db, request.params.code),
  );

  app.patch(
    '/v1/products/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Rename, describe or recategorise a product (its SKUs follow the category)',
        params: codeParams,
        body: ProductChanges,
        response: { 200: ProductWithSkus },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateProduct(trx, request.params.code, request.body)),
  );

  app.post(
    '/v1/products/:code/skus',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Add a SKU to a product',
        params: codeParams,
        body: NewSku,
        response: { 201: Sku },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => addSku(trx, request.params.code, request.body)),
  );

  app.get(
    '/v1/skus',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'SKUs in code order: search, filter, or look one up by barcode',
        querystring: SkuQuery,
        response: { 200: pageOf(Sku) },
      },
    },
    async (request) => searchSkus(ctx.database.db, request.query),
  );

  app.get(
    '/v1/skus/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['catalog'],
        summary: 'One SKU',
        params: codeParams,
        response: { 200: Sku },
      },
    },
    async (request) => requireSku(ctx.database.db, request.params.code),
  );

  app.patch(
    '/v1/skus/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['catalog'],
        summary: 'Change a SKU: name, price, barcode, attributes (replaced whole), active',
        params: codeParams,
        body: SkuChanges,
        response: { 200: Sku },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateSku(trx, request.params.code, request.body)),
  );
}
