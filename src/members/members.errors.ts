import { defineError } from '../platform/index.js';

/** The members context's error catalogue. */
export const MemberErrors = {
  notFound: defineError('MEMBER.NOT_FOUND', 'not_found', 'No such member'),
  invalidIdentifier: defineError('MEMBER.INVALID_IDENTIFIER', 'invalid', 'An identifier is not valid'),
  noUsableIdentifier: defineError(
    'MEMBER.NO_USABLE_IDENTIFIER',
    'invalid',
    'None of the identifiers can identify a customer',
  ),
  notActive: defineError('MEMBER.NOT_ACTIVE', 'conflict', 'The member was merged or erased'),
  reviewNotFound: defineError('MEMBER.REVIEW_NOT_FOUND', 'not_found', 'No such identity review'),
  reviewDecided: defineError('MEMBER.REVIEW_DECIDED', 'conflict', 'The identity review was already decided'),
  mergeNotFound: defineError('MEMBER.MERGE_NOT_FOUND', 'not_found', 'No such merge of this member'),
  unmergeBlocked: defineError('MEMBER.UNMERGE_BLOCKED', 'conflict', 'This merge cannot be undone now'),
  guideUnknown: defineError(
    'MEMBER.GUIDE_UNKNOWN',
    'unprocessable',
    'The guide is not a staff member of that store',
  ),
  smsCodeTooSoon: defineError('MEMBER.SMS_CODE_TOO_SOON', 'conflict', 'A code was sent moments ago'),
  smsCodeInvalid: defineError('MEMBER.SMS_CODE_INVALID', 'unauthenticated', 'The code is wrong or expired'),
  codeInvalid: defineError('MEMBER.CODE_INVALID', 'not_found', 'This is not a member code'),
  codeExpired: defineError(
    'MEMBER.CODE_EXPIRED',
    'unprocessable',
    'The member code has expired: ask the customer to show it again',
  ),
  smsCodeLocked: defineError(
    'MEMBER.SMS_CODE_LOCKED',
    'unauthenticated',
    'Too many wrong codes: ask for a new one',
  ),
};

/** A lost race with a concurrent request (the same new identifier, a member merged meanwhile): run again. */
export class ResolutionRace extends Error {
  override name = 'ResolutionRace';
}
