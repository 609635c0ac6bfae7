import type { SourcingCandidate, SourcingLine } from './sourcing.config.js';
import { stockOf } from './sourcing.cover.js';
import { exclude, only, phrases, reasonList, sortByCode } from './sourcing.explain.js';
import type { FulfillmentPlan, SourcingReason, UnfulfillableLine } from './sourcing.plan.js';

/* Carry-out: a sale at the till takes the selling store's own stock. */

export function planCarryOut(
  lines: SourcingLine[],
  candidates: readonly SourcingCandidate[],
  storeCode: string | null,
): FulfillmentPlan {
  const store = storeCode === null ? undefined : candidates.find((c) => c.code === storeCode);
  const others = sortByCode(
    candidates.filter((c) => c.code !== storeCode).map((c) => exclude(c.code, only('NOT_SELLING_STORE'))),
  );
  const reasons: SourcingReason[] = [];
  if (store) {
    if (!store.active) reasons.push('INACTIVE');
    if (store.kind !== 'store') reasons.push('KIND_NOT_ALLOWED');
  }
  if (!store || reasons.length > 0) {
    return {
      ok: false,
      groups: [],
      explanation: store ? [exclude(store.code, reasonList(reasons)), ...others] : others,
      unfulfillable: lines.map((line) => ({ ...line, reason: 'SELLING_STORE_UNAVAILABLE' as const })),
    };
  }
  const unfulfillable: UnfulfillableLine[] = [];
  for (const line of lines) {
    const held = stockOf(store.stock, line.sku);
    if (held < line.quantity) {
      unfulfillable.push({ sku: line.sku, quantity: line.quantity - held, reason: 'INSUFFICIENT_STOCK' });
    }
  }
  if (unfulfillable.length > 0) {
    return {
      ok: false,
      groups: [],
      explanation: [exclude(store.code, only('INSUFFICIENT_STOCK')), ...others],
      unfulfillable,
    };
  }
  return {
    ok: true,
    groups: [{ location: store.code, type: 'carry_out', lines }],
    explanation: [
      {
        location: store.code,
        decision: 'chosen',
        reasons: ['SELLING_STORE', 'HOLDS_ALL_LINES'],
        message: `${store.code} chosen: ${phrases(['SELLING_STORE', 'HOLDS_ALL_LINES'])}.`,
      },
      ...others,
    ],
  };
}
