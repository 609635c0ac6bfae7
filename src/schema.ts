import type { PlatformTables } from './platform/platform.schema.js';

/**
 * The whole database as Kysely sees it: each context declares its own tables in `<ctx>.schema.ts` and they
 * meet here, so that one transaction can span contexts while each context owns its rows.
 */
export interface DB extends PlatformTables {}
