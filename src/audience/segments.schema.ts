/** Tables of the audience context's segments capability beyond those of audience.schema.ts (snake_case, as stored). */
export type SegmentsTables = Record<never, never>;
