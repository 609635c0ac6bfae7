import type { Role } from './session';

/** What each role may do in the console; the API enforces the same rules and answers 403 otherwise. */
export const HQ_ROLES: readonly Role[] = ['admin', 'ops'];
export const STORE_ROLES: readonly Role[] = ['store_manager', 'guide'];
export const CUSTOMER_ROLES: readonly Role[] = ['customer'];

export type Permission =
  | 'inventory.count'
  | 'transfers.manage'
  | 'locations.manage'
  | 'catalog.manage'
  | 'members.read'
  | 'identity.review'
  | 'loyalty.manage'
  | 'imports.run'
  | 'insight.read'
  | 'segments.manage'
  | 'tags.manage';

const PERMISSIONS: Record<Permission, readonly Role[]> = {
  'inventory.count': ['admin', 'ops'],
  'transfers.manage': ['admin', 'ops'],
  'locations.manage': ['admin', 'ops'],
  'catalog.manage': ['admin', 'ops'],
  'members.read': ['admin', 'ops', 'store_manager', 'guide'],
  'identity.review': ['admin', 'ops'],
  'loyalty.manage': ['admin', 'ops'],
  'imports.run': ['admin', 'ops'],
  'insight.read': ['admin', 'ops'],
  'segments.manage': ['admin', 'ops'],
  'tags.manage': ['admin', 'ops'],
};

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && PERMISSIONS[permission].includes(role);
}

/** Where a role lands after login. */
export function homeOf(role: Role): string {
  if (HQ_ROLES.includes(role)) return '/hq';
  if (STORE_ROLES.includes(role)) return '/store';
  if (role === 'customer') return '/m';
  return '/login';
}
