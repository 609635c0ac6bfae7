import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  AuthErrors,
  actorOf,
  CHANNELS,
  type Channel,
  codeString,
  command,
  idParams,
  type Principal,
  pageOf,
  pageQuery,
  STAFF_ROLES,
} from '../platform/index.js';
import { MemberErrors } from './members.errors.js';
import { piiFor } from './members.pii.js';
import type { MemberViewer } from './members.registry.js';
import {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  IDENTIFIER_TYPES,
  type IdentifierType,
} from './members.rules.js';
import {
  accessLog,
  assignGuide,
  blockIdentifier,
  consentsOf,
  decideReview,
  eraseMember,
  exportMember,
  findMemberIdByIdentifier,
  type IdentifyInput,
  identify,
  listMerges,
  listReviews,
  memberView,
  recordConsent,
  requireMemberId,
  retryOnRace,
  searchMembers,
  unmerge,
} from './members.service.js';
import { listSmsMessages, localSmsSender, loginWithCode, requestLoginCode } from './members.sms.js';

/** A customer's session on the customer pages or a channel app: a week, then log in again. */
export const CUSTOMER_TOKEN_TTL_S = 7 * 24 * 3600;

const HQ = ['admin', 'ops'] as const;
// Store staff identify customers at the till and in WeCom; channel apps identify their logged-in users.
const IDENTIFIERS = [...STAFF_ROLES, 'channel'] as const;
const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

const identifierSchema = {
  type: 'object',
  required: ['type', 'value'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: [...IDENTIFIER_TYPES] },
    value: { type: 'string', maxLength: 256 },
    appId: {
      type: 'string',
      maxLength: 64,
      description: 'The mini-program / official account of an openid; the marketplace of a buyer id',
    },
    verified: { type: 'boolean', description: 'The channel confirmed it (an SMS code, WeChat login)' },
  },
} as const;

const traitsSchema = {
  type: 'object',
  maxProperties: 50,
  description:
    'name, birthday (YYYY-MM-DD) and address are personal data (encrypted, masked for store staff); anything else (gender, skinType …) is kept as given. null removes a trait.',
  properties: {
    name: { type: ['string', 'null'], maxLength: 100 },
    birthday: { type: ['string', 'null'], pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
    address: { type: ['string', 'null'], maxLength: 300 },
  },
  additionalProperties: {
    anyOf: [{ type: 'string', maxLength: 300 }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
  },
} as const;

const ignoredSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: { type: { type: 'string' }, appId: { type: 'string' }, reason: { type: 'string' } },
  },
} as const;

const identifyResponse = {
  type: 'object',
  properties: {
    memberId: { type: 'string' },
    created: { type: 'boolean' },
    mergedFrom: { type: 'array', items: { type: 'string' } },
    review: { type: 'object', properties: { id: { type: 'string' }, reason: { type: 'string' } } },
    ignored: ignoredSchema,
  },
} as const;

const consentSchema = {
  type: 'object',
  properties: {
    purpose: { type: 'string' },
    granted: { type: 'boolean' },
    channel: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
    recordedAt: { type: ['string', 'null'] },
  },
} as const;

const consentsResponse = {
  type: 'object',
  properties: {
    current: { type: 'array', items: consentSchema },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: { ...consentSchema.properties, recordedBy: { type: 'string' } },
      },
    },
  },
} as const;

const guideSchema = {
  type: ['object', 'null'],
  properties: {
    guide: { type: 'string' },
    store: { type: 'string' },
    boundBy: { type: 'string' },
    boundAt: { type: 'string' },
  },
} as const;

const memberViewSchema = {
  type: 'object',
  additionalProperties: true,
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['active', 'erased'] },
    channel: { type: 'string' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    masked: { type: 'boolean' },
    requestedId: { type: 'string', description: 'The id asked for, when it was merged into this member' },
    identifiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          appId: { type: ['string', 'null'] },
          value: { type: 'string' },
          verified: { type: 'boolean' },
          channel: { type: 'string' },
          createdAt: { type: 'string' },
        },
      },
    },
    traits: { type: 'object', additionalProperties: true },
    consents: { type: 'array', items: consentSchema },
    guide: guideSchema,
    recentOrders: { description: 'Added by the orders context' },
    points: { description: 'Added by the loyalty context: {available, pending}' },
    tier: { description: 'Added by the loyalty context' },
    coupons: { description: 'Added by the loyalty context' },
    experiences: { description: 'Added by the experience context' },
  },
} as const;

const reviewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status: { type: 'string' },
    reason: { type: 'string' },
    memberIds: { type: 'array', items: { type: 'string' } },
    identifiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { type: { type: 'string' }, appId: { type: 'string' }, masked: { type: 'string' } },
      },
    },
    channel: { type: 'string' },
    createdAt: { type: 'string' },
    decidedAt: { type: ['string', 'null'] },
    decidedBy: { type: ['string', 'null'] },
    mergeIds: { type: 'array', items: { type: 'string' } },
  },
} as const;

const tokenResponse = {
  type: 'object',
  properties: {
    token: { type: 'string' },
    expiresAt: { type: 'string' },
    memberId: { type: 'string' },
    created: { type: 'boolean' },
  },
} as const;

// Store staff and channel apps see personal data masked; HQ and the member themself see it in full.
function viewerOf(principal: Principal): MemberViewer {
  const masked =
    principal.role === 'guide' || principal.role === 'store_manager' || principal.role === 'channel';
  return { role: principal.role, masked };
}

/** A customer reaches only their own member (also under an id that was merged into it). */
async function assertOwnMember(ctx: AppContext, principal: Principal, requestedId: string): Promise<void> {
  if (principal.role !== 'customer') return;
  const db = ctx.database.db;
  const [own, asked] = await Promise.all([
    requireMemberId(db, principal.memberId).catch(() => null),
    requireMemberId(db, requestedId).catch(() => null),
  ]);
  if (own === null || own !== asked) throw AuthErrors.forbidden('A customer may only see their own data');
}

