/** Tables of RFM runs beyond those of audience.schema.ts (snake_case, as stored). */
export interface RfmTables {
  rfm_schedule: RfmScheduleTable;
}

/** The brand's monthly run (one row, id 1). */
export interface RfmScheduleTable {
  id: number;
  enabled: number;
  day_of_month: number;
  /** JSON of the run's request: scheme, windowDays, monetary, threshold. */
  run: string;
  /** The brand's month (YYYY-MM) of the last scheduled run. */
  last_month: string | null;
  updated_by: string;
  updated_at: string;
}
