/** Tables of the audience context's tags capability beyond those of audience.schema.ts (snake_case, as stored). */
export type TagsTables = Record<never, never>;
