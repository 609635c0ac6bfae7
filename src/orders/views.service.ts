import type { Kysely } from 'kysely';
import {
  type FulfillmentViewer,
  hasGroupAt,
  type PlannedGroup,
  readGroupParts,
  readGroupsOfOrder,
  toFulfillmentViews,
  unpackExplanation,
} from '../fulfillment/index.js';
import type { DB } from '../platform/index.js';
import type { OrderView } from './orders.contract.js';
import type { OrdersDeps } from './orders.deps.js';
import type { OrderPlan, OrderRow, OrderRows } from './orders.rows.js';
import { requireOrderRow } from './orders.rows.js';

/*
 * An order as the API shows it: its lines and amounts, the plan with its explanation, its groups, its timeline,
 * and the recipient as the viewer may see them.
 */

export type { OrderView };
export type OrderLineView = OrderView['lines'][number];

export interface OrderViewer extends FulfillmentViewer {
  /** Decrypts the recipient's name, phone and street; otherwise the phone is masked. */
  seesPersonalData: boolean;
}

/** Reads an order's rows. */
export async function loadOrderRows(db: Kysely<DB>, id: string): Promise<OrderRows> {
  const order = await requireOrderRow(db, id);
  const [lines, fulfillments, timeline] = await Promise.all([
    db.selectFrom('order_lines').selectAll().where('order_id', '=', id).orderBy('line_no').execute(),
    readGroupsOfOrder(db, id),
    db.selectFrom('order_timeline').selectAll().where('order_id', '=', id).orderBy('seq').execute(),
  ]);
  const ids = fulfillments.map((f) => f.id);
  const [fulfillmentLines, transfers] = ids.length === 0 ? [[], []] : await readGroupParts(db, ids);
  return { order, lines, fulfillments, fulfillmentLines, transfers, timeline };
}

export async function getOrderView(
  db: Kysely<DB>,
  deps: Pick<OrdersDeps, 'pii'>,
  id: string,
  viewer: OrderViewer,
): Promise<OrderView> {
  return toOrderView(await loadOrderRows(db, id), deps, viewer);
}

/** The API's view of an order, from its rows (decrypting the recipient for those who may see them). */
export function toOrderView(rows: OrderRows, deps: Pick<OrdersDeps, 'pii'>, viewer: OrderViewer): OrderView {
  const { order: row, lines, fulfillments, timeline } = rows;
  let address: OrderView['fulfillment']['address'] = null;
  if (row.address_city !== null) {
    address = { city: row.address_city, lat: Number(row.address_lat), lng: Number(row.address_lng) };
    if (row.address_private) {
      const privateParts = (
        rows.address
          ? {
              line1: rows.address.line1 ?? null,
              name: rows.address.name ?? null,
              phone: rows.address.phone ?? null,
            }
          : JSON.parse(deps.pii.decrypt(row.address_private))
      ) as {
        line1: string | null;
        name: string | null;
        phone: string | null;
      };
      address.line1 = privateParts.line1 ?? undefined;
      address.name = privateParts.name ?? undefined;
      address.phone = privateParts.phone
        ? viewer.seesPersonalData
          ? privateParts.phone
          : maskPhone(privateParts.phone)
        : undefined;
      if (!viewer.seesPersonalData) address.masked = true;
    }
  }
  const plan = rows.plan ?? storedPlan(row.plan);
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    storeCode: row.store_code,
    guide: row.guide,
    memberId: row.member_id,
    status: row.status,
    lines: lines.map((l) => ({
      lineNo: Number(l.line_no),
      sku: l.sku,
      name: l.name,
      category: l.category,
      quantity: Number(l.quantity),
      unitPrice: Number(l.unit_price),
      lineAmount: Number(l.line_amount),
      discountAmount: Number(l.discount_amount),
      pointsAmount: Number(l.points_amount),
      paidAmount: Number(l.paid_amount),
      cancelledQuantity: Number(l.cancelled_quantity),
    })),
    totalAmount: Number(row.total_amount),
    discountAmount: Number(row.discount_amount),
    pointsAmount: Number(row.points_amount),
    payableAmount: Number(row.payable_amount),
    paidAmount: Number(row.paid_amount),
    couponCodes: JSON.parse(row.coupon_codes) as string[],
    fulfillment: {
      type: row.fulfillment_type,
      store: row.fulfillment_store,
      scheduledDate: row.scheduled_date,
      address,
    },
    fulfillmentPlan: plan,
    fulfillments: toFulfillmentViews(
      fulfillments,
      rows.fulfillmentLines,
      rows.transfers,
      viewer,
      new Set(row.status === 'pending_payment' ? [row.id] : []),
    ),
    timeline: timeline.map((t) => ({
      at: t.at,
      kind: t.kind,
      from: t.from_status,
      to: t.to_status,
      code: t.code,
      params: t.params === null ? null : JSON.parse(t.params),
      message: t.message,
      actor: t.actor,
      data: t.data === null ? null : JSON.parse(t.data),
    })),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
  };
}

function storedPlan(text: string): OrderPlan {
  const stored = JSON.parse(text) as {
    groups: PlannedGroup[];
    explanation: Parameters<typeof unpackExplanation>[0];
  };
  return { groups: stored.groups, explanation: unpackExplanation(stored.explanation) };
}

/** A phone as a store guide sees it: 138****5678. */
function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

/** Whether a store's staff may see an order: sold there, picked up there, or fulfilled there. */
export async function orderTouchesStore(db: Kysely<DB>, order: OrderRow, store: string): Promise<boolean> {
  if (order.store_code === store || order.fulfillment_store === store) return true;
  return hasGroupAt(db, order.id, store);
}
