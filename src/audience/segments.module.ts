import type { AppModule } from '../platform/index.js';

/** The audience context's segments: the rule language, preview, live membership, entered/exited events, export. */
export const segmentsModule: AppModule = {
  name: 'audience.segments',
};
