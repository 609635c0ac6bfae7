/** Where a customer meets the brand (DOMAIN.md, 渠道). */
export const CHANNELS = ['online', 'mini_program', 'pos', 'wecom', 'marketplace', 'live'] as const;
export type Channel = (typeof CHANNELS)[number];
