import type { AftersalesTables } from './aftersales/aftersales.schema.js';
import type { AudienceTables } from './audience/audience.schema.js';
import type { CatalogTables } from './catalog/catalog.schema.js';
import type { ExperienceTables } from './experience/experience.schema.js';
import type { FulfillmentTables } from './fulfillment/fulfillment.schema.js';
import type { ImportsTables } from './imports/imports.schema.js';
import type { InventoryTables } from './inventory/inventory.schema.js';
import type { LocationTables } from './locations/locations.schema.js';
import type { LoyaltyTables } from './loyalty/loyalty.schema.js';
import type { MembersTables } from './members/members.schema.js';
import type { OrdersTables } from './orders/orders.schema.js';
import type { PaymentsTables } from './payments/payments.schema.js';
import type { PlatformTables } from './platform/platform.schema.js';

/**
 * The whole database as Kysely sees it: each context declares its own tables in `<ctx>.schema.ts` and they
 * meet here, so that one transaction can span contexts while each context owns its rows.
 */
export interface DB
  extends PlatformTables,
    InventoryTables,
    MembersTables,
    LocationTables,
    CatalogTables,
    OrdersTables,
    FulfillmentTables,
    PaymentsTables,
    LoyaltyTables,
    ExperienceTables,
    AftersalesTables,
    ImportsTables,
    AudienceTables {}
