import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveMemberId } from '../members/index.js';
import { addressSchema, requireOrderRow, skuLinesSchema as skuLines } from '../orders/index.js';
import {
  type AppContext,
  AuthErrors,
  assertStoreAccess,
  CHANNELS,
  type Channel,
  codeString as code,
  codeParams,
  command,
  idParams,
  isStoreScoped,
  listQuery,
  type Principal,
  pageQuery,
  RequestErrors,
  reasonBody,
  STAFF_ROLES,
  scopedStore,
  shortListQuery,
} from '../platform/index.js';
import { SERVICE_KINDS } from './aftersales.rules.js';
import type { ReturnRefundStatus, ReturnStatus } from './aftersales.schema.js';
import {
  appointmentsOf,
  bookAppointment,
  cancelAppointment,
  listSlots,
  type PublishSlotsInput,
  publishSlots,
  requireAppointment,
  storeCalendar,
} from './appointments.service.js';
import { createExchange, type ExchangeRequest, getExchange, listExchanges } from './exchanges.service.js';
import {
  type Actor,
  type AftersalesDeps,
  cancelReturn,
  getReturn,
  listReturns,
  type ReceiveInput,
  type ReturnRequest,
  receiveReturnedGoods,
  requestReturn,
  requireReturnRow,
} from './returns.service.js';

const condition = { type: 'string', enum: ['resellable', 'damaged'] } as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const READERS = [...STAFF_ROLES, 'channel', 'customer'] as const;
const RETURN_STATUSES: ReturnStatus[] = ['requested', 'received', 'refunded', 'cancelled'];
const REFUND_STATUSES: ReturnRefundStatus[] = ['not_started', 'not_needed', 'pending', 'failed', 'succeeded'];

function actorOf(request: FastifyRequest): Actor {
  return { role: request.principal.role, subject: request.principal.subject, requestId: request.id };
}

