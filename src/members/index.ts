import type { AppModule } from '../platform/index.js';
import { registerMemberReference } from './members.registry.js';
import { registerMemberRoutes } from './members.routes.js';
import { deliverSms, SMS_DELIVER_JOB } from './members.sms.js';

// The members context's own rows that follow a member through merges (and back on unmerge).
registerMemberReference({ table: 'member_identifiers', memberColumn: 'member_id', keyColumn: 'id' });
registerMemberReference({ table: 'member_consents', memberColumn: 'member_id', keyColumn: 'seq' });
registerMemberReference({ table: 'member_guide_bindings', memberColumn: 'member_id', keyColumn: 'seq' });

/** One ID: identity resolution and merging, the member 360 view, consent, privacy, customer login. */
export const membersModule: AppModule = {
  name: 'members',
  routes: registerMemberRoutes,
  jobs: { [SMS_DELIVER_JOB]: (trx, job) => deliverSms(trx, job) },
};

export type { Actor } from '../platform/index.js';
export { MemberErrors } from './members.errors.js';
/** The personal-data keyring for a secret: encryption and blind indexes. */
export { type Pii, piiFor } from './members.pii.js';
export {
  type MemberReference,
  type MemberViewer,
  type MemberViewSectionLoader,
  /**
   * Declares a table whose rows belong to a member (orders, points lots, coupons, experiences …). Call it at
   * module load: a merge then moves the rows to the surviving member and logs their keys, and an unmerge moves
   * exactly those rows back.
   */
  registerMemberReference,
  /**
   * Adds a section to the member 360 view (`recentOrders`, `points`, `tier`, `coupons`, `experiences`): the
   * loader receives the surviving member id and who is looking (mask personal data when `viewer.masked`).
   */
  registerMemberViewSection,
} from './members.registry.js';
export {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  IDENTIFIER_TYPES,
  type IdentifierType,
} from './members.rules.js';
/** The demo brand's members. */
export { seedMembers } from './members.seed.js';
export {
  /** The current consent per purpose (features check `marketing` / `personalization` before acting). */
  consentsOf,
  /** The member holding an identifier (MEMBER.NOT_FOUND otherwise). */
  findMemberIdByIdentifier,
  type IdentifyInput,
  type IdentifyResult,
  /**
   * Resolves identifiers to a member inside the caller's transaction (orders with `customer.identifiers`). It may
   * lose a race with a concurrent request on PostgreSQL: run the whole transaction through `retryOnRace`.
   */
  identify,
  /** Follows merges to the member that holds everything now; null when the id is unknown. */
  memberInScope,
  resolveMemberId,
  retryOnRace,
} from './members.service.js';
/** Sends text messages; `localSmsSender` is the built-in carrier. */
export { localSmsSender, type SmsSender } from './members.sms.js';
