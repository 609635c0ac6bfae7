import type { FieldError } from '../platform/index.js';

/** What a SKU is, beyond its product: {"shade": "999", "finish": "matte"}, {"size": "50ml"}. */
export type SkuAttributes = Record<string, string>;

export interface SkuDraft {
  code: string;
  barcode?: string | null | undefined;
}

/**
 * Codes and barcodes must be unique within one request as well as in the catalog; a repeat inside the request
 * is the sender's mistake, named by its position.
 */
export function repeatedInRequest(skus: readonly SkuDraft[], path = 'skus'): FieldError[] {
  const errors: FieldError[] = [];
  const codes = new Map<string, number>();
  const barcodes = new Map<string, number>();
  skus.forEach((sku, i) => {
    const firstCode = codes.get(sku.code);
    if (firstCode !== undefined) {
      errors.push({ path: `${path}[${i}].code`, message: `repeats ${path}[${firstCode}].code` });
    } else codes.set(sku.code, i);
    if (sku.barcode !== undefined && sku.barcode !== null) {
      const firstBarcode = barcodes.get(sku.barcode);
      if (firstBarcode !== undefined) {
        errors.push({ path: `${path}[${i}].barcode`, message: `repeats ${path}[${firstBarcode}].barcode` });
      } else barcodes.set(sku.barcode, i);
    }
  });
  return errors;
}

/** The check digit of an EAN-13 from its first 12 digits (GS1: weights 1 and 3 from the left). */
export function ean13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/** `%text%` for a case-insensitive LIKE (compared with lower() on both sides), with its wildcards escaped. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
