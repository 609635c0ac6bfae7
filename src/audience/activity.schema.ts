/** Tables of the audience context's activity capability beyond those of audience.schema.ts (snake_case, as stored). */
export interface ActivityTables {
  activity_settings: ActivitySettingsTable;
}

/** One row (id 1): how long tracked app events are kept. Facts (orders, returns, trials, coupons) are kept. */
export interface ActivitySettingsTable {
  id: number;
  retention_days: number;
  updated_at: string;
  updated_by: string;
}
