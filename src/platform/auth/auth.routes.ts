import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { CHANNELS } from '../channels.js';
import type { AppContext } from '../http/context.js';
import { command } from '../http/idempotency.js';
import { codeString, Nullable, StringEnum } from '../http/schemas.js';
import { ROLES, STAFF_ROLES, type StaffRole, scopedStore } from './principal.js';
import { authenticate, createApiKey, createUser, listUsers, principalOf } from './users.service.js';

/** Staff sessions last a working day; a new login the next morning. */
export const STAFF_TOKEN_TTL_S = 12 * 3600;

const userSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    role: { type: 'string', enum: [...STAFF_ROLES] },
    storeCode: { type: ['string', 'null'] },
    displayName: { type: ['string', 'null'] },
  },
} as const;

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: { username: string; password: string } }>(
    '/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Staff login: a signed token for the console and the store workbench',
        security: [],
        body: {
          type: 'object',
          required: ['username', 'password'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 100 },
            password: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, user: userSchema },
          },
        },
      },
    },
    async (request) => {
      const user = await authenticate(ctx.database.db, request.body.username, request.body.password);
      const { token, expiresAt } = ctx.tokens.sign(principalOf(user), STAFF_TOKEN_TTL_S);
      return {
        token,
        expiresAt,
        user: {
          username: user.username,
          role: user.role,
          storeCode: user.storeCode,
          displayName: user.displayName,
        },
      };
    },
  );

  app.get(
    '/v1/auth/me',
    {
      config: { auth: { roles: ROLES } },
      schema: {
        tags: ['auth'],
        summary: 'Who the token belongs to',
        response: {
          200: Type.Object({
            role: StringEnum(['admin', 'ops', 'store_manager', 'guide', 'channel', 'customer']),
            subject: Type.String({ description: 'The username, API key id or member id' }),
            storeCode: Nullable(Type.String()),
            channel: Type.Optional(Type.String({ description: 'A channel app: its channel' })),
            memberId: Type.Optional(Type.String({ description: 'A customer: her member id' })),
          }),
        },
      },
    },
    async (request) => request.principal,
  );

  app.post<{
    Body: { username: string; password: string; role: StaffRole; storeCode?: string; displayName?: string };
  }>(
    '/v1/users',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['auth'],
        summary: 'Create a staff account',
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{2,64}$' },
            password: { type: 'string', minLength: 8, maxLength: 200 },
            role: { type: 'string', enum: [...STAFF_ROLES] },
            storeCode: codeString,
            displayName: { type: 'string', maxLength: 100 },
          },
        },
        response: { 201: userSchema },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createUser(trx, request.body)),
  );

  app.get<{ Querystring: { store?: string } }>(
    '/v1/users',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['auth'],
        summary: "Staff accounts; store managers and guides see their own store's team",
        querystring: { type: 'object', properties: { store: { type: 'string' } } },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: userSchema }, nextCursor: { type: 'null' } },
          },
        },
      },
    },
    async (request) => ({
      items: await listUsers(ctx.database.db, scopedStore(request.principal, request.query.store)),
      nextCursor: null,
    }),
  );

  app.post<{ Body: { name: string; channel: (typeof CHANNELS)[number] } }>(
    '/v1/api-keys',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['auth'],
        summary: "Create a channel app's API key (shown once)",
        body: {
          type: 'object',
          required: ['name', 'channel'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 100 },
            channel: { type: 'string', enum: [...CHANNELS] },
          },
        },
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            channel: Type.String(),
            createdAt: Type.String({ format: 'date-time' }),
            key: Type.String({ description: 'The key itself: shown this once, kept only as a hash' }),
          }),
        },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createApiKey(trx, request.body)),
  );
}
