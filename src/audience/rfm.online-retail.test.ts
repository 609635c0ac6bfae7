/*
 * The quintile scheme on real transactions: the UCI Online Retail data set (a UK online shop, 2010-12-01 to
 * 2011-12-09), scored by `scoreRfm` and by the pandas recipe published analyses use —
 * `qcut(x.rank(method='first'), 5)` — rewritten here from pandas' own definition, sharing nothing with
 * rfm.rules.ts but the segment table (which rfm.rules.test.ts checks against DOMAIN.md). The data lives beside the
 * project (../shared/data, see its README.md), not in it; without it this file is skipped.
 */

import { createReadStream, existsSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { quintileSegment, type RfmInput, scoreRfm, segmentSizes } from './rfm.rules.js';

const DATA = new URL('../../../shared/data/online-retail/online-retail.csv.gz', import.meta.url);
const present = existsSync(DATA);
if (!present) {
  console.log(
    `Online Retail RFM test skipped: ${DATA.pathname} is absent (see shared/data/online-retail/README.md)`,
  );
}

const DAY_MS = 86_400_000;

interface Customer {
  id: string;
  invoices: Set<string>;
  lastMs: number;
  pence: number;
}

/**
 * Pence of one row: Quantity × UnitPrice, rounded to a whole penny, halves up. Prices have up to three decimals,
 * so the product is computed in integers (ten-thousandths of a pound) rather than in floating point.
 */
function rowPence(quantity: number, unitPrice: string): number {
  const [pounds = '', fraction = ''] = unitPrice.split('.');
  if (fraction.length > 4) throw new Error(`unexpected price ${unitPrice}`);
  const tenThousandths = Number(pounds) * 10_000 + Number(fraction.padEnd(4, '0'));
  return Math.floor((quantity * tenThousandths + 50) / 100);
}

/**
 * Purchases per customer: rows that are not cancellations (`C…` invoices), with Quantity > 0, UnitPrice > 0 and a
 * CustomerID, exact duplicate rows dropped. An invoice is one purchase. Invoice times are the shop's UK local time;
 * this test reads them as UTC (summer times shift by an hour, the same for both computations below).
 */
async function readCustomers(): Promise<{ customers: Customer[]; lastInvoiceMs: number }> {
  const rows = createReadStream(DATA)
    .pipe(createGunzip())
    .pipe(parse({ from_line: 2, relax_column_count: false }));
  const seen = new Set<string>();
  const byId = new Map<string, Customer>();
  let lastInvoiceMs = Number.NEGATIVE_INFINITY;
  for await (const row of rows as AsyncIterable<string[]>) {
    const [invoice = '', , , quantityText = '', date = '', unitPrice = '', customerText = ''] = row;
    const invoiceMs = Date.parse(`${date.replace(' ', 'T')}Z`);
    if (invoiceMs > lastInvoiceMs) lastInvoiceMs = invoiceMs;
    const quantity = Number(quantityText);
    if (invoice.startsWith('C') || !(quantity > 0) || !(Number(unitPrice) > 0) || customerText === '')
      continue;
    const key = row.join('\u0001');
    if (seen.has(key)) continue;
    seen.add(key);
    const id = customerText.replace(/\.0$/, '');
    let customer = byId.get(id);
    if (customer === undefined) {
      customer = { id, invoices: new Set(), lastMs: invoiceMs, pence: 0 };
      byId.set(id, customer);
    }
    customer.invoices.add(invoice);
    customer.lastMs = Math.max(customer.lastMs, invoiceMs);
    customer.pence += rowPence(quantity, unitPrice);
  }
  return { customers: [...byId.values()], lastInvoiceMs };
}

/**
 * pandas' `qcut(x.rank(method='first'), 5, labels=[1, 2, 3, 4, 5])`, from its definition: `rank('first')` numbers
 * the values 1…n ascending, equal values in the order they appear (here: customers by CustomerID, as a pandas
 * groupby leaves them); `qcut` takes the quantiles at 0, 0.2, …, 1 of those ranks by linear interpolation between
 * the sorted values, then `cut` bins right-closed, the first bin including its left edge.
 */
function pandasQuintiles(ids: readonly string[], values: readonly number[]): Map<string, number> {
  const n = ids.length;
  const appearance = ids.map((_, i) => i).sort((a, b) => Number(ids[a]) - Number(ids[b]));
  const appearsAt = new Array<number>(n);
  appearance.forEach((i, p) => {
    appearsAt[i] = p;
  });
  const order = [...appearance].sort((a, b) => values[a]! - values[b]! || appearsAt[a]! - appearsAt[b]!);
  const rank = new Array<number>(n);
  order.forEach((i, p) => {
    rank[i] = p + 1;
  });
  const sortedRanks = Array.from({ length: n }, (_, p) => p + 1);
  const edges = [0, 1, 2, 3, 4, 5].map((k) => {
    const h = (n - 1) * (k / 5);
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return sortedRanks[lo]! + (h - lo) * (sortedRanks[hi]! - sortedRanks[lo]!);
  });
  const labels = new Map<string, number>();
  ids.forEach((id, i) => {
    const x = rank[i]!;
    // searchsorted(edges, x, side='left'): the first edge ≥ x; x on the lowest edge goes to the first bin.
    let bin = edges.findIndex((e) => e >= x);
    if (bin === 0) bin = 1;
    labels.set(id, bin);
  });
  return labels;
}

(present ? describe : describe.skip)('RFM quintiles on UCI Online Retail', () => {
  it('scores every customer as the pandas recipe does', async () => {
    const { customers, lastInvoiceMs } = await readCustomers();
    // asOf: the day after the last invoice in the file.
    const asOf = new Date((Math.floor(lastInvoiceMs / DAY_MS) + 1) * DAY_MS).toISOString();
    expect(asOf).toBe('2011-12-10T00:00:00.000Z');

    const inputs: RfmInput[] = customers.map((c) => ({
      memberId: c.id,
      card: c.id,
      lastPurchaseAt: new Date(c.lastMs).toISOString(),
      frequency: c.invoices.size,
      monetaryTotal: c.pence,
    }));
    const started = performance.now();
    const results = scoreRfm(inputs, { scheme: 'quintile', asOf, monetary: 'total' });
    const elapsed = performance.now() - started;

    const ids = customers.map((c) => c.id);
    const asOfMs = Date.parse(asOf);
    const recency = customers.map((c) => Math.floor((asOfMs - c.lastMs) / DAY_MS));
    const r = pandasQuintiles(ids, recency);
    const f = pandasQuintiles(
      ids,
      customers.map((c) => c.invoices.size),
    );
    const m = pandasQuintiles(
      ids,
      customers.map((c) => c.pence),
    );
    const mismatches = results.filter((res, i) => {
      const rScore = 6 - r.get(res.memberId)!;
      const fScore = f.get(res.memberId)!;
      const mScore = m.get(res.memberId)!;
      return (
        res.recency !== recency[i] ||
        res.rScore !== rScore ||
        res.fScore !== fScore ||
        res.mScore !== mScore ||
        res.segment !== quintileSegment(rScore, fScore, mScore)
      );
    });
    expect(mismatches.slice(0, 5)).toEqual([]);

    const sizes = segmentSizes(results);
    console.log(
      `Online Retail RFM: ${results.length} customers scored in ${elapsed.toFixed(1)} ms, asOf ${asOf}\n` +
        sizes
          .map(
            (s) =>
              `${s.segment.padEnd(20)} ${String(s.members).padStart(5)} members  £${(s.monetary / 100).toFixed(2).padStart(12)}`,
          )
          .join('\n'),
    );
    expect(results).toHaveLength(4338);
    expect(sizes.reduce((sum, s) => sum + s.members, 0)).toBe(results.length);
    expect(sizes.reduce((sum, s) => sum + s.monetary, 0)).toBe(
      customers.reduce((sum, c) => sum + c.pence, 0),
    );
  });
});
