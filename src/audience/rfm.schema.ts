/** Tables of the audience context's rfm capability beyond those of audience.schema.ts (snake_case, as stored). */
export type RfmTables = Record<never, never>;
