import { type Kysely, type Selectable, sql } from 'kysely';
import type { Static } from 'typebox';
import { requireLocation } from '../locations/index.js';
import { MemberErrors, resolveMemberId } from '../members/index.js';
import { appendEvent, type DB, localDay, newEvent, newId, nowIso, type Trx } from '../platform/index.js';
import type { Appointment, Slot } from './aftersales.contract.js';
import { AppointmentErrors, ReturnErrors } from './aftersales.errors.js';
import { AppointmentBooked, AppointmentCancelled, SlotsPublished } from './aftersales.events.js';
import type { ServiceKind } from './aftersales.rules.js';
import {
  expandWeeklyTemplate,
  type SlotSpec,
  templateProblems,
  type WeeklyTemplateDay,
} from './aftersales.rules.js';
import type { AppointmentsTable, ServiceSlotsTable } from './aftersales.schema.js';

export type SlotView = Static<typeof Slot>;
export type AppointmentView = Static<typeof Appointment>;

function toSlotView(row: Selectable<ServiceSlotsTable>): SlotView {
  const capacity = Number(row.capacity);
  const booked = Number(row.booked);
  return {
    id: row.id,
    store: row.store,
    service: row.service,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    localDay: row.local_day,
    capacity,
    booked,
    available: Math.max(0, capacity - booked),
  };
}

function toAppointmentView(row: Selectable<AppointmentsTable>): AppointmentView {
  return {
    id: row.id,
    slotId: row.slot_id,
    store: row.store,
    service: row.service,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    localDay: row.local_day,
    memberId: row.member_id,
    channel: row.channel,
    note: row.note,
    status: row.status,
    bookedBy: row.booked_by,
    createdAt: row.created_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
  };
}

export interface PublishSlotsInput {
  /** Slots one by one. */
  slots?: { service: ServiceKind; startsAt: string; durationMinutes: number; capacity: number }[] | undefined;
  /** Or a weekly pattern, laid out over `days` days from `from` (the store's local date; today by default). */
  template?:
    | { days: WeeklyTemplateDay[]; from?: string | undefined; forDays?: number | undefined }
    | undefined;
}

export interface PublishOptions {
  /** Leave slots that exist as they are (the demo seed adds what is missing and changes nothing else). */
  keepExisting?: boolean;
}

async function requireStore(db: Kysely<DB>, code: string) {
  const location = await requireLocation(db, code);
  if (location.kind !== 'store')
    throw ReturnErrors.locationInvalid(`${code} is a ${location.kind}: services are booked at stores`);
  return location;
}

/**
 * A store publishes its service slots (one by one, or a weekly template laid out over coming days). A slot that
 * exists gets the new capacity, which never drops below what is already booked.
 */
