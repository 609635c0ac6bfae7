/** Row types of the locations context (snake_case, as stored; booleans are 0/1). */
export interface LocationTables {
  locations: LocationsTable;
}

export interface LocationsTable {
  code: string;
  name: string;
  kind: 'warehouse' | 'store';
  city: string;
  address: string | null;
  lat: number;
  lng: number;
  pickup: number;
  ship_from_store: number;
  same_day_radius_km: number | null;
  daily_capacity: number | null;
  priority_tier: number;
  active: number;
  created_at: string;
  updated_at: string;
}