export function registerAftersalesRoutes(app: FastifyInstance, ctx: AppContext, deps: AftersalesDeps): void {
  const db = ctx.database.db;

  /** The member a customer token stands for now (merges followed). */
  async function customerMember(principal: Extract<Principal, { role: 'customer' }>): Promise<string> {
    return (await resolveMemberId(db, principal.memberId)) ?? principal.memberId;
  }

  async function assertOwnMember(principal: Principal, memberId: string | null): Promise<void> {
    if (principal.role !== 'customer') return;
    const own = await customerMember(principal);
    const of = memberId === null ? null : ((await resolveMemberId(db, memberId)) ?? memberId);
    if (of !== own)
      throw AuthErrors.forbidden('A customer may only reach their own orders, returns and appointments');
  }

  /** Who may see a return: HQ and channel apps all; a store those asked for or received there; a customer their own. */
  async function assertReturnAccess(principal: Principal, id: string) {
    const ret = await requireReturnRow(db, id);
    if (
      isStoreScoped(principal) &&
      ret.location !== principal.storeCode &&
      ret.received_location !== principal.storeCode
    ) {
      throw AuthErrors.storeForbidden(`Return ${id} does not concern store ${principal.storeCode}`);
    }
    await assertOwnMember(principal, ret.member_id);
    return ret;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Returns

  app.post<{ Body: ReturnRequest }>(
    '/v1/returns',
    {
      config: { auth: { roles: READERS, store: (r) => (r.body as ReturnRequest).location } },
      schema: {
        tags: ['after-sales'],
        summary:
          'Return items of any channel’s order: requested online, or received at once at a store counter (channel pos)',
        description:
          'Refunds exactly what each returned unit paid (money to the original payment, points as points) once the goods are received. ' +
          'Checks: bought, delivered or collected, not returned already (409 RETURN.QUANTITY_EXCEEDED), within the return window (409 RETURN.WINDOW_CLOSED). ' +
          'Idempotent by Idempotency-Key and by `clientRequestId` per order.',
        body: {
          type: 'object',
          required: ['orderId', 'lines', 'channel', 'location', 'reason'],
          additionalProperties: false,
          properties: {
            orderId: code,
            lines: skuLines,
            channel: { type: 'string', enum: [...CHANNELS] },
            location: {
              ...code,
              description: 'The store counter, or where an online return is sent (any store or warehouse)',
            },
            reason: { type: 'string', minLength: 1, maxLength: 200 },
            condition: { ...condition, default: 'resellable' },
            clientRequestId: { type: 'string', minLength: 1, maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      if (principal.role === 'customer') {
        if (body.channel !== 'online' && body.channel !== 'mini_program') {
          throw AuthErrors.forbidden(
            'A customer requests returns through the online shop or the mini-program',
          );
        }
        await assertOwnMember(principal, (await requireOrderRow(db, body.orderId)).member_id);
      }
      if (principal.role === 'channel' && principal.channel !== body.channel) {
        throw AuthErrors.forbidden(`This API key belongs to channel ${principal.channel}`);
      }
      return command(ctx, request, reply, 201, async (trx) => {
        const { returnId } = await requestReturn(trx, deps, body, actorOf(request));
        return getReturn(trx, returnId);
      });
    },
  );

  app.post<{ Params: { id: string }; Body: ReceiveInput }>(
    '/v1/returns/:id/receive',
    {
      config: { auth: { roles: STAFF_ROLES, store: (r) => (r.body as ReceiveInput).location } },
      schema: {
        tags: ['after-sales'],
        summary:
          'The goods of a requested return arrived at a store or warehouse: graded per line, restocked or quarantined, refund started',
        params: idParams,
        body: {
          type: 'object',
          required: ['location'],
          additionalProperties: false,
          properties: {
            location: code,
            condition,
            lines: {
              type: 'array',
              maxItems: 100,
              items: {
                type: 'object',
                required: ['sku', 'condition'],
                additionalProperties: false,
                properties: { sku: code, condition },
              },
            },
          },
        },
      },
    },
    async (request, reply) =>
      command(ctx, request, reply, 200, async (trx) => {
        await receiveReturnedGoods(trx, request.params.id, request.body, actorOf(request));
        return getReturn(trx, request.params.id);
      }),
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | null }>(
    '/v1/returns/:id/cancel',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['after-sales'],
        summary: 'Withdraw a requested return before its goods arrive: its units can be returned later',
        params: idParams,
        body: reasonBody,
      },
    },
    async (request, reply) => {
      await assertReturnAccess(request.principal, request.params.id);
      return command(ctx, request, reply, 200, async (trx) => {
        await cancelReturn(
          trx,
          request.params.id,
          request.body?.reason ?? `withdrawn by ${request.principal.role}`,
          actorOf(request),
        );
        return getReturn(trx, request.params.id);
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/returns/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['after-sales'],
        summary: 'A return: lines, amounts, refund state (attempts, last error), loyalty reversal',
        params: idParams,
      },
    },
    async (request) => {
      await assertReturnAccess(request.principal, request.params.id);
      return getReturn(db, request.params.id);
    },
  );

  app.get<{
    Querystring: {
      status?: ReturnStatus;
      refundStatus?: ReturnRefundStatus;
      location?: string;
      orderId?: string;
      limit: number;
      cursor?: string;
    };
  }>(
    '/v1/returns',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['after-sales'],
        summary:
          'Returns newest first, by status, refund state (`refundStatus=failed`: refunds the provider refused), location and order',
        querystring: pageQuery(
          {
            status: { type: 'string', enum: RETURN_STATUSES },
            refundStatus: { type: 'string', enum: REFUND_STATUSES },
            location: code,
            orderId: code,
          },
          shortListQuery,
        ),
      },
    },
    async (request) => {
      const principal = request.principal;
      const filter = {
        ...request.query,
        location: scopedStore(principal, request.query.location),
        memberId: undefined as string | undefined,
      };
      if (principal.role === 'customer') filter.memberId = await customerMember(principal);
      return listReturns(db, filter);
    },
  );

  // ---------------------------------------------------------------------------------------------------------------
  // Exchanges

  app.post<{ Body: ExchangeRequest }>(
    '/v1/exchanges',
    {
      config: {
        auth: { roles: [...STAFF_ROLES, 'channel'], store: (r) => (r.body as ExchangeRequest).location },
      },
      schema: {
        tags: ['after-sales'],
        summary:
          'Exchange at a store: the old units are returned there, a replacement order takes their value as credit',
        description:
          'A dearer replacement leaves the difference to pay on the replacement order (`POST /v1/orders/{replacementOrderId}/payments`); a cheaper one refunds the difference to the original payment. The replacement’s stock is reserved like any order’s.',
        body: {
          type: 'object',
          required: ['orderId', 'returnLines', 'replacementLines', 'location', 'channel', 'fulfillment'],
          additionalProperties: false,
          properties: {
            orderId: code,
            returnLines: skuLines,
            replacementLines: skuLines,
            location: code,
            channel: { type: 'string', enum: [...CHANNELS] },
            fulfillment: {
              type: 'object',
              required: ['type'],
              additionalProperties: false,
              properties: {
                type: { type: 'string', enum: ['carry_out', 'delivery'] },
                address: addressSchema,
              },
              if: { properties: { type: { const: 'delivery' } } },
              // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then
              then: { required: ['address'] },
            },
            condition: { ...condition, default: 'resellable' },
            reason: { type: 'string', minLength: 1, maxLength: 200 },
            clientRequestId: { type: 'string', minLength: 1, maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (principal.role === 'channel' && principal.channel !== request.body.channel) {
        throw AuthErrors.forbidden(`This API key belongs to channel ${principal.channel}`);
      }
      return command(ctx, request, reply, 201, async (trx) => {
        const { exchangeId } = await createExchange(trx, deps, request.body, actorOf(request));
        const exchange = await getExchange(trx, exchangeId);
        return { ...exchange, return: await getReturn(trx, exchange.returnId) };
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/exchanges/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['after-sales'],
        summary: 'An exchange: the return, the replacement order, credit, refund and difference to pay',
        params: idParams,
      },
    },
    async (request) => {
      const exchange = await getExchange(db, request.params.id);
      await assertReturnAccess(request.principal, exchange.returnId);
      return { ...exchange, return: await getReturn(db, exchange.returnId) };
    },
  );

  app.get<{ Querystring: { orderId: string } }>(
    '/v1/exchanges',
    {
      config: { auth: { roles: [...STAFF_ROLES, 'channel'] } },
      schema: {
        tags: ['after-sales'],
        summary: 'The exchanges an order took part in (as the original or as the replacement)',
        querystring: { type: 'object', required: ['orderId'], properties: { orderId: code } },
      },
    },
    async (request) => {
      const items = await listExchanges(db, request.query.orderId);
      const principal = request.principal;
      return {
        items: isStoreScoped(principal) ? items.filter((e) => e.location === principal.storeCode) : items,
        nextCursor: null,
      };
    },
  );

  // ---------------------------------------------------------------------------------------------------------------
  // Service appointments

  const weeklyDay = {
    type: 'object',
    required: ['weekday', 'opens', 'closes', 'slotMinutes', 'services'],
    additionalProperties: false,
    properties: {
      weekday: { type: 'integer', minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' },
      opens: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
      closes: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' },
      slotMinutes: { type: 'integer', minimum: 10, maximum: 480 },
      services: {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: {
          type: 'object',
          required: ['service', 'capacity'],
          additionalProperties: false,
          properties: {
            service: { type: 'string', enum: [...SERVICE_KINDS] },
            capacity: { type: 'integer', minimum: 0, maximum: 100 },
          },
        },
      },
    },
  } as const;

  app.put<{ Params: { code: string }; Body: PublishSlotsInput }>(
    '/v1/stores/:code/service-slots',
    {
      config: {
        auth: { roles: ['admin', 'ops', 'store_manager'], store: (r) => (r.params as { code: string }).code },
      },
      schema: {
        tags: ['appointments'],
        summary:
          'Publish a store’s service slots (售后 / 美容服务): one by one, or a weekly template over coming days',
        description:
          'Existing slots get the new capacity, never below what is booked (409 APPOINTMENT.CAPACITY_BELOW_BOOKED).',
        params: codeParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            slots: {
              type: 'array',
              maxItems: 2000,
              items: {
                type: 'object',
                required: ['service', 'startsAt', 'durationMinutes', 'capacity'],
                additionalProperties: false,
                properties: {
                  service: { type: 'string', enum: [...SERVICE_KINDS] },
                  startsAt: { type: 'string', format: 'date-time' },
                  durationMinutes: { type: 'integer', minimum: 10, maximum: 480 },
                  capacity: { type: 'integer', minimum: 0, maximum: 100 },
                },
              },
            },
            template: {
              type: 'object',
              required: ['days'],
              additionalProperties: false,
              properties: {
                days: { type: 'array', minItems: 1, maxItems: 7 * 4, items: weeklyDay },
                from: date,
                forDays: { type: 'integer', minimum: 1, maximum: 62 },
              },
            },
          },
        },
      },
    },
    async (request, reply) =>
      // A PUT is idempotent by nature: publishing the same slots again changes nothing.
      command(ctx, request, reply, 200, async (trx) => ({
        items: await publishSlots(trx, deps.orders.timeZone, request.params.code, request.body),
        nextCursor: null,
      })),
  );

  app.get<{
    Params: { code: string };
    Querystring: {
      date?: string;
      service?: string;
      from?: string;
      to?: string;
      available?: boolean;
      limit: number;
    };
  }>(
    '/v1/stores/:code/service-slots',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['appointments'],
        summary: 'A store’s service slots with their free places: one day, or upcoming',
        params: codeParams,
        querystring: {
          type: 'object',
          properties: {
            date: date,
            service: { type: 'string', enum: [...SERVICE_KINDS] },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            available: { type: 'boolean' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 },
          },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await listSlots(db, request.params.code, { ...q, onlyAvailable: q.available });
      return { items, nextCursor: null };
    },
  );

  app.get<{ Params: { code: string }; Querystring: { date: string; includeCancelled?: boolean } }>(
    '/v1/stores/:code/appointments',
    {
      config: { auth: { roles: STAFF_ROLES, store: (r) => (r.params as { code: string }).code } },
      schema: {
        tags: ['appointments'],
        summary: 'A store’s calendar for a day: its slots and the bookings in time order',
        params: codeParams,
        querystring: {
          type: 'object',
          required: ['date'],
          properties: { date, includeCancelled: { type: 'boolean' } },
        },
      },
    },
    async (request) => storeCalendar(db, request.params.code, request.query),
  );

  app.post<{
    Body: {
      store: string;
      service: string;
      startsAt: string;
      memberId?: string;
      channel?: Channel;
      note?: string;
    };
  }>(
    '/v1/appointments',
    {
      config: { auth: { roles: READERS, store: (r) => (r.body as { store: string }).store } },
      schema: {
        tags: ['appointments'],
        summary:
          'Book a service at a store (a member from the mini-program, or staff for a member); a full slot is 409 APPOINTMENT.SLOT_FULL',
        body: {
          type: 'object',
          required: ['store', 'service', 'startsAt'],
          additionalProperties: false,
          properties: {
            store: code,
            service: { type: 'string', enum: [...SERVICE_KINDS] },
            startsAt: { type: 'string', format: 'date-time' },
            memberId: {
              ...code,
              description: 'Required for staff and channel apps; a customer books for themself',
            },
            channel: { type: 'string', enum: [...CHANNELS] },
            note: { type: 'string', maxLength: 500 },
          },
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      let memberId = body.memberId;
      let channel: string = body.channel ?? 'mini_program';
      if (principal.role === 'customer') {
        const own = await customerMember(principal);
        if (memberId !== undefined) await assertOwnMember(principal, memberId);
        memberId = own;
      } else if (principal.role === 'channel') {
        channel = principal.channel;
      } else if (body.channel === undefined) {
        channel = isStoreScoped(principal) ? 'pos' : 'online';
      }
      if (memberId === undefined) {
        throw RequestErrors.invalid('Staff and channel apps book for a member: give memberId', {
          errors: [{ path: 'memberId', message: 'required unless a customer books' }],
        });
      }
      const member = memberId;
      return command(ctx, request, reply, 201, (trx) =>
        bookAppointment(
          trx,
          {
            store: body.store,
            service: body.service,
            startsAt: body.startsAt,
            memberId: member,
            channel,
            note: body.note,
          },
          `${principal.role}:${principal.subject}`,
        ),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | null }>(
    '/v1/appointments/:id/cancel',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['appointments'],
        summary: 'Cancel a booking: its place is free again',
        params: idParams,
        body: reasonBody,
      },
    },
    async (request, reply) => {
      const appointment = await requireAppointment(db, request.params.id);
      assertStoreAccess(request.principal, isStoreScoped(request.principal) ? appointment.store : null);
      await assertOwnMember(request.principal, appointment.memberId);
      return command(ctx, request, reply, 200, (trx) =>
        cancelAppointment(
          trx,
          request.params.id,
          request.body?.reason ?? `cancelled by ${request.principal.role}`,
          `${request.principal.role}:${request.principal.subject}`,
        ),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/appointments/:id',
    {
      config: { auth: { roles: READERS } },
      schema: { tags: ['appointments'], summary: 'One appointment', params: idParams },
    },
    async (request) => {
      const appointment = await requireAppointment(db, request.params.id);
      if (isStoreScoped(request.principal)) assertStoreAccess(request.principal, appointment.store);
      await assertOwnMember(request.principal, appointment.memberId);
      return appointment;
    },
  );

  app.get<{ Querystring: { memberId?: string; upcoming?: boolean; limit: number } }>(
    '/v1/appointments',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['appointments'],
        summary: 'A member’s appointments, soonest first (a customer: their own)',
        querystring: {
          type: 'object',
          properties: { memberId: code, upcoming: { type: 'boolean' }, limit: listQuery.limit },
        },
      },
    },
    async (request) => {
      const principal = request.principal;
      let memberId = request.query.memberId;
      if (principal.role === 'customer') {
        if (memberId !== undefined) await assertOwnMember(principal, memberId);
        memberId = await customerMember(principal);
      }
      if (memberId === undefined) {
        throw RequestErrors.invalid('Give the member whose appointments to list', {
          errors: [{ path: 'memberId', message: 'required' }],
        });
      }
      const resolved = (await resolveMemberId(db, memberId)) ?? memberId;
      const items = await appointmentsOf(db, resolved, {
        upcomingOnly: request.query.upcoming,
        limit: request.query.limit,
      });
      return {
        items: isStoreScoped(principal) ? items.filter((a) => a.store === principal.storeCode) : items,
        nextCursor: null,
      };
    },
  );
}
