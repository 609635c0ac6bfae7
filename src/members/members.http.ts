import Type, { type Static } from 'typebox';
import {
  type AppContext,
  AuthErrors,
  isStoreScoped,
  Nullable,
  type Principal,
  STAFF_ROLES,
} from '../platform/index.js';
import { MemberView } from './members.contract.js';
import { type MemberViewer, memberViewSections } from './members.registry.js';
import { requireMemberId } from './members.rows.js';

// What the members context's routes share: who may call them, how personal data is shown to whom, and the
// answer schemas more than one route gives.

export const HQ = ['admin', 'ops'] as const;
// Store staff identify customers at the till and in WeCom; channel apps identify their logged-in users.
export const IDENTIFIERS = [...STAFF_ROLES, 'channel'] as const;
export const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

// Store staff and channel apps see personal data masked; HQ and the member themself see it in full.
export function viewerOf(principal: Principal): MemberViewer {
  const masked =
    principal.role === 'guide' || principal.role === 'store_manager' || principal.role === 'channel';
  return { role: principal.role, masked, store: isStoreScoped(principal) ? principal.storeCode : null };
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

const Timestamp = Type.String({ format: 'date-time' });

/** A merge of one member into another, as its log keeps it (undone when `undoneAt` is set). */
export const MergeLogEntry = Type.Object({
  id: Type.String(),
  memberId: Type.String({ description: 'The member that stayed' }),
  mergedFrom: Type.String({ description: 'The member merged into it' }),
  reason: Type.String(),
  reviewId: Nullable(Type.String()),
  actor: Type.String(),
  moved: Type.Record(Type.String(), Type.Integer(), { description: 'Rows moved, per table' }),
  createdAt: Timestamp,
  undoneAt: Nullable(Timestamp),
  undoneBy: Nullable(Type.String()),
});

/** Who read or exported whose personal data. */
export const AccessLogEntry = Type.Object({
  seq: Type.Integer(),
  memberId: Type.String(),
  actorRole: Type.String(),
  actor: Type.String(),
  action: Type.String({ description: 'read, export …' }),
  requestId: Nullable(Type.String()),
  at: Timestamp,
});

/** A message of the built-in SMS carrier. */
export const SmsMessage = Type.Object({
  id: Type.String(),
  to: Type.String(),
  template: Type.String(),
  params: Type.Record(Type.String(), Type.String()),
  text: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  providerMessageId: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp,
  deliveredAt: Nullable(Timestamp),
});

const FreeForm = Type.Object({}, { additionalProperties: true });

/** Everything held about a member (个人信息导出), decrypted: the 360 view and every history. */
export const MemberExport = Type.Object({
  exportedAt: Timestamp,
  member: MemberView,
  consentHistory: Type.Array(FreeForm),
  guideHistory: Type.Array(FreeForm),
  merges: Type.Array(MergeLogEntry),
  mergedMembers: Type.Array(
    Type.Object({
      id: Type.String(),
      createdAt: Timestamp,
      traits: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  smsMessages: Type.Array(
    Type.Object({
      id: Type.String(),
      to: Type.String(),
      template: Type.String(),
      status: Type.String(),
      createdAt: Timestamp,
      deliveredAt: Nullable(Timestamp),
    }),
  ),
  accessLog: Type.Array(AccessLogEntry),
});

/**
 * The member 360 view as the routes answer it: the members context's own fields and every linked module's section
 * with its schema (so /openapi.json and the generated clients know each section's shape). Built when the routes
 * are registered, after `linkMemberRecords`.
 */
export function memberViewAnswer() {
  const sections = Object.fromEntries(
    [...memberViewSections()].map(([name, section]) => [name, section.schema]),
  );
  return Type.Unsafe<Static<typeof MemberView>>(Type.Object({ ...MemberView.properties, ...sections }));
}

/** {@link MemberExport} with the whole 360 view. */
export function memberExportAnswer() {
  return Type.Unsafe<Static<typeof MemberExport>>(
    Type.Object({ ...MemberExport.properties, member: memberViewAnswer() }),
  );
}
