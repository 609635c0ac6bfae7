import type { Kysely } from 'kysely';
import { type Pii, resolveMemberId } from '../members/index.js';
import { AuthErrors, type DB, isStoreScoped, type Principal, STAFF_ROLES } from '../platform/index.js';
import { type ReturnReader, type ReturnRow, requireReturnRow } from './aftersales.rows.js';

// What the after-sales routes share: who may reach a return, an order or an appointment, and schema parts.

/** Staff, channel apps and customers (a customer only their own). */
export const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

/**
 * How a principal reads a return: a store guide sees a courier pickup's phone masked, as on an order's recipient;
 * everyone else who may read the return (its customer, HQ, the store's manager, the channel app) sees it whole.
 */
export function returnReaderOf(pii: Pii, principal: Principal): ReturnReader {
  return { pii, seesPersonalData: principal.role !== 'guide' };
}

/** The member a customer token stands for now (merges followed). */
export async function customerMember(
  db: Kysely<DB>,
  principal: Extract<Principal, { role: 'customer' }>,
): Promise<string> {
  return (await resolveMemberId(db, principal.memberId)) ?? principal.memberId;
}

export async function assertOwnMember(
  db: Kysely<DB>,
  principal: Principal,
  memberId: string | null,
): Promise<void> {
  if (principal.role !== 'customer') return;
  const own = await customerMember(db, principal);
  const of = memberId === null ? null : ((await resolveMemberId(db, memberId)) ?? memberId);
  if (of !== own)
    throw AuthErrors.forbidden('A customer may only reach their own orders, returns and appointments');
}

/** Who may see a return: HQ and channel apps all; a store those asked for or received there; a customer their own. */
export async function assertReturnAccess(
  db: Kysely<DB>,
  principal: Principal,
  id: string,
): Promise<ReturnRow> {
  const ret = await requireReturnRow(db, id);
  if (
    isStoreScoped(principal) &&
    ret.location !== principal.storeCode &&
    ret.received_location !== principal.storeCode
  ) {
    throw AuthErrors.storeForbidden(`Return ${id} does not concern store ${principal.storeCode}`);
  }
  await assertOwnMember(db, principal, ret.member_id);
  return ret;
}
