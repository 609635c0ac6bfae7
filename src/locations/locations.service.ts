import { type Kysely, type Selectable, sql } from 'kysely';
import {
  appendEvent,
  type DB,
  decodeCursor,
  encodeCursor,
  newEvent,
  nowIso,
  type Trx,
} from '../platform/index.js';
import type { Location, LocationChanges, LocationQuery, NewLocation } from './locations.contract.js';
import { LocationErrors } from './locations.errors.js';
import { LocationCreated, LocationUpdated } from './locations.events.js';
import {
  type CapabilitiesInput,
  capabilityErrors,
  containsPattern,
  type LocationKind,
} from './locations.rules.js';
import type { LocationsTable } from './locations.schema.js';

export interface LocationFilter {
  kind?: LocationKind | undefined;
  city?: string | undefined;
  activeOnly?: boolean | undefined;
}

export function toLocation(row: Selectable<LocationsTable>): Location {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    city: row.city,
    address: row.address,
    lat: Number(row.lat),
    lng: Number(row.lng),
    capabilities: {
      pickup: row.pickup === 1,
      shipFromStore: row.ship_from_store === 1,
      sameDayRadiusKm: row.same_day_radius_km === null ? null : Number(row.same_day_radius_km),
    },
    dailyCapacity: row.daily_capacity,
    priorityTier: row.priority_tier,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const flag = (value: boolean): number => (value ? 1 : 0);

/** A location by code, or undefined. */
export async function getLocation(db: Kysely<DB>, code: string): Promise<Location | undefined> {
  const row = await db.selectFrom('locations').selectAll().where('code', '=', code).executeTakeFirst();
  return row && toLocation(row);
}

/** A location by code; throws LOCATION.NOT_FOUND. */
export async function requireLocation(db: Kysely<DB>, code: string): Promise<Location> {
  const location = await getLocation(db, code);
  if (!location) throw LocationErrors.notFound(`No location ${code}`);
  return location;
}

/** Every location in code order, narrowed by kind, city or activity; unpaginated, since a brand's network is small. */
export async function listLocations(db: Kysely<DB>, filter: LocationFilter = {}): Promise<Location[]> {
  let query = db.selectFrom('locations').selectAll().orderBy('code');
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  if (filter.city !== undefined) query = query.where('city', '=', filter.city);
  if (filter.activeOnly) query = query.where('active', '=', 1);
  return (await query.execute()).map(toLocation);
}

/** One page of locations in code order, for the API and the console. */
export async function searchLocations(
  db: Kysely<DB>,
  query: LocationQuery,
): Promise<{ items: Location[]; nextCursor: string | null }> {
  let select = db
    .selectFrom('locations')
    .selectAll()
    .orderBy('code')
    .limit(query.limit + 1);
  const after = decodeCursor(query.cursor, ['string']);
  if (after) select = select.where('code', '>', after[0]);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  if (query.city !== undefined) select = select.where('city', '=', query.city);
  if (query.active !== undefined) select = select.where('active', '=', flag(query.active));
  if (query.capability === 'pickup') select = select.where('pickup', '=', 1);
  if (query.capability === 'ship_from_store') select = select.where('ship_from_store', '=', 1);
  if (query.capability === 'same_day') select = select.where('same_day_radius_km', 'is not', null);
  if (query.q !== undefined && query.q !== '') {
    const pattern = containsPattern(query.q);
    select = select.where((eb) =>
      eb.or(
        (['code', 'name', 'city'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  const rows = await select.execute();
  const page = rows.slice(0, query.limit).map(toLocation);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > query.limit && last ? encodeCursor([last.code]) : null };
}

function assertCapabilities(kind: LocationKind, capabilities: CapabilitiesInput | undefined): void {
  const errors = capabilityErrors(kind, capabilities);
  if (errors.length > 0) {
    throw LocationErrors.invalidCapabilities(`${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, {
      errors,
    });
  }
}

export async function createLocation(trx: Trx, input: NewLocation): Promise<Location> {
  assertCapabilities(input.kind, input.capabilities);
  const now = nowIso();
  const row: Selectable<LocationsTable> = {
    code: input.code,
    name: input.name,
    kind: input.kind,
    city: input.city,
    address: input.address ?? null,
    lat: input.lat,
    lng: input.lng,
    pickup: flag(input.capabilities?.pickup ?? false),
    ship_from_store: flag(input.capabilities?.shipFromStore ?? false),
    same_day_radius_km: input.capabilities?.sameDayRadiusKm ?? null,
    daily_capacity: input.dailyCapacity ?? null,
    priority_tier: input.priorityTier ?? 2,
    active: 1,
    created_at: now,
    updated_at: now,
  };
  const inserted = await trx
    .insertInto('locations')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
    throw LocationErrors.codeTaken(`The location code ${input.code} is taken`);
  }
  const location = toLocation(row);
  await appendEvent(
    trx,
    newEvent(LocationCreated, {
      stream: `location:${location.code}`,
      location: location.code,
      payload: location,
    }),
  );
  return location;
}

/** Changes only the columns given, so two edits of different fields never undo each other. */
export async function updateLocation(trx: Trx, code: string, changes: LocationChanges): Promise<Location> {
  const current = await trx
    .selectFrom('locations')
    .select('kind')
    .where('code', '=', code)
    .executeTakeFirst();
  if (!current) throw LocationErrors.notFound(`No location ${code}`);
  // The kind never changes, so checking against the stored kind is enough.
  assertCapabilities(current.kind, changes.capabilities);

  const set: Partial<Selectable<LocationsTable>> = { updated_at: nowIso() };
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.address !== undefined) set.address = changes.address;
  if (changes.capabilities?.pickup !== undefined) set.pickup = flag(changes.capabilities.pickup);
  if (changes.capabilities?.shipFromStore !== undefined) {
    set.ship_from_store = flag(changes.capabilities.shipFromStore);
  }
  if (changes.capabilities?.sameDayRadiusKm !== undefined) {
    set.same_day_radius_km = changes.capabilities.sameDayRadiusKm;
  }
  if (changes.dailyCapacity !== undefined) set.daily_capacity = changes.dailyCapacity;
  if (changes.priorityTier !== undefined) set.priority_tier = changes.priorityTier;
  if (changes.active !== undefined) set.active = flag(changes.active);

  const row = await trx
    .updateTable('locations')
    .set(set)
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw LocationErrors.notFound(`No location ${code}`);
  const location = toLocation(row);
  await appendEvent(
    trx,
    newEvent(LocationUpdated, {
      stream: `location:${location.code}`,
      location: location.code,
      payload: location,
    }),
  );
  return location;
}
