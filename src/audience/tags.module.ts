import type { AppModule } from '../platform/index.js';
// Declares the TAG.* codes that setMemberTag / removeMemberTag answer with.
import './tags.errors.js';

/** The audience context's tags: tag groups, manual tags with history, tags fed by trials and purchases, rule tags. */
export const tagsModule: AppModule = {
  name: 'audience.tags',
};
