import type { Kysely } from 'kysely';
import { deriveKey } from '../platform/crypto.js';
import { type DB, nowIso, type Trx } from '../platform/index.js';
import { memberCodeOf, readMemberCode } from './member-code.rules.js';
import { MemberErrors } from './members.errors.js';
import { resolveMemberId } from './members.rows.js';

export interface MemberCode {
  /** 18 digits: what the QR code and the barcode carry, and what a scanner types at the till. */
  code: string;
  /** When the till stops taking it. */
  expiresAt: string;
  /** When the customer's screen shows the next one. */
  refreshAt: string;
}

/** The key member codes are signed with, derived from the node's secret (every node makes and reads the same). */
export function memberCodeKey(secret: string): Buffer {
  return deriveKey(secret, 'member-code');
}

/** The member's code for this minute; her number is made the first time she shows one. */
export async function memberCodeFor(
  trx: Trx,
  key: Buffer,
  memberId: string,
  now = Date.now(),
): Promise<MemberCode> {
  await trx
    .insertInto('member_code_numbers')
    .values({ member_id: memberId, created_at: nowIso() })
    .onConflict((oc) => oc.column('member_id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('member_code_numbers')
    .select('number')
    .where('member_id', '=', memberId)
    .executeTakeFirstOrThrow();
  return memberCodeOf(key, Number(row.number), now);
}

/**
 * The member a scanned code names (after merges): MEMBER.CODE_INVALID when it is no member code,
 * MEMBER.CODE_EXPIRED when it is hers but from an earlier minute — a screenshot or a photo is not her phone.
 */
export async function memberOfCode(
  db: Kysely<DB>,
  key: Buffer,
  code: string,
  now = Date.now(),
): Promise<string> {
  const reading = readMemberCode(key, code, now);
  if (!reading.ok && reading.reason === 'invalid')
    throw MemberErrors.codeInvalid('This is not a member code');
  if (!reading.ok) {
    throw MemberErrors.codeExpired('The member code has expired: ask the customer to refresh it');
  }
  const row = await db
    .selectFrom('member_code_numbers')
    .select('member_id')
    .where('number', '=', reading.number)
    .executeTakeFirst();
  const memberId = row ? await resolveMemberId(db, row.member_id) : null;
  if (memberId === null) throw MemberErrors.codeInvalid('No member holds this code');
  return memberId;
}
