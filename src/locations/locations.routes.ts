import { type Api, type AppContext, codeParams, command, pageOf, STAFF_ROLES } from '../platform/index.js';
import { Location, LocationChanges, LocationQuery, NewLocation } from './locations.contract.js';
import { LocationErrors } from './locations.errors.js';
import { createLocation, requireLocation, searchLocations, updateLocation } from './locations.service.js';

const WRITERS = ['admin', 'ops'] as const;
// Store staff read every location (a guide looks for the nearest store that has the shade); where stores are and
// what they offer is public knowledge, so customers read it too ("stores near me", the shelf-QR page).
const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

export function registerLocationRoutes(app: Api, ctx: AppContext): void {
  app.post(
    '/v1/locations',
    {
      config: {
        auth: { roles: WRITERS },
        problems: [LocationErrors.codeTaken, LocationErrors.invalidCapabilities],
      },
      schema: {
        tags: ['locations'],
        summary: 'Open a warehouse or store',
        body: NewLocation,
        response: { 201: Location },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createLocation(trx, request.body)),
  );

  app.get(
    '/v1/locations',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['locations'],
        summary: 'Warehouses and stores, in code order',
        querystring: LocationQuery,
        response: { 200: pageOf(Location) },
      },
    },
    async (request) => searchLocations(ctx.database.db, request.query),
  );

  app.get(
    '/v1/locations/:code',
    {
      config: { auth: { roles: READERS }, problems: [LocationErrors.notFound] },
      schema: {
        tags: ['locations'],
        summary: 'One warehouse or store',
        params: codeParams,
        response: { 200: Location },
      },
    },
    async (request) => requireLocation(ctx.database.db, request.params.code),
  );

  app.patch(
    '/v1/locations/:code',
    {
      config: {
        auth: { roles: WRITERS },
        problems: [LocationErrors.notFound, LocationErrors.invalidCapabilities],
      },
      schema: {
        tags: ['locations'],
        summary: 'Change what a location is called and what it can do',
        description: 'The code, kind and position do not change. Only the fields sent are changed.',
        params: codeParams,
        body: LocationChanges,
        response: { 200: Location },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateLocation(trx, request.params.code, request.body)),
  );
}
