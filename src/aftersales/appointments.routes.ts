import { resolveMemberId } from '../members/index.js';
import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  codeParams,
  command,
  idParams,
  isStoreScoped,
  RequestErrors,
  reasonBody,
  STAFF_ROLES,
} from '../platform/index.js';
import {
  Appointment,
  AppointmentQuery,
  CalendarQuery,
  NewAppointment,
  Slot,
  SlotPublication,
  SlotQuery,
  StoreCalendar,
  unpagedListOf,
} from './aftersales.contract.js';
import { assertOwnMember, customerMember, READERS } from './aftersales.http.js';
import {
  appointmentsOf,
  bookAppointment,
  cancelAppointment,
  listSlots,
  publishSlots,
  requireAppointment,
  storeCalendar,
} from './appointments.service.js';
import type { AftersalesDeps } from './returns.service.js';

/** Service appointments: a store's slots (one by one or a weekly template), bookings, cancellations, calendars. */
export function registerAppointmentsRoutes(app: Api, ctx: AppContext, deps: AftersalesDeps): void {
  const db = ctx.database.db;

  app.put(
    '/v1/stores/:code/service-slots',
    {
      config: {
        auth: { roles: ['admin', 'ops', 'store_manager'], store: (r) => (r.params as { code: string }).code },
      },
      schema: {
        response: { 200: unpagedListOf(Slot) },
        tags: ['appointments'],
        summary:
          'Publish a store’s service slots (售后 / 美容服务): one by one, or a weekly template over coming days',
        description:
          'Existing slots get the new capacity, never below what is booked (409 APPOINTMENT.CAPACITY_BELOW_BOOKED).',
        params: codeParams,
        body: SlotPublication,
      },
    },
    async (request, reply) =>
      // A PUT is idempotent by nature: publishing the same slots again changes nothing.
      command(ctx, request, reply, 200, async (trx) => ({
        items: await publishSlots(trx, deps.orders.timeZone, request.params.code, request.body),
        nextCursor: null,
      })),
  );

  app.get(
    '/v1/stores/:code/service-slots',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: unpagedListOf(Slot) },
        tags: ['appointments'],
        summary: 'A store’s service slots with their free places: one day, or upcoming',
        params: codeParams,
        querystring: SlotQuery,
      },
    },
    async (request) => {
      const q = request.query;
      const items = await listSlots(db, request.params.code, { ...q, onlyAvailable: q.available });
      return { items, nextCursor: null };
    },
  );

  app.get(
    '/v1/stores/:code/appointments',
    {
      config: { auth: { roles: STAFF_ROLES, store: (r) => (r.params as { code: string }).code } },
      schema: {
        response: { 200: StoreCalendar },
        tags: ['appointments'],
        summary: 'A store’s calendar for a day: its slots and the bookings in time order',
        params: codeParams,
        querystring: CalendarQuery,
      },
    },
    async (request) => storeCalendar(db, request.params.code, request.query),
  );

  app.post(
    '/v1/appointments',
    {
      config: { auth: { roles: READERS, store: (r) => (r.body as { store: string }).store } },
      schema: {
        response: { 201: Appointment },
        tags: ['appointments'],
        summary:
          'Book a service at a store (a member from the mini-program, or staff for a member); a full slot is 409 APPOINTMENT.SLOT_FULL',
        body: NewAppointment,
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const body = request.body;
      let memberId = body.memberId;
      let channel: string = body.channel ?? 'mini_program';
      if (principal.role === 'customer') {
        const own = await customerMember(db, principal);
        if (memberId !== undefined) await assertOwnMember(db, principal, memberId);
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
          actorName(actorOf(request)),
        ),
      );
    },
  );

  app.post(
    '/v1/appointments/:id/cancel',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: Appointment },
        tags: ['appointments'],
        summary: 'Cancel a booking: its place is free again',
        params: idParams,
        body: reasonBody,
      },
    },
    async (request, reply) => {
      const appointment = await requireAppointment(db, request.params.id);
      assertStoreAccess(request.principal, isStoreScoped(request.principal) ? appointment.store : null);
      await assertOwnMember(db, request.principal, appointment.memberId);
      return command(ctx, request, reply, 200, (trx) =>
        cancelAppointment(
          trx,
          request.params.id,
          request.body?.reason ?? `cancelled by ${request.principal.role}`,
          actorName(actorOf(request)),
        ),
      );
    },
  );

  app.get(
    '/v1/appointments/:id',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: Appointment },
        tags: ['appointments'],
        summary: 'One appointment',
        params: idParams,
      },
    },
    async (request) => {
      const appointment = await requireAppointment(db, request.params.id);
      if (isStoreScoped(request.principal)) assertStoreAccess(request.principal, appointment.store);
      await assertOwnMember(db, request.principal, appointment.memberId);
      return appointment;
    },
  );

  app.get(
    '/v1/appointments',
    {
      config: { auth: { roles: READERS } },
      schema: {
        response: { 200: unpagedListOf(Appointment) },
        tags: ['appointments'],
        summary: 'A member’s appointments, soonest first (a customer: their own)',
        querystring: AppointmentQuery,
      },
    },
    async (request) => {
      const principal = request.principal;
      let memberId = request.query.memberId;
      if (principal.role === 'customer') {
        if (memberId !== undefined) await assertOwnMember(db, principal, memberId);
        memberId = await customerMember(db, principal);
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
