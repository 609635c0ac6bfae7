import type { AppModule } from '../platform/index.js';

/**
 * The customer data platform: what members do (activity), their computed profile (traits), tags, RFM runs and
 * live segments. Everything here is derived from the facts other contexts record, by durable consumers, and can be
 * recomputed from them.
 */
export const audienceModule: AppModule = {
  name: 'audience',
};

export type { AudienceTables } from './audience.schema.js';
