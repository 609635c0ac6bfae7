import Type from 'typebox';
import { CHANNELS } from '../channels.js';
import type { Api } from '../http/api.js';
import type { AppContext } from '../http/context.js';
import { command } from '../http/idempotency.js';
import { codeString, Nullable, StringEnum } from '../http/schemas.js';
import { ROLES, STAFF_ROLES, scopedStore } from './principal.js';
import { authenticate, createApiKey, createUser, listUsers, principalOf } from './users.service.js';

/** Staff sessions last a working day; a new login the next morning. */
export const STAFF_TOKEN_TTL_S = 12 * 3600;

/** A staff account as the API shows it (never its password). */
const StaffUser = Type.Object({
  username: Type.String(),
  role: StringEnum(STAFF_ROLES),
  storeCode: Nullable(Type.String()),
  displayName: Nullable(Type.String()),
});

const Login = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

const NewStaffUser = Type.Object(
  {
    username: Type.String({ pattern: '^[a-zA-Z0-9_.-]{2,64}$' }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
    role: StringEnum(STAFF_ROLES),
    storeCode: Type.Optional(codeString),
    displayName: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

const RequestsPerMinute = Type.Integer({
  minimum: 1,
  maximum: 1_000_000,
  description: 'Requests this key may make per minute, across all nodes (no limit when absent)',
});

const NewApiKey = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    channel: StringEnum(CHANNELS),
    requestsPerMinute: Type.Optional(RequestsPerMinute),
  },
  { additionalProperties: false },
);

export function registerAuthRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Staff login: a signed token for the console and the store workbench',
        security: [],
        body: Login,
        response: {
          200: Type.Object({
            token: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
            user: StaffUser,
          }),
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

  app.post(
    '/v1/users',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['auth'],
        summary: 'Create a staff account',
        body: NewStaffUser,
        response: { 201: StaffUser },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createUser(trx, request.body)),
  );

  app.get(
    '/v1/users',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['auth'],
        summary: "Staff accounts; store managers and guides see their own store's team",
        querystring: Type.Object({ store: Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ items: Type.Array(StaffUser), nextCursor: Type.Null() }) },
      },
    },
    async (request) => ({
      items: await listUsers(ctx.database.db, scopedStore(request.principal, request.query.store)),
      nextCursor: null,
    }),
  );

  app.post(
    '/v1/api-keys',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['auth'],
        summary: "Create a channel app's API key (shown once)",
        body: NewApiKey,
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            channel: Type.String(),
            requestsPerMinute: Nullable(RequestsPerMinute),
            createdAt: Type.String({ format: 'date-time' }),
            key: Type.String({ description: 'The key itself: shown this once, kept only as a hash' }),
          }),
        },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createApiKey(trx, request.body)),
  );
}
