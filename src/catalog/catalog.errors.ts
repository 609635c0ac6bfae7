import { defineError } from '../platform/index.js';

/** The catalog's error catalogue. */
export const CatalogErrors = {
  productNotFound: defineError('CATALOG.PRODUCT_NOT_FOUND', 'not_found', 'No such product'),
  skuNotFound: defineError('CATALOG.SKU_NOT_FOUND', 'not_found', 'No such SKU'),
  productCodeTaken: defineError('CATALOG.PRODUCT_CODE_TAKEN', 'conflict', 'This product code is taken'),
  skuCodeTaken: defineError('CATALOG.SKU_CODE_TAKEN', 'conflict', 'This SKU code is taken'),
  barcodeTaken: defineError('CATALOG.BARCODE_TAKEN', 'conflict', 'This barcode belongs to another SKU'),
  repeatedInRequest: defineError(
    'CATALOG.REPEATED_IN_REQUEST',
    'invalid',
    'A SKU code or barcode appears twice in one request',
  ),
  nameBlank: defineError('CATALOG.NAME_BLANK', 'invalid', 'A name in the dictionary is blank'),
  valueRepeated: defineError(
    'CATALOG.VALUE_REPEATED',
    'invalid',
    'An attribute value is named twice in one request',
  ),
};
