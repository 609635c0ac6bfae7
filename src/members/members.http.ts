import { type AppContext, AuthErrors, type Principal, STAFF_ROLES } from '../platform/index.js';
import type { MemberViewer } from './members.registry.js';
import { requireMemberId } from './members.rows.js';

// What the members context's routes share: who may call them, how personal data is shown to whom, and the
// answer schemas more than one route gives.

export const HQ = ['admin', 'ops'] as const;
// Store staff identify customers at the till and in WeCom; channel apps identify their logged-in users.
export const IDENTIFIERS = [...STAFF_ROLES, 'channel'] as const;
export const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

export const consentSchema = {
  type: 'object',
  properties: {
    purpose: { type: 'string' },
    granted: { type: 'boolean' },
    channel: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
    recordedAt: { type: ['string', 'null'] },
  },
} as const;

export const guideSchema = {
  type: ['object', 'null'],
  properties: {
    guide: { type: 'string' },
    store: { type: 'string' },
    boundBy: { type: 'string' },
    boundAt: { type: 'string' },
  },
} as const;

export const memberViewSchema = {
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

// Store staff and channel apps see personal data masked; HQ and the member themself see it in full.
export function viewerOf(principal: Principal): MemberViewer {
  const masked =
    principal.role === 'guide' || principal.role === 'store_manager' || principal.role === 'channel';
  return { role: principal.role, masked };
}

/** A customer reaches only their own member (also under an id that was merged into it). */
export async function assertOwnMember(
  ctx: AppContext,
  principal: Principal,
  requestedId: string,
): Promise<void> {
  if (principal.role !== 'customer') return;
  const db = ctx.database.db;
  const [own, asked] = await Promise.all([
    requireMemberId(db, principal.memberId).catch(() => null),
    requireMemberId(db, requestedId).catch(() => null),
  ]);
  if (own === null || own !== asked) throw AuthErrors.forbidden('A customer may only see their own data');
}
