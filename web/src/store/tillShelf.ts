import { useEffect, useState } from 'react';
import { skuStock } from '../api/inventory';

/**
 * What this store's own shelf can sell of each SKU in the basket (available: on hand − reserved − safety stock),
 * read once per SKU as it is scanned and again after each sale (`version`): the cashier sees what is missing and
 * can send the sale from elsewhere instead.
 */
export function useShelfStock(store: string, skus: readonly string[], version: number): Map<string, number> {
  const [shelf, setShelf] = useState(new Map<string, number>());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new sale (version) reads every SKU again
  useEffect(() => setShelf(new Map()), [store, version]);
  const missing = skus.filter((s) => !shelf.has(s)).join(',');
  useEffect(() => {
    if (!missing) return;
    const controller = new AbortController();
    for (const sku of missing.split(',')) {
      skuStock(sku, {}, controller.signal)
        .then((stock) => {
          const here = stock.levels.find((l) => l.location === store)?.available ?? 0;
          setShelf((all) => new Map(all).set(sku, here));
        })
        .catch(() => {
          // Unknown here is shown as unknown; the order's own sourcing still decides.
        });
    }
    return () => controller.abort();
  }, [store, missing]);
  return shelf;
}
