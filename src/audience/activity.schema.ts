/** Tables of the audience context's activity capability beyond those of audience.schema.ts (snake_case, as stored). */
export type ActivityTables = Record<never, never>;
