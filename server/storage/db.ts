import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

/** A database handle: the database itself or a transaction in it. Every repository takes one. */
export type Db = Kysely<Database> | Transaction<Database>;

/** Runs `work` in one transaction: everything it writes commits together or not at all. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(work);
}

/** Whether the database answers: what /health asks. */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
