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
 *
 * pg-boss sends some of its work as one text `BEGIN; …; COMMIT;`. When a statement in it fails (two
 * processes creating the queue at once), the connection is left inside an aborted transaction, and the
 * pool would hand it to the next query ("current transaction is aborted"), or keep its locks while other
 * processes wait on them. Outside a transaction of ours, each text therefore runs on a connection of its
 * own that is rolled back on failure before it goes back to the pool.
 */
export function rawExecutor(db: Db): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  return {
    async executeSql(text, values = []) {
      const query = CompiledQuery.raw(text, values);
      if (db.isTransaction) return { rows: (await db.executeQuery(query)).rows };
      return db.connection().execute(async (connection) => {
        try {
          return { rows: (await connection.executeQuery(query)).rows };
        } catch (e) {
          await connection.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
          throw e;
        }
      });
    },
  };
}
