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