export function registerMemberRoutes(app: FastifyInstance, ctx: AppContext): void {
  const pii = piiFor(ctx.config.secret);
  const db = ctx.database.db;

  app.post<{ Body: IdentifyInput }>(
    '/v1/identify',
    {
      config: { auth: { roles: IDENTIFIERS } },
      schema: {
        tags: ['members'],
        summary: 'One ID: resolve identifiers to one member (create, attach, merge, or open a review)',
        body: {
          type: 'object',
          required: ['identifiers', 'channel'],
          additionalProperties: false,
          properties: {
            identifiers: { type: 'array', minItems: 1, maxItems: 20, items: identifierSchema },
            traits: traitsSchema,
            channel: { type: 'string', enum: [...CHANNELS] },
          },
        },
        response: { 200: identifyResponse },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.role === 'channel' && principal.channel !== request.body.channel) {
        throw AuthErrors.forbidden(
          `This API key belongs to channel ${principal.channel}, not ${request.body.channel}`,
        );
      }
      return retryOnRace(() =>
        command(ctx, request, reply, 200, (trx) => identify(trx, pii, request.body, actorOf(request))),
      );
    },
  );

  app.get<{ Querystring: { q?: string; limit: number; cursor?: string } }>(
    '/v1/members',
    {
      config: { auth: { roles: STAFF_ROLES } },
      schema: {
        tags: ['members'],
        summary:
          'Members, newest first; q searches an exact phone, e-mail, card or other identifier, or a full name',
        querystring: pageQuery({ q: { type: 'string', maxLength: 200 } }),
        response: {
          200: pageOf({
            type: 'object',
            properties: {
              id: { type: 'string' },
              status: { type: 'string' },
              channel: { type: 'string' },
              createdAt: { type: 'string' },
              name: { type: ['string', 'null'] },
              phone: { type: ['string', 'null'] },
              identifierTypes: { type: 'array', items: { type: 'string' } },
            },
          }),
        },
      },
    },
    async (request) => searchMembers(db, pii, request.query),
  );

  app.get<{ Querystring: { type: IdentifierType; value: string; appId?: string } }>(
    '/v1/members/lookup',
    {
      config: { auth: { roles: IDENTIFIERS } },
      schema: {
        tags: ['members'],
        summary: 'The member holding an identifier (404 MEMBER.NOT_FOUND when nobody does)',
        querystring: {
          type: 'object',
          required: ['type', 'value'],
          properties: {
            type: { type: 'string', enum: [...IDENTIFIER_TYPES] },
            value: { type: 'string', maxLength: 256 },
            appId: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: memberViewSchema },
      },
    },
    async (request) => {
      const memberId = await findMemberIdByIdentifier(db, pii, request.query);
      const viewer = viewerOf(request.principal);
      return memberView(db, pii, memberId, viewer, actorOf(request));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'The member 360 view (masked for store staff; HQ reads of personal data are audited)',
        params: idParams,
        response: { 200: memberViewSchema },
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      const viewer = viewerOf(request.principal);
      const audit = request.principal.role === 'customer' ? null : actorOf(request);
      return memberView(db, pii, request.params.id, viewer, audit);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id/consents',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'Consent per purpose now, and its history',
        params: idParams,
        response: { 200: consentsResponse },
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return consentsOf(db, await requireMemberId(db, request.params.id));
    },
  );

  app.put<{
    Params: { id: string; purpose: ConsentPurpose };
    Body: { granted: boolean; channel: Channel; source?: string };
  }>(
    '/v1/members/:id/consents/:purpose',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['members'],
        summary: 'Grant or withdraw consent for a purpose (withdrawal holds at once)',
        params: {
          type: 'object',
          required: ['id', 'purpose'],
          properties: {
            id: codeString,
            purpose: { type: 'string', enum: [...CONSENT_PURPOSES] },
          },
        },
        body: {
          type: 'object',
          required: ['granted', 'channel'],
          additionalProperties: false,
          properties: {
            granted: { type: 'boolean' },
            channel: { type: 'string', enum: [...CHANNELS] },
            source: {
              type: 'string',
              maxLength: 500,
              description: 'The wording the customer agreed to, or where',
            },
          },
        },
        response: { 200: consentsResponse },
      },
    },
    async (request, reply) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return command(ctx, request, reply, 200, (trx) =>
        recordConsent(trx, request.params.id, request.params.purpose, request.body, actorOf(request)),
      );
    },
  );

  app.put<{ Params: { id: string }; Body: { guide: string; store: string } }>(
    '/v1/members/:id/guide',
    {
      config: { auth: { roles: STAFF_ROLES, store: (request) => (request.body as { store: string }).store } },
      schema: {
        tags: ['members'],
        summary: "Assign the member's exclusive guide (专属导购); store staff only for their own store",
        params: idParams,
        body: {
          type: 'object',
          required: ['guide', 'store'],
          additionalProperties: false,
          properties: {
            guide: codeString,
            store: codeString,
          },
        },
        response: { 200: guideSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        assignGuide(trx, request.params.id, request.body, actorOf(request)),
      ),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id/export',
    {
      config: { auth: { roles: ['admin', 'customer'] } },
      schema: {
        tags: ['members'],
        summary: 'Everything held about the member, decrypted (audited)',
        params: idParams,
      },
    },
    async (request) => {
      await assertOwnMember(ctx, request.principal, request.params.id);
      return exportMember(db, pii, request.params.id, actorOf(request));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/members/:id/erase',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['members'],
        summary: 'Erase personal data and identifiers; an anonymised shell stays for accounting',
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              memberId: { type: 'string' },
              status: { type: 'string' },
              erasedAt: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => eraseMember(trx, request.params.id, actorOf(request))),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/members/:id/merges',
    {
      config: { auth: { roles: HQ } },
      schema: { tags: ['members'], summary: 'The merge log of a member', params: idParams },
    },
    async (request) => ({ items: await listMerges(db, request.params.id), nextCursor: null }),
  );

  app.post<{ Params: { id: string }; Body: { mergeId: string } }>(
    '/v1/members/:id/unmerge',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['members'],
        summary: 'Undo a merge: both members as before, with every re-pointed row',
        params: idParams,
        body: {
          type: 'object',
          required: ['mergeId'],
          additionalProperties: false,
          properties: { mergeId: codeString },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              memberId: { type: 'string' },
              restoredMemberId: { type: 'string' },
              mergeId: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) =>
        unmerge(trx, pii, request.params.id, request.body.mergeId, actorOf(request)),
      ),
  );

  app.get<{ Querystring: { status?: string; limit: number; cursor?: string } }>(
    '/v1/identity/reviews',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['members'],
        summary: 'Identity reviews: cases One ID would not merge on its own',
        querystring: pageQuery({ status: { type: 'string', enum: ['pending', 'merged', 'rejected'] } }),
        response: { 200: pageOf(reviewSchema) },
      },
    },
    async (request) => listReviews(db, pii, request.query),
  );

  for (const decision of ['merge', 'reject'] as const) {
    app.post<{ Params: { id: string } }>(
      `/v1/identity/reviews/:id/${decision}`,
      {
        config: { auth: { roles: HQ } },
        schema: {
          tags: ['members'],
          summary:
            decision === 'merge'
              ? 'The members are one person: merge them and attach the held-back identifiers'
              : 'The members are different people: keep them apart',
          params: idParams,
          response: { 200: reviewSchema },
        },
      },
      async (request, reply) =>
        command(ctx, request, reply, 200, (trx) =>
          decideReview(trx, pii, request.params.id, decision, actorOf(request)),
        ),
    );
  }

  app.post<{ Body: { type: IdentifierType; value: string; appId?: string; reason: string } }>(
    '/v1/identity/blocklist',
    {
      config: { auth: { roles: HQ } },
      schema: {
        tags: ['members'],
        summary: 'Never identify anyone by this value (a shared store device, a test phone)',
        body: {
          type: 'object',
          required: ['type', 'value', 'reason'],
          additionalProperties: false,
          properties: {
            type: { type: 'string', enum: [...IDENTIFIER_TYPES] },
            value: { type: 'string', minLength: 1, maxLength: 256 },
            appId: { type: 'string', maxLength: 64 },
            reason: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              type: { type: 'string' },
              appId: { type: 'string' },
              masked: { type: 'string' },
              reason: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 201, (trx) => blockIdentifier(trx, pii, request.body, actorOf(request))),
  );

  app.get<{ Querystring: { memberId?: string; limit: number; cursor?: string } }>(
    '/v1/audit-log',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['members'],
        summary: 'Who read or exported whose personal data, and when',
        querystring: pageQuery({ memberId: { type: 'string', maxLength: 64 } }),
      },
    },
    async (request) => accessLog(db, request.query),
  );

  app.post<{ Body: { memberId: string } }>(
    '/v1/auth/customer-tokens',
    {
      config: { auth: { roles: ['admin', 'channel'] } },
      schema: {
        tags: ['auth'],
        summary:
          'A customer token for a member the channel app has authenticated (e.g. WeChat login → identify)',
        body: {
          type: 'object',
          required: ['memberId'],
          additionalProperties: false,
          properties: { memberId: codeString },
        },
        response: { 201: tokenResponse },
      },
    },
    async (request, reply) => {
      const memberId = await requireMemberId(db, request.body.memberId);
      const row = await db
        .selectFrom('members')
        .select('status')
        .where('id', '=', memberId)
        .executeTakeFirstOrThrow();
      if (row.status !== 'active') throw MemberErrors.notActive(`Member ${request.body.memberId} was erased`);
      reply.code(201);
      return { ...customerToken(ctx, memberId), memberId };
    },
  );

  app.post<{ Body: { phone: string } }>(
    '/v1/auth/sms-codes',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Send a 6-digit login code to a phone (valid 5 minutes, 5 tries)',
        security: [],
        body: {
          type: 'object',
          required: ['phone'],
          additionalProperties: false,
          properties: { phone: { type: 'string', minLength: 1, maxLength: 32 } },
        },
        response: {
          202: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['queued'] },
              messageId: { type: 'string' },
              expiresAt: { type: 'string' },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 202, (trx) =>
        requestLoginCode(trx, pii, localSmsSender(trx, pii), request.body.phone),
      ),
  );

  app.post<{ Body: { phone: string; code: string; channel: Channel } }>(
    '/v1/auth/customer-login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Log a customer in with the SMS code; a new phone becomes a new member',
        security: [],
        body: {
          type: 'object',
          required: ['phone', 'code'],
          additionalProperties: false,
          properties: {
            phone: { type: 'string', minLength: 1, maxLength: 32 },
            code: { type: 'string', pattern: '^\\d{6}$' },
            channel: { type: 'string', enum: [...CHANNELS], default: 'online' },
          },
        },
        response: { 200: tokenResponse },
      },
    },
    async (request) => {
      const { memberId, created } = await loginWithCode(ctx.database, pii, request.body);
      return { ...customerToken(ctx, memberId), memberId, created };
    },
  );

  app.get<{ Querystring: { phone?: string; limit: number; cursor?: string } }>(
    '/v1/sms/messages',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['members'],
        summary: 'Messages sent through the built-in SMS carrier, with their delivery status',
        querystring: pageQuery({ phone: { type: 'string', maxLength: 32 } }),
      },
    },
    async (request) => listSmsMessages(db, pii, request.query),
  );
}

function customerToken(ctx: AppContext, memberId: string): { token: string; expiresAt: string } {
  return ctx.tokens.sign(
    { role: 'customer', subject: `member:${memberId}`, memberId, storeCode: null },
    CUSTOMER_TOKEN_TTL_S,
  );
}
