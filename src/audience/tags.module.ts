import type { AppModule } from '../platform/index.js';
import { registerTagRoutes } from './tags.routes.js';

/** The audience context's tags: tag groups, manual tags with history, tags fed by trials and purchases, rule tags. */
export const tagsModule: AppModule = {
  name: 'audience.tags',
  routes: registerTagRoutes,
};
