/** The RFM segments of each scheme, as the server's rfm.rules names them (their words are audience.messages'). */
export const QUINTILE_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cannot_lose_them',
  'hibernating',
  'lost',
] as const;

export const EIGHT_CLASS_SEGMENTS = [
  'important_value',
  'important_development',
  'important_retention',
  'important_recovery',
  'general_value',
  'general_development',
  'general_retention',
  'general_recovery',
] as const;
