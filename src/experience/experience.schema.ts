/** Row types of the experience context (snake_case, as stored). */
export interface ExperienceTables {
  experiences: ExperiencesTable;
  experience_favourites: ExperienceFavouritesTable;
  experience_purchases: ExperiencePurchasesTable;
}

export interface ExperiencesTable {
  id: string;
  member_id: string;
  store: string;
  guide: string | null;
  sku: string;
  kind: 'trial' | 'try_on' | 'skin_test' | 'fitting';
  /** JSON of what came out of it (shade chosen, skin type …); null when nothing was noted. */
  result: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface ExperienceFavouritesTable {
  id: string;
  member_id: string;
  sku: string;
  store: string | null;
  recorded_by: string;
  created_at: string;
}

/** The experience context's projection of completed orders: which SKUs each order (and member) bought. */
export interface ExperiencePurchasesTable {
  id: string;
  source_key: string;
  order_id: string;
  member_id: string | null;
  sku: string;
  quantity: number;
  channel: string;
  completed_at: string;
}
