import type { AppModule } from '../platform/index.js';

/** The audience context's RFM: runs of both schemes with every member's scores, movements, the monthly run. */
export const rfmModule: AppModule = {
  name: 'audience.rfm',
};
