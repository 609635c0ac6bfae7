import type { Kysely } from 'kysely';

// Reservations expire through one sweeping job that looks for the due ones, instead of a job per reservation.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('reservations_due')
    .on('reservations')
    .columns(['status', 'expires_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('reservations_due').execute();
}
