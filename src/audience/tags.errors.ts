import { defineError } from '../platform/index.js';

/** Tags' error catalogue. */
export const TagErrors = {
  notFound: defineError('TAG.NOT_FOUND', 'not_found', 'No such tag'),
  groupNotFound: defineError('TAG.GROUP_NOT_FOUND', 'not_found', 'No such tag group'),
  memberNotFound: defineError('TAG.MEMBER_NOT_FOUND', 'not_found', 'No such member'),
  codeTaken: defineError('TAG.CODE_TAKEN', 'conflict', 'The code is already in use'),
};
