import type { Migration } from 'kysely';
import * as platform from './20261122_0001_platform.js';
import * as locationsCatalog from './20261122_0002_locations_catalog.js';
import * as inventory from './20261122_0003_inventory.js';
import * as members from './20261122_0004_members.js';
import * as payments from './20261122_0005_payments.js';
import * as loyalty from './20261122_0006_loyalty.js';
import * as orders from './20261122_0007_orders.js';
import * as inventoryQuarantine from './20261122_0008_inventory_quarantine.js';
import * as aftersales from './20261122_0009_aftersales.js';
import * as reservationSweep from './20261122_0010_reservation_sweep.js';
import * as reservationSweeperJob from './20261123_0011_reservation_sweeper_job.js';
import * as dropFulfillmentsLoadIndex from './20261123_0012_drop_fulfillments_load_index.js';
import * as partialOrderIndexes from './20261123_0013_partial_order_indexes.js';
import * as catalogGeneration from './20261123_0014_catalog_generation.js';
import * as unpaidOrderSweeper from './20261123_0015_unpaid_order_sweeper.js';
import * as unpaidDueIndex from './20261123_0016_unpaid_due_index.js';
import * as timelineCodes from './20261202_0017_timeline_codes.js';
import * as rateLimits from './20261202_0018_rate_limits.js';
import * as apiKeyLimits from './20261203_0019_api_key_limits.js';
import * as forwarderLeases from './20261203_0020_forwarder_leases.js';
import * as channelOrderLimits from './20261203_0021_channel_order_limits.js';
import * as catalogDictionary from './20261203_0022_catalog_dictionary.js';
import * as imports from './20261203_0023_imports.js';
import * as audience from './20261203_0024_audience.js';
import * as audienceActivity from './20261203_0025_audience_activity.js';
import * as audienceTraits from './20261203_0026_audience_traits.js';
import * as audienceTags from './20261203_0027_audience_tags.js';
import * as audienceRfm from './20261203_0028_audience_rfm.js';
import * as audienceSegments from './20261203_0029_audience_segments.js';
import * as memberCodes from './20261203_0030_member_codes.js';
import * as tagFeeds from './20261204_0031_tag_feeds.js';
import * as claimableCoupons from './20261204_0032_claimable_coupons.js';
import * as carts from './20261204_0033_carts.js';
import * as returnRequests from './20261204_0034_return_requests.js';
import * as cashTenders from './20261204_0035_cash_tenders.js';
import * as rfmScoresAppend from './20261204_0036_rfm_scores_append.js';
import * as scheduledDelivery from './20261204_0037_scheduled_delivery.js';
import * as activitySetIndex from './20261204_0038_activity_set_index.js';
import * as membersNotActive from './20261204_0039_members_not_active.js';

/** Every migration, by sortable name. Add new ones at the end; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '20261122_0001_platform': platform,
  '20261122_0002_locations_catalog': locationsCatalog,
  '20261122_0003_inventory': inventory,
  '20261122_0004_members': members,
  '20261122_0005_payments': payments,
  '20261122_0006_loyalty': loyalty,
  '20261122_0007_orders': orders,
  '20261122_0008_inventory_quarantine': inventoryQuarantine,
  '20261122_0009_aftersales': aftersales,
  '20261122_0010_reservation_sweep': reservationSweep,
  '20261123_0011_reservation_sweeper_job': reservationSweeperJob,
  '20261123_0012_drop_fulfillments_load_index': dropFulfillmentsLoadIndex,
  '20261123_0013_partial_order_indexes': partialOrderIndexes,
  '20261123_0014_catalog_generation': catalogGeneration,
  '20261123_0015_unpaid_order_sweeper': unpaidOrderSweeper,
  '20261123_0016_unpaid_due_index': unpaidDueIndex,
  '20261202_0017_timeline_codes': timelineCodes,
  '20261202_0018_rate_limits': rateLimits,
  '20261203_0019_api_key_limits': apiKeyLimits,
  '20261203_0020_forwarder_leases': forwarderLeases,
  '20261203_0021_channel_order_limits': channelOrderLimits,
  '20261203_0022_catalog_dictionary': catalogDictionary,
  '20261203_0023_imports': imports,
  '20261203_0024_audience': audience,
  '20261203_0025_audience_activity': audienceActivity,
  '20261203_0026_audience_traits': audienceTraits,
  '20261203_0027_audience_tags': audienceTags,
  '20261203_0028_audience_rfm': audienceRfm,
  '20261203_0029_audience_segments': audienceSegments,
  '20261203_0030_member_codes': memberCodes,
  '20261204_0031_tag_feeds': tagFeeds,
  '20261204_0032_claimable_coupons': claimableCoupons,
  '20261204_0033_carts': carts,
  '20261204_0034_return_requests': returnRequests,
  '20261204_0035_cash_tenders': cashTenders,
  '20261204_0036_rfm_scores_append': rfmScoresAppend,
  '20261204_0037_scheduled_delivery': scheduledDelivery,
  '20261204_0038_activity_set_index': activitySetIndex,
  '20261204_0039_members_not_active': membersNotActive,
};
