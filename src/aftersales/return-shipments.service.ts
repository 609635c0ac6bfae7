import type { Static } from 'typebox';
import { addTimeline } from '../orders/index.js';
import { type Actor, actorName, appendEvent, newEvent, nowIso, type Trx } from '../platform/index.js';
import type { ReturnShipment } from './aftersales.contract.js';
import { ReturnErrors } from './aftersales.errors.js';
import { ReturnShipped } from './aftersales.events.js';
import { requireReturnRow } from './aftersales.rows.js';
import { assertShipmentRecordable } from './return-requests.rules.js';

/**
 * The customer (or staff) says which carrier has the parcel of a courier return and its tracking number, so the
 * receiving warehouse and the customer can follow it. There is no carrier adapter that books pickups, so nothing
 * is booked here: the number is what the courier gave her. Sent again while the return is on its way it corrects
 * the number; once the goods arrived it is refused.
 */
export async function recordReturnShipment(
  trx: Trx,
  id: string,
  shipment: Static<typeof ReturnShipment>,
  actor: Actor,
): Promise<void> {
  const ret = await requireReturnRow(trx, id);
  assertShipmentRecordable(ret);
  const at = nowIso();
  // Conditional on the state read above: a receipt that commits first makes this one refuse, not overwrite.
  const moved = await trx
    .updateTable('returns')
    .set({
      carrier: shipment.carrier,
      tracking_number: shipment.trackingNumber,
      shipped_at: at,
      updated_at: at,
    })
    .where('id', '=', id)
    .where('status', '=', 'requested')
    .where('method', '=', 'courier')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) {
    throw ReturnErrors.invalidTransition(`Return ${id} is no longer on its way`);
  }
  await addTimeline(trx, ret.order_id, {
    kind: 'return',
    code: 'return.shipped',
    params: { returnId: id, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber },
    actor: actorName(actor),
    data: { returnId: id },
  });
  await appendEvent(
    trx,
    newEvent(ReturnShipped, {
      stream: `return:${id}`,
      location: ret.location,
      payload: {
        returnId: id,
        orderId: ret.order_id,
        memberId: ret.member_id,
        location: ret.location,
        carrier: shipment.carrier,
        trackingNumber: shipment.trackingNumber,
      },
    }),
  );
}
