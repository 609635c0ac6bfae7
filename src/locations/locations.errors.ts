import { defineError } from '../platform/index.js';

/** The locations context's error catalogue. */
export const LocationErrors = {
  notFound: defineError('LOCATION.NOT_FOUND', 'not_found', 'No such location'),
  codeTaken: defineError('LOCATION.CODE_TAKEN', 'conflict', 'This location code is taken'),
  invalidCapabilities: defineError(
    'LOCATION.INVALID_CAPABILITIES',
    'invalid',
    'A warehouse cannot hold pickups, ship from store or deliver the same day',
  ),
};
