import Type from 'typebox';
import { ordersDeps } from '../orders/index.js';
// An events file imports only the platform: any context may read another's events without an import cycle.
import { OrderCancelled } from '../orders/orders.events.js';
import { RefundFailed, RefundSucceeded } from '../payments/index.js';
import { type AppContext, type AppModule, memberViewSection, payloadOf } from '../platform/index.js';
import { Appointment, Return } from './aftersales.contract.js';
import { RETURN_WINDOW_MS } from './aftersales.rules.js';
import { registerAppointmentsRoutes } from './appointments.routes.js';
import { appointmentsOf } from './appointments.service.js';
import { registerExchangesRoutes } from './exchanges.routes.js';
import { replacementCancelled } from './exchanges.service.js';
import { applyRefundEvent } from './refunds.service.js';
import { listReturns } from './return-views.js';
import { registerReturnsRoutes } from './returns.routes.js';
import type { AftersalesDeps } from './returns.service.js';

function depsOf(ctx: AppContext): AftersalesDeps {
  return {
    orders: ordersDeps(ctx.database, ctx.config),
    returnWindowMs: RETURN_WINDOW_MS,
  };
}

/**
 * After-sales from and to any channel: returns (requested online or taken at any store counter, received at any
 * store or warehouse), exact refunds through the original payment with their state kept up to date, exchanges
 * with a replacement order, and service appointments at stores.
 */
export const aftersalesModule: AppModule = {
  name: 'aftersales',
  routes: (app, ctx) => {
    const deps = depsOf(ctx);
    registerReturnsRoutes(app, ctx, deps);
    registerExchangesRoutes(app, ctx, deps);
    registerAppointmentsRoutes(app, ctx, deps);
  },
  consumers: [
    {
      name: 'aftersales.refunds',
      topics: ['refund'],
      types: [RefundSucceeded.type, RefundFailed.type],
      handle: applyRefundEvent,
    },
    {
      name: 'aftersales.replacements',
      topics: ['order'],
      types: [OrderCancelled.type],
      handle: async (trx, event) => replacementCancelled(trx, payloadOf(OrderCancelled, event).orderId),
    },
  ],
  // A member's returns and bookings follow them through merges (and back on unmerge).
  memberReferences: [
    { table: 'returns', memberColumn: 'member_id', keyColumn: 'id' },
    { table: 'appointments', memberColumn: 'member_id', keyColumn: 'id' },
  ],
  // The member 360 view shows what is coming up and what came back, whichever channel it happened in.
  memberViewSections: {
    appointments: memberViewSection(Type.Array(Appointment), async (db, memberId, viewer) =>
      (await appointmentsOf(db, memberId, { upcomingOnly: true, limit: 10 })).filter(
        (a) => viewer.store === null || a.store === viewer.store,
      ),
    ),
    returns: memberViewSection(Type.Array(Return), async (db, memberId, viewer) => {
      // The 360 view is about her: a summary of each return, without its pickup address or her contact again.
      const reader = { pii: null, seesPersonalData: !viewer.masked };
      return (await listReturns(db, { memberId, limit: 10, location: viewer.store ?? undefined }, reader))
        .items;
    }),
  },
};

/** The after-sales error catalogue (RETURN.QUANTITY_EXCEEDED, RETURN.WINDOW_CLOSED, APPOINTMENT.SLOT_FULL …). */
export { AppointmentErrors, ExchangeErrors, ReturnErrors } from './aftersales.errors.js';
/** Pure rules: refunds per returned unit, the return window (7 days by default), service kinds and weekly slots. */
export {
  expandWeeklyTemplate,
  RETURN_WINDOW_DAYS,
  refundForUnits,
  SERVICE_KINDS,
  type ServiceKind,
  type WeeklyTemplateDay,
} from './aftersales.rules.js';
export type { AftersalesTables } from './aftersales.schema.js';
/** The demo stores' service slots for the coming days (idempotent). */
export { seedAftersales } from './aftersales.seed.js';
export { listExchanges } from './exchanges.service.js';
export { getReturn, listReturns, type ReturnView } from './return-views.js';
/** Reads for other contexts and the console: a return, an order's returns and exchanges, a member's appointments. */
export { appointmentsOf };
