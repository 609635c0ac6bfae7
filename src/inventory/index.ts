import type { AppModule } from '../platform/index.js';
import { registerChannelStockRoutes } from './channels.routes.js';
import { registerInventoryRoutes } from './inventory.routes.js';
import { registerReservationRoutes } from './reservations.routes.js';
import {
  expireReservation,
  RESERVATION_EXPIRE_JOB,
  RESERVATION_SWEEP_JOB,
  ReservationBatcher,
  sweepReservations,
} from './reservations.service.js';
import { registerTransferRoutes } from './transfers.routes.js';

export {
  channelPolicyReader,
  getChannelPolicy,
  /** One SKU across locations, optionally as a channel sees it. */
  getSkuStock,
} from './availability.service.js';
/** Errors other contexts may meet (INVENTORY.INSUFFICIENT_STOCK, RESERVATION.NOT_ACTIVE, …). */
export { InventoryErrors, ReservationErrors, TransferErrors } from './inventory.errors.js';
export type { StockLevel } from './inventory.rows.js';
/** Pure rules: available-to-promise, lock order, channel policies. */
export {
  availableOf,
  type ChannelPolicy,
  channelAvailable,
  defaultChannelPolicy,
  orderLimitBreach,
  type StockLine,
} from './inventory.rules.js';
export type { InventoryTables, ReservationStatus, TransferStatus } from './inventory.schema.js';
export { seedStock } from './inventory.seed.js';
export {
  /** Apply adjustments (all or nothing); used by the ERP sync and by after-sales restocking. */
  adjustStock,
  /** A count: set on hand, the ledger records the difference. */
  countLevel,
  getLevel,
  /** The levels of some SKUs at every location (what sourcing plans over). */
  levelsForSkus,
} from './levels.service.js';
export {
  type ReturnReceipt,
  /** Units brought back by a customer: resellable back on hand, damaged into quarantine (both in the ledger). */
  receiveReturn,
} from './receipts.service.js';
export {
  /** The goods left (shipped, handed over): on hand and reserved drop; the ledger says why (default `sale`). */
  commitReservation,
  getReservation,
  /** A reservation checked and given its id, for a caller that takes its stock last (takeReservedStock). */
  planReservation,
  type Reservation,
  ReservationBatcher,
  type ReservationRequest,
  /** Free a reservation's units (order cancelled). */
  releaseReservation,
  requireReservation,
  /** Reserve inside the caller's transaction (placing an order): all lines or none. */
  reserveStock,
  /** Take the stock of planned reservations, all their lines in one lock order, and write them. */
  takeReservedStock,
} from './reservations.service.js';
export {
  getTransfer,
  moveTransfer,
  /** Request a transfer (units reserved at the source); ship, receive or cancel it with moveTransfer. */
  requestTransfer,
  type Transfer,
} from './transfers.service.js';

/** The inventory hub: levels, the movement ledger, reservations (with group commit), transfers, nearby stock. */
export const inventoryModule: AppModule = {
  name: 'inventory',
  // In this order: the API document lists the routes as they are registered.
  routes: (app, ctx) => {
    registerInventoryRoutes(app, ctx);
    registerReservationRoutes(app, ctx, new ReservationBatcher(ctx.database));
    registerTransferRoutes(app, ctx);
    registerChannelStockRoutes(app, ctx);
  },
  jobs: {
    [RESERVATION_SWEEP_JOB]: (trx) => sweepReservations(trx),
    [RESERVATION_EXPIRE_JOB]: (trx, job) => expireReservation(trx, String(job.payload.reservationId)),
  },
};
