import { CompiledQuery, sql, type Kysely, type Transaction } from 'kysely';
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

/**
 * A plain SQL executor over a handle (the database or a transaction): what pg-boss is given, so its
 * queue lives in the same PostgreSQL pool, and a job can be put on it inside one of our transactions.
 */
export function rawExecutor(db: Db): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text, values = []) {
      return { rows: (await db.executeQuery(CompiledQuery.raw(text, values))).rows };
    },
  };
}
