import {
  type Api,
  type AppContext,
  actorName,
  actorOf,
  assertStoreAccess,
  command,
  idParams,
  pageOf,
  scopedStore,
  type Trx,
} from '../platform/index.js';
import { FulfillmentGroup, PickupVerification, TaskActionBody, TaskQuery } from './fulfillment.contract.js';
import { type FulfillmentDeps, fulfillmentDeps, type OrderLink } from './fulfillment.deps.js';
import { fulfillmentViews, listTasks, seesPickupCodes } from './fulfillment.views.js';
import { type FulfillmentRow, requireFulfillment } from './groups.service.js';
import { readyForPickup, verifyPickup } from './pickups.service.js';
import { rejectTask } from './resourcing.service.js';
import { acceptTask, deliverParcel, type FulfillmentActionInput, shipParcel } from './store-tasks.service.js';

const FULFILLERS = ['admin', 'ops', 'store_manager', 'guide'] as const;

/** What a store does to a task, by the last step of its URL. */
const TASK_ACTIONS: Record<
  'accept' | 'reject' | 'ready' | 'ship' | 'deliver',
  (
    trx: Trx,
    deps: FulfillmentDeps,
    id: string,
    input: FulfillmentActionInput,
    actor: string,
  ) => Promise<FulfillmentRow>
> = {
  accept: acceptTask,
  reject: rejectTask,
  ready: readyForPickup,
  ship: shipParcel,
  deliver: deliverParcel,
};

/** A location's tasks (`/v1/fulfillments`) and 核销 at the counter (`/v1/pickups/verify`). */
export function registerFulfillmentRoutes(app: Api, ctx: AppContext, orders: OrderLink): void {
  const db = ctx.database.db;
  const deps = fulfillmentDeps(ctx.database, orders);

  app.get(
    '/v1/fulfillments',
    {
      config: { auth: { roles: FULFILLERS } },
      schema: {
        tags: ['fulfillment'],
        summary: "A location's fulfillment tasks (pickups waiting, ship-from-store tasks to accept …)",
        querystring: TaskQuery,
        response: { 200: pageOf(FulfillmentGroup) },
      },
    },
    async (request) => {
      const location = scopedStore(request.principal, request.query.location);
      const items = await listTasks(
        db,
        orders,
        {
          location,
          status: request.query.status,
          type: request.query.type,
          awaitingPayment: request.query.awaitingPayment,
          limit: request.query.limit,
        },
        { seesPickupCodes: seesPickupCodes(request.principal) },
      );
      return { items, nextCursor: null };
    },
  );

  for (const action of ['accept', 'reject', 'ready', 'ship', 'deliver'] as const) {
    app.post(
      `/v1/fulfillments/:id/${action}`,
      {
        config: { auth: { roles: FULFILLERS } },
        schema: {
          tags: ['fulfillment'],
          summary: {
            accept: 'The location takes the task',
            reject: 'The location cannot: the group goes to the next best location',
            ready: 'A pickup is ready: a 6-digit pickup code is issued to the customer',
            ship: 'Handed to the carrier: the reservation is committed (on hand drops)',
            deliver: 'The carrier delivered',
          }[action],
          params: idParams,
          body: TaskActionBody,
          response: { 200: FulfillmentGroup },
        },
      },
      async (request, reply) => {
        const f = await requireFulfillment(db, request.params.id);
        assertStoreAccess(request.principal, f.location);
        // The view is the answer, and a replay of the same Idempotency-Key must give the same one: it is made
        // inside the command, which stores it.
        return command(ctx, request, reply, 200, async (trx) => {
          const done = await TASK_ACTIONS[action](
            trx,
            deps,
            request.params.id,
            request.body ?? {},
            actorName(actorOf(request)),
          );
          return (
            await fulfillmentViews(trx, [done], { seesPickupCodes: seesPickupCodes(request.principal) })
          )[0];
        });
      },
    );
  }

  app.post(
    '/v1/pickups/verify',
    {
      config: { auth: { roles: FULFILLERS, store: (r) => (r.body as { store: string }).store } },
      schema: {
        tags: ['fulfillment'],
        summary: '核销: the customer shows the pickup code at the counter; the group is picked up',
        body: PickupVerification,
        response: { 200: FulfillmentGroup },
      },
    },
    async (request, reply) => {
      return command(ctx, request, reply, 200, async (trx) => {
        const f = await verifyPickup(
          trx,
          deps,
          request.body.store,
          request.body.code,
          actorName(actorOf(request)),
        );
        return (await fulfillmentViews(trx, [f], { seesPickupCodes: seesPickupCodes(request.principal) }))[0];
      });
    },
  );
}
