import type { AppModule } from '../platform/index.js';
import { activityModule } from './activity.module.js';
import { rfmModule } from './rfm.module.js';
import { segmentsModule } from './segments.module.js';
import { tagsModule } from './tags.module.js';
import { traitsModule } from './traits.module.js';

/**
 * The customer data platform: what members do (activity), their computed profile (traits), tags, RFM runs and
 * live segments. Everything here is derived from the facts other contexts record, by durable consumers, and can be
 * recomputed from them. Each capability is a module of its own; they speak to each other through
 * `audience.profile_changed` (audience.events.ts), which segments and rule tags follow.
 */
export const audienceModules: AppModule[] = [
  activityModule,
  traitsModule,
  tagsModule,
  rfmModule,
  segmentsModule,
];

export { MemberProfileChanged, profileChanged } from './audience.events.js';
export type { AudienceTables } from './audience.schema.js';
