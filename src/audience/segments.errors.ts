import { defineError } from '../platform/index.js';

/** Segments' error catalogue. */
export const SegmentErrors = {
  notFound: defineError('SEGMENT.NOT_FOUND', 'not_found', 'No such segment'),
  ruleInvalid: defineError('SEGMENT.RULE_INVALID', 'invalid', 'The rule cannot be read'),
};
