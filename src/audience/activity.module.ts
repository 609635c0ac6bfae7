import type { AppModule } from '../platform/index.js';

/** The audience context's activity: tracked app events (POST /v1/track), the facts the platform records (orders, returns, trials, coupons) as member_activity, device joins, retention. */
export const activityModule: AppModule = {
  name: 'audience.activity',
};
