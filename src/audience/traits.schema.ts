/** Tables of the audience context's traits capability beyond those of audience.schema.ts (snake_case, as stored). */
export type TraitsTables = Record<never, never>;
