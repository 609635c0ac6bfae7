import type { AppModule } from '../platform/index.js';
import { registerConsentRoutes } from './consent.routes.js';
import { registerGuideRoutes } from './guide.routes.js';
import { registerIdentifyRoutes } from './identify.routes.js';
import { registerLoginRoutes } from './login.routes.js';
import { registerMemberCodeRoutes } from './member-code.routes.js';
import { deliverSms, SMS_DELIVER_JOB } from './members.sms.js';
import { registerMergeRoutes } from './merges.routes.js';
import { registerPrivacyRoutes } from './privacy.routes.js';
import { registerMemberViewRoutes } from './view.routes.js';

/** One ID: identity resolution and merging, the member 360 view, consent, privacy, customer login. */
export const membersModule: AppModule = {
  name: 'members',
  routes: (app, ctx) => {
    registerIdentifyRoutes(app, ctx);
    registerMemberViewRoutes(app, ctx);
    registerConsentRoutes(app, ctx);
    registerGuideRoutes(app, ctx);
    registerPrivacyRoutes(app, ctx);
    registerMergeRoutes(app, ctx);
    registerLoginRoutes(app, ctx);
    registerMemberCodeRoutes(app, ctx);
  },
  jobs: { [SMS_DELIVER_JOB]: (trx, job) => deliverSms(trx, job) },
  // The members context's own rows that follow a member through merges (and back on unmerge).
  memberReferences: [
    { table: 'member_identifiers', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'member_consents', memberColumn: 'member_id', keyColumn: 'seq' },
    { table: 'member_guide_bindings', memberColumn: 'member_id', keyColumn: 'seq' },
  ],
};

export type { Actor } from '../platform/index.js';
/** The current consent per purpose (features check `marketing` / `personalization` before acting). */
/** The members behind the brand's card numbers, in bulk, made when One ID does not know them (imports). */
export { membersForCards } from './cards.service.js';
export { consentsOf } from './consent.service.js';
export {
  /** The member holding an identifier (MEMBER.NOT_FOUND otherwise). */
  findMemberIdByIdentifier,
  type IdentifyInput,
  type IdentifyResult,
  /**
   * Resolves identifiers to a member inside the caller's transaction (orders with `customer.identifiers`). It may
   * lose a race with a concurrent request on PostgreSQL: run the whole transaction through `retryOnRace`.
   */
  identify,
  retryOnRace,
} from './identify.service.js';
/** The member a scanned member code (会员码) names, and the key codes are signed with. */
export { memberCodeKey, memberOfCode } from './member-code.service.js';
export { MemberErrors } from './members.errors.js';
/** The personal-data keyring for a secret: encryption and blind indexes. */
export { type Pii, piiFor } from './members.pii.js';
/**
 * Takes every module's `memberReferences` (tables whose rows a merge moves to the surviving member and an
 * unmerge moves back, by their logged keys) and `memberViewSections` (parts of the 360 view, each given the
 * surviving member id and who is looking). `src/app.ts` calls it once with the node's modules.
 */
export { linkMemberRecords } from './members.registry.js';
/** Follows merges to the member that holds everything now; null when the id is unknown. */
export { resolveMemberId } from './members.rows.js';
export {
  CONSENT_PURPOSES,
  type ConsentPurpose,
  IDENTIFIER_TYPES,
  type IdentifierType,
  /** An identifier as One ID stores it (E.164 phone, lower-case e-mail …), or why it is not one. */
  normaliseIdentifier,
} from './members.rules.js';
/** The demo brand's members. */
export { seedMembers } from './members.seed.js';
/** Sends text messages; `localSmsSender` is the built-in carrier. */
export { localSmsSender, type SmsSender } from './members.sms.js';
/**
 * The member a request names, after merges (MEMBER.NOT_FOUND when there is none), checked against who asks: a
 * customer only reaches themself.
 */
/** Members' names and phones masked as store staff see them (138****5678), for other contexts' staff lists. */
export { memberContacts, memberInScope } from './view.service.js';
