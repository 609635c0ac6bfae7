import type { AppModule } from '../platform/index.js';

/** The audience context's traits: the computed profile of each member kept current by durable consumers, and its full recompute. */
export const traitsModule: AppModule = {
  name: 'audience.traits',
};
