import type { AppModule } from '../platform/index.js';
import { registerInventoryRoutes } from './inventory.routes.js';
import {
  expireReservation,
  RESERVATION_EXPIRE_JOB,
  RESERVATION_SWEEP_JOB,
  ReservationBatcher,
  sweepReservations,
} from './inventory.service.js';

/** Errors other contexts may meet (INVENTORY.INSUFFICIENT_STOCK, RESERVATION.NOT_ACTIVE, …). */
export { InventoryErrors, ReservationErrors, TransferErrors } from './inventory.errors.js';
/** Pure rules: available-to-promise, lock order, channel policies. */
export {
  availableOf,
  type ChannelPolicy,
  channelAvailable,
  defaultChannelPolicy,
  type StockLine,
} from './inventory.rules.js';
export type { InventoryTables } from './inventory.schema.js';
export { seedStock } from './inventory.seed.js';
export {
  /** Apply adjustments (all or nothing); used by the ERP sync and by after-sales restocking. */
  adjustStock,
  /** The goods left (shipped, handed over): on hand and reserved drop; the ledger says why (default `sale`). */
  commitReservation,
  /** A count: set on hand, the ledger records the difference. */
  countLevel,
  getChannelPolicy,
  getLevel,
  getReservation,
  /** One SKU across locations, optionally as a channel sees it. */
  getSkuStock,
  getTransfer,
  /** The levels of some SKUs at every location (what sourcing plans over). */
  levelsForSkus,
  moveTransfer,
  /** A reservation checked and given its id, for a caller that takes its stock last (takeReservedStock). */
  planReservation,
  type Reservation,
  ReservationBatcher,
  type ReservationRequest,
  type ReturnReceipt,
  /** Units brought back by a customer: resellable back on hand, damaged into quarantine (both in the ledger). */
  receiveReturn,
  /** Free a reservation's units (order cancelled). */
  releaseReservation,
  /** Request a transfer (units reserved at the source); ship, receive or cancel it with moveTransfer. */
  requestTransfer,
  requireReservation,
  /** Reserve inside the caller's transaction (placing an order): all lines or none. */
  reserveStock,
  type StockLevel,
  type Transfer,
  /** Take the stock of planned reservations, all their lines in one lock order, and write them. */
  takeReservedStock,
} from './inventory.service.js';

/** The inventory hub: levels, the movement ledger, reservations (with group commit), transfers, nearby stock. */
export const inventoryModule: AppModule = {
  name: 'inventory',
  routes: (app, ctx) => registerInventoryRoutes(app, ctx, new ReservationBatcher(ctx.database)),
  jobs: {
    [RESERVATION_SWEEP_JOB]: (trx) => sweepReservations(trx),
    [RESERVATION_EXPIRE_JOB]: (trx, job) => expireReservation(trx, String(job.payload.reservationId)),
  },
};
