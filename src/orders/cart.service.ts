import { CatalogErrors, getSkus } from '../catalog/index.js';
import { type Channel, newId, type Queryable, type Trx } from '../platform/index.js';
import { CART_MAX_LINES, type Cart, type CartLineChange } from './cart.contract.js';
import { OrderErrors } from './orders.errors.js';

/** The channels of her own shop: an order placed there takes what it bought off her cart. */
const SHOP_CHANNELS: ReadonlySet<Channel> = new Set(['online', 'mini_program']);

/** Her cart with each SKU as the catalogue has it now (a line per SKU; a merge's two rows are added together). */
export async function cartOf(db: Queryable, memberId: string): Promise<Cart> {
  const rows = await db
    .selectFrom('cart_lines')
    .select(['sku', 'quantity', 'store', 'added_at'])
    .where('member_id', '=', memberId)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
  const bySku = new Map<string, { quantity: number; store: string | null; addedAt: string }>();
  for (const row of rows) {
    const line = bySku.get(row.sku);
    if (line) line.quantity += row.quantity;
    else bySku.set(row.sku, { quantity: row.quantity, store: row.store, addedAt: row.added_at });
  }
  const skus = await getSkus(db, [...bySku.keys()]);
  const lines: Cart['lines'] = [];
  let units = 0;
  let totalAmount = 0;
  for (const [code, line] of bySku) {
    const sku = skus.get(code);
    // A SKU the catalogue no longer has cannot be shown or bought; its row goes with her next change.
    if (!sku) continue;
    lines.push({
      sku: code,
      quantity: line.quantity,
      name: sku.name,
      productCode: sku.productCode,
      price: sku.price,
      attributes: sku.attributes,
      active: sku.active,
      store: line.store,
      addedAt: line.addedAt,
    });
    if (sku.active) {
      units += line.quantity;
      totalAmount += sku.price * line.quantity;
    }
  }
  return { memberId, lines, units, totalAmount };
}

/**
 * Puts a SKU in her cart with this quantity (adding it, or changing the line she has). A SKU off sale is refused
 * (she could not buy it); a cart holds at most CART_MAX_LINES lines. Her rows are locked first on PostgreSQL so two
 * taps from two devices end with one line, not two.
 */
export async function setCartLine(
  trx: Trx,
  memberId: string,
  sku: string,
  change: CartLineChange,
  engine: 'sqlite' | 'postgres',
): Promise<Cart> {
  const found = (await getSkus(trx, [sku])).get(sku);
  if (!found) throw CatalogErrors.skuNotFound(`No SKU ${sku}`, { extra: { sku } });
  if (!found.active) throw OrderErrors.skuNotSellable(`${sku} is not on sale`, { extra: { sku } });
  await lockMember(trx, memberId, engine);
  const now = new Date().toISOString();
  const existing = await trx
    .selectFrom('cart_lines')
    .select(['id', 'sku', 'store', 'added_at'])
    .where('member_id', '=', memberId)
    .orderBy('added_at')
    .execute();
  const same = existing.filter((r) => r.sku === sku);
  if (same.length === 0 && new Set(existing.map((r) => r.sku)).size >= CART_MAX_LINES) {
    throw OrderErrors.cartFull(`A cart holds at most ${CART_MAX_LINES} lines`, {
      extra: { limit: CART_MAX_LINES },
    });
  }
  const [first, ...rest] = same;
  if (first) {
    await trx
      .updateTable('cart_lines')
      .set({ quantity: change.quantity, updated_at: now, store: change.store ?? first.store })
      .where('id', '=', first.id)
      .execute();
    if (rest.length > 0) {
      await trx
        .deleteFrom('cart_lines')
        .where(
          'id',
          'in',
          rest.map((r) => r.id),
        )
        .execute();
    }
  } else {
    await trx
      .insertInto('cart_lines')
      .values({
        id: newId('cart'),
        member_id: memberId,
        sku,
        quantity: change.quantity,
        store: change.store ?? null,
        added_at: now,
        updated_at: now,
      })
      .execute();
  }
  return cartOf(trx, memberId);
}

/** Takes a SKU off her cart; one not in it changes nothing. */
export async function removeCartLine(trx: Trx, memberId: string, sku: string): Promise<Cart> {
  await trx.deleteFrom('cart_lines').where('member_id', '=', memberId).where('sku', '=', sku).execute();
  return cartOf(trx, memberId);
}

/**
 * An order from her own shop takes the SKUs it bought off her cart, in the order's transaction: the cart she
 * returns to never offers what she has just paid for, and a failed order leaves the cart as it was.
 */
export async function takeOrderedOffCart(
  trx: Trx,
  order: { memberId: string | null; channel: Channel; skus: readonly string[] },
): Promise<void> {
  if (order.memberId === null || !SHOP_CHANNELS.has(order.channel) || order.skus.length === 0) return;
  await trx
    .deleteFrom('cart_lines')
    .where('member_id', '=', order.memberId)
    .where('sku', 'in', [...new Set(order.skus)])
    .execute();
}

async function lockMember(trx: Trx, memberId: string, engine: 'sqlite' | 'postgres'): Promise<void> {
  // SQLite has one writer at a time already; PostgreSQL queues the member's cart changes on her row.
  if (engine !== 'postgres') return;
  await trx.selectFrom('members').select('id').where('id', '=', memberId).forUpdate().execute();
}
