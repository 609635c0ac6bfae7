import { AuthErrors } from '../errors.js';

export const STAFF_ROLES = ['admin', 'ops', 'store_manager', 'guide'] as const;
export const ROLES = [...STAFF_ROLES, 'channel', 'customer'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type Role = (typeof ROLES)[number];

/** Who is calling. Store managers and guides carry the store they belong to. */
export type Principal =
  | { role: 'admin' | 'ops'; subject: string; storeCode: null }
  | { role: 'store_manager' | 'guide'; subject: string; storeCode: string }
  | {
      role: 'channel';
      subject: string;
      channel: string;
      storeCode: null;
      /** The API key's own request limit, when it has one. */
      requestsPerMinute?: number | null;
    }
  | { role: 'customer'; subject: string; memberId: string; storeCode: null };

export function isStoreScoped(
  principal: Principal,
): principal is Extract<Principal, { role: 'store_manager' | 'guide' }> {
  return principal.role === 'store_manager' || principal.role === 'guide';
}

/**
 * The one rule of store scope: a store manager or guide sees and changes only their own store. Everyone else
 * allowed on the route is not limited by store.
 */
export function assertStoreAccess(principal: Principal, storeCode: string | null | undefined): void {
  if (isStoreScoped(principal) && storeCode !== principal.storeCode) {
    throw AuthErrors.storeForbidden(
      `${principal.role} ${principal.subject} works at store ${principal.storeCode} and may not act on ${storeCode ?? 'another location'}`,
    );
  }
}

/**
 * For lists: the store a query is limited to. Store-scoped staff get their own store (asking for another is
 * refused); others get what they asked for, or no limit.
 */
export function scopedStore(principal: Principal, requested: string | undefined): string | undefined {
  if (!isStoreScoped(principal)) return requested;
  if (requested !== undefined) assertStoreAccess(principal, requested);
  return principal.storeCode;
}

/** A customer may only reach their own member record. */
export function assertMemberAccess(principal: Principal, memberId: string): void {
  if (principal.role === 'customer' && principal.memberId !== memberId) {
    throw AuthErrors.forbidden('A customer may only see their own data');
  }
}
