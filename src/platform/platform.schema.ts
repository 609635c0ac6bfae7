import type { Generated } from 'kysely';

/** Row types of the platform's own tables (snake_case, as stored). */
export interface PlatformTables {
  users: UsersTable;
  api_keys: ApiKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox_events: OutboxEventsTable;
  event_consumers: EventConsumersTable;
  jobs: JobsTable;
  rate_limit_windows: RateLimitWindowsTable;
}

export interface UsersTable {
  username: string;
  password_hash: string;
  role: string;
  store_code: string | null;
  display_name: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  channel: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
  /** The key's own request limit; null takes the platform's default. */
  requests_per_minute: number | null;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_body: string | null;
  locked_until: string;
  created_at: string;
}

export interface OutboxEventsTable {
  seq: Generated<number>;
  event_id: string;
  type: string;
  topic: string;
  stream: string;
  location: string | null;
  payload: string;
  occurred_at: string;
  position: number | null;
}

export interface EventConsumersTable {
  name: string;
  position: number;
  updated_at: string;
  /** The node running a forwarder, and until when (epoch ms) unless it renews; consumers lock the row instead. */
  held_by: string | null;
  held_until: number | null;
}

export interface JobsTable {
  id: string;
  kind: string;
  key: string | null;
  payload: string;
  state: 'pending' | 'failed';
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** One rate-limit counter: requests in the window that ends at `reset_at` (epoch ms). */
export interface RateLimitWindowsTable {
  key: string;
  count: number;
  reset_at: number;
}
