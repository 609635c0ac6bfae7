import { defineEvent } from '../platform/index.js';
import { Location } from './locations.contract.js';

// The locations events (topic `location`): each carries the warehouse or store as the API shows it now.

export const LocationCreated = defineEvent('location.created', Location);
export const LocationUpdated = defineEvent('location.updated', Location);
