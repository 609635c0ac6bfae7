import { defineError } from '../platform/index.js';

/** Tags' error catalogue. */
export const TagErrors = {
  notFound: defineError('TAG.NOT_FOUND', 'not_found', 'No such tag'),
  groupNotFound: defineError('TAG.GROUP_NOT_FOUND', 'not_found', 'No such tag group'),
  memberNotFound: defineError('TAG.MEMBER_NOT_FOUND', 'not_found', 'No such member'),
  codeTaken: defineError('TAG.CODE_TAKEN', 'conflict', 'The code is already in use'),
  ruleOrFeed: defineError('TAG.RULE_OR_FEED', 'invalid', 'A tag is kept by a rule or fed by facts, not both'),
  ruleReadsTags: defineError('TAG.RULE_READS_TAGS', 'invalid', 'A rule tag may not read tags'),
  ruleInExclusiveGroup: defineError(
    'TAG.RULE_IN_EXCLUSIVE_GROUP',
    'invalid',
    'A rule tag cannot be in an exclusive group',
  ),
  setByRule: defineError('TAG.SET_BY_RULE', 'conflict', 'A rule tag is set and taken off by its rule only'),
};
