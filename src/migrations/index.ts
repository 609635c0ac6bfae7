import type { Migration } from 'kysely';
import * as platform from './20261122_0001_platform.js';

/** Every migration, by sortable name. Add new ones at the end; never edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '20261122_0001_platform': platform,
};