export async function publishSlots(
  trx: Trx,
  timeZone: string,
  store: string,
  input: PublishSlotsInput,
  options: PublishOptions = {},
): Promise<SlotView[]> {
  await requireStore(trx, store);
  const specs: SlotSpec[] = [];
  for (const slot of input.slots ?? []) {
    const starts = new Date(slot.startsAt);
    specs.push({
      service: slot.service,
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + slot.durationMinutes * 60_000).toISOString(),
      localDay: localDay(starts, timeZone),
      capacity: slot.capacity,
    });
  }
  if (input.template) {
    const problems = templateProblems(input.template.days);
    if (problems.length > 0)
      throw AppointmentErrors.invalidTemplate('The weekly template has problems', { errors: problems });
    specs.push(
      ...expandWeeklyTemplate(
        input.template.days,
        input.template.from ?? localDay(new Date(), timeZone),
        input.template.forDays ?? 14,
        timeZone,
      ),
    );
  }
  const at = nowIso();
  const ids: string[] = [];
  for (const spec of specs) {
    const id = newId('slot');
    const inserted = await trx
      .insertInto('service_slots')
      .values({
        id,
        store,
        service: spec.service,
        starts_at: spec.startsAt,
        ends_at: spec.endsAt,
        local_day: spec.localDay,
        capacity: spec.capacity,
        booked: 0,
        created_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.columns(['store', 'service', 'starts_at']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) {
      ids.push(id);
      continue;
    }
    if (options.keepExisting) continue;
    const updated = await trx
      .updateTable('service_slots')
      .set({ capacity: spec.capacity, ends_at: spec.endsAt, updated_at: at })
      .where('store', '=', store)
      .where('service', '=', spec.service)
      .where('starts_at', '=', spec.startsAt)
      .where('booked', '<=', spec.capacity)
      .returning('id')
      .executeTakeFirst();
    if (!updated) {
      throw AppointmentErrors.capacityBelowBooked(
        `${spec.service} at ${spec.startsAt} has more bookings than ${spec.capacity}`,
        {
          extra: { service: spec.service, startsAt: spec.startsAt },
        },
      );
    }
    ids.push(updated.id);
  }
  if (ids.length > 0) {
    const days = specs.map((s) => s.localDay).sort();
    await appendEvent(
      trx,
      newEvent(SlotsPublished, {
        stream: `store-services:${store}`,
        location: store,
        payload: { store, slots: ids.length, from: days[0], to: days.at(-1) },
      }),
    );
  }
  if (ids.length === 0) return [];
  const rows = await trx
    .selectFrom('service_slots')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('starts_at')
    .orderBy('service')
    .execute();
  return rows.map(toSlotView);
}

export interface SlotFilter {
  date?: string | undefined;
  service?: ServiceKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
  onlyAvailable?: boolean | undefined;
  limit: number;
}

/** A store's slots, soonest first: one local day, or a time range (from now by default). */
export async function listSlots(db: Kysely<DB>, store: string, filter: SlotFilter): Promise<SlotView[]> {
  await requireStore(db, store);
  let query = db
    .selectFrom('service_slots')
    .selectAll()
    .where('store', '=', store)
    .orderBy('starts_at')
    .orderBy('service')
    .limit(filter.limit);
  if (filter.date) query = query.where('local_day', '=', filter.date);
  else query = query.where('starts_at', '>=', filter.from ?? nowIso());
  if (filter.to) query = query.where('starts_at', '<', filter.to);
  if (filter.service) query = query.where('service', '=', filter.service);
  if (filter.onlyAvailable) query = query.whereRef('booked', '<', 'capacity');
  return (await query.execute()).map(toSlotView);
}

export interface BookingInput {
  store: string;
  service: ServiceKind;
  startsAt: string;
  memberId: string;
  channel: string;
  note?: string | undefined;
}

/**
 * Books a place in a slot. The place is taken by one conditional update (`booked < capacity`), so a slot never
 * holds more bookings than places however many book at once: a full slot is APPOINTMENT.SLOT_FULL.
 */
export async function bookAppointment(
  trx: Trx,
  input: BookingInput,
  bookedBy: string,
): Promise<AppointmentView> {
  const memberId = await resolveMemberId(trx, input.memberId);
  if (memberId === null) throw MemberErrors.notFound(`No member ${input.memberId}`);
  const startsAt = new Date(input.startsAt).toISOString();
  const slot = await trx
    .selectFrom('service_slots')
    .selectAll()
    .where('store', '=', input.store)
    .where('service', '=', input.service)
    .where('starts_at', '=', startsAt)
    .executeTakeFirst();
  if (!slot) throw AppointmentErrors.slotNotFound(`${input.store} offers no ${input.service} at ${startsAt}`);
  if (slot.starts_at <= nowIso())
    throw AppointmentErrors.slotPassed(`The ${input.service} slot at ${startsAt} has started`);

  const id = newId('apt');
  const at = nowIso();
  const inserted = await trx
    .insertInto('appointments')
    .values({
      id,
      slot_id: slot.id,
      store: slot.store,
      service: slot.service,
      starts_at: slot.starts_at,
      ends_at: slot.ends_at,
      local_day: slot.local_day,
      member_id: memberId,
      channel: input.channel,
      note: input.note ?? null,
      status: 'booked',
      booked_by: bookedBy,
      created_at: at,
      updated_at: at,
      cancelled_at: null,
      cancel_reason: null,
    })
    .onConflict((oc) =>
      // The predicate of the partial unique index, written as a literal so that SQLite recognises the index.
      oc.columns(['slot_id', 'member_id']).where(sql.ref('status'), '=', sql.lit('booked')).doNothing(),
    )
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) !== 1) {
    throw AppointmentErrors.alreadyBooked(`Member ${memberId} already holds ${input.service} at ${startsAt}`);
  }
  const taken = await trx
    .updateTable('service_slots')
    .set((eb) => ({ booked: eb('booked', '+', 1), updated_at: at }))
    .where('id', '=', slot.id)
    .whereRef('booked', '<', 'capacity')
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) {
    throw AppointmentErrors.slotFull(`${input.service} at ${input.store} ${startsAt} is fully booked`, {
      extra: { capacity: Number(slot.capacity) },
    });
  }
  const row = await trx.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  await appendEvent(
    trx,
    newEvent(AppointmentBooked, {
      stream: `appointment:${id}`,
      location: slot.store,
      payload: {
        appointmentId: id,
        store: slot.store,
        service: slot.service,
        startsAt: slot.starts_at,
        memberId,
        channel: input.channel,
      },
    }),
  );
  return toAppointmentView(row);
}

