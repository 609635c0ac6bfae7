import type { FastifyInstance } from 'fastify';
import {
  type AppContext,
  changesBody,
  codeParams,
  command,
  pageOf,
  STAFF_ROLES,
  shortListQuery,
} from '../platform/index.js';
import { CAPABILITY_FILTERS, LOCATION_KINDS } from './locations.rules.js';
import {
  createLocation,
  type LocationChanges,
  type LocationQuery,
  type NewLocation,
  requireLocation,
  searchLocations,
  updateLocation,
} from './locations.service.js';

const WRITERS = ['admin', 'ops'] as const;
// Store staff read every location (a guide looks for the nearest store that has the shade); where stores are and
// what they offer is public knowledge, so customers read it too ("stores near me", the shelf-QR page).
const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;

const CODE_PATTERN = '^[A-Z0-9][A-Z0-9_-]{1,31}$';

const capabilitiesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    pickup: { type: 'boolean', description: '门店自提: can hold pickups' },
    shipFromStore: { type: 'boolean', description: '门店发货: packs and ships online orders' },
    sameDayRadiusKm: {
      type: ['number', 'null'],
      exclusiveMinimum: 0,
      maximum: 100,
      description: '同城极速达 radius; null: no same-day delivery from here',
    },
  },
} as const;

const locationSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string', enum: [...LOCATION_KINDS] },
    city: { type: 'string' },
    address: { type: ['string', 'null'] },
    lat: { type: 'number' },
    lng: { type: 'number' },
    capabilities: {
      type: 'object',
      properties: {
        pickup: { type: 'boolean' },
        shipFromStore: { type: 'boolean' },
        sameDayRadiusKm: { type: ['number', 'null'] },
      },
    },
    dailyCapacity: { type: ['integer', 'null'] },
    priorityTier: { type: 'integer' },
    active: { type: 'boolean' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const dailyCapacitySchema = {
  type: ['integer', 'null'],
  minimum: 0,
  maximum: 1_000_000,
  description: 'Orders it can fulfil per day; null = unlimited',
} as const;
const priorityTierSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 9,
  description: 'Sourcing preference: 1 first, then 2, 3 …',
} as const;

export function registerLocationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: NewLocation }>(
    '/v1/locations',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['locations'],
        summary: 'Open a warehouse or store',
        body: {
          type: 'object',
          required: ['code', 'name', 'kind', 'city', 'lat', 'lng'],
          additionalProperties: false,
          properties: {
            code: { type: 'string', pattern: CODE_PATTERN },
            name: { type: 'string', minLength: 1, maxLength: 100 },
            kind: { type: 'string', enum: [...LOCATION_KINDS] },
            city: { type: 'string', minLength: 1, maxLength: 50 },
            address: { type: ['string', 'null'], maxLength: 300 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lng: { type: 'number', minimum: -180, maximum: 180 },
            capabilities: capabilitiesSchema,
            dailyCapacity: dailyCapacitySchema,
            priorityTier: priorityTierSchema,
          },
        },
        response: { 201: locationSchema },
      },
    },
    async (request, reply) => command(ctx, request, reply, 201, (trx) => createLocation(trx, request.body)),
  );

  app.get<{ Querystring: LocationQuery }>(
    '/v1/locations',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['locations'],
        summary: 'Warehouses and stores, in code order',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            kind: { type: 'string', enum: [...LOCATION_KINDS] },
            city: { type: 'string', minLength: 1, maxLength: 50 },
            capability: { type: 'string', enum: [...CAPABILITY_FILTERS] },
            q: { type: 'string', maxLength: 100, description: 'Part of the code, name or city' },
            active: { type: 'boolean' },
            ...shortListQuery,
          },
        },
        response: { 200: pageOf(locationSchema) },
      },
    },
    async (request) => searchLocations(ctx.database.db, request.query),
  );

  app.get<{ Params: { code: string } }>(
    '/v1/locations/:code',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['locations'],
        summary: 'One warehouse or store',
        params: codeParams,
        response: { 200: locationSchema },
      },
    },
    async (request) => requireLocation(ctx.database.db, request.params.code),
  );

  app.patch<{ Params: { code: string }; Body: LocationChanges }>(
    '/v1/locations/:code',
    {
      config: { auth: { roles: WRITERS } },
      schema: {
        tags: ['locations'],
        summary: 'Change what a location is called and what it can do',
        description: 'The code, kind and position do not change. Only the fields sent are changed.',
        params: codeParams,
        body: changesBody({
          name: { type: 'string', minLength: 1, maxLength: 100 },
          address: { type: ['string', 'null'], maxLength: 300 },
          capabilities: capabilitiesSchema,
          dailyCapacity: dailyCapacitySchema,
          priorityTier: priorityTierSchema,
          active: { type: 'boolean' },
        }),
        response: { 200: locationSchema },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, (trx) => updateLocation(trx, request.params.code, request.body)),
  );
}
