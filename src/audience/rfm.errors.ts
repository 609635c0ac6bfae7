import { defineError } from '../platform/index.js';

/** RFM runs' error catalogue. */
export const RfmErrors = {
  notFound: defineError('RFM.RUN_NOT_FOUND', 'not_found', 'No such RFM run'),
  invalidSettings: defineError('RFM.INVALID_SETTINGS', 'invalid', 'These settings do not fit the scheme'),
};