export async function requireAppointment(db: Kysely<DB>, id: string): Promise<AppointmentView> {
  const row = await db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw AppointmentErrors.notFound(`No appointment ${id}`);
  return toAppointmentView(row);
}

/** Cancels a booking; its place in the slot is free again. */
export async function cancelAppointment(
  trx: Trx,
  id: string,
  reason: string,
  actor: string,
): Promise<AppointmentView> {
  const current = await requireAppointment(trx, id);
  const at = nowIso();
  const moved = await trx
    .updateTable('appointments')
    .set({ status: 'cancelled', cancelled_at: at, cancel_reason: reason, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'booked')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1)
    throw AppointmentErrors.notCancellable(`Appointment ${id} is ${current.status}`);
  await trx
    .updateTable('service_slots')
    .set((eb) => ({ booked: eb('booked', '-', 1), updated_at: at }))
    .where('id', '=', current.slotId)
    .execute();
  await appendEvent(
    trx,
    newEvent(AppointmentCancelled, {
      stream: `appointment:${id}`,
      location: current.store,
      payload: {
        appointmentId: id,
        store: current.store,
        service: current.service,
        startsAt: current.startsAt,
        memberId: current.memberId,
        reason,
        actor,
      },
    }),
  );
  return requireAppointment(trx, id);
}

/** A store's calendar for one local day: its bookings in time order (cancelled ones on request). */
export async function storeCalendar(
  db: Kysely<DB>,
  store: string,
  filter: { date: string; includeCancelled?: boolean | undefined },
): Promise<{ date: string; store: string; slots: SlotView[]; items: AppointmentView[]; nextCursor: null }> {
  const slots = await listSlots(db, store, { date: filter.date, limit: 1000 });
  let query = db
    .selectFrom('appointments')
    .selectAll()
    .where('store', '=', store)
    .where('local_day', '=', filter.date)
    .orderBy('starts_at')
    .orderBy('id');
  if (!filter.includeCancelled) query = query.where('status', '=', 'booked');
  const rows = await query.execute();
  return { date: filter.date, store, slots, items: rows.map(toAppointmentView), nextCursor: null };
}

/** A member's appointments, soonest first. */
export async function appointmentsOf(
  db: Kysely<DB>,
  memberId: string,
  options: { upcomingOnly?: boolean | undefined; limit: number },
): Promise<AppointmentView[]> {
  let query = db
    .selectFrom('appointments')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('starts_at')
    .limit(options.limit);
  if (options.upcomingOnly) query = query.where('starts_at', '>=', nowIso()).where('status', '=', 'booked');
  return (await query.execute()).map(toAppointmentView);
}
