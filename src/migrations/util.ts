import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Migrations are frozen in time: they use Kysely<any> and nothing from the application, so that a later change
// of the code cannot change what an old migration did.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-incrementing 64-bit primary key on either engine: `.addColumn(name, ...serialKey(db))`. */
export function serialKey(
  db: Kysely<any>,
): ['bigserial' | 'integer', (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return isPostgres(db)
    ? ['bigserial', (c) => c.primaryKey()]
    : ['integer', (c) => c.primaryKey().autoIncrement()];
}

/** The row of a recurring job (a sweeper) that every database has from its migrations: due at once, never given up. */
export function recurringJobRow(key: string, idPrefix: string) {
  const now = new Date().toISOString();
  return {
    id: `${idPrefix}_${Date.now().toString(36)}`,
    kind: key,
    key,
    payload: '{}',
    state: 'pending',
    run_at: now,
    attempts: 0,
    max_attempts: 1_000_000,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
  };
}
