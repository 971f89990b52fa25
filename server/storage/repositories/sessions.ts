import type { Db } from '../db';
import type { SessionTable } from '../schema';

/** Sessions, found by the SHA-256 of their cookie. */
export async function insertSession(db: Db, row: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export const sessionByHash = (db: Db, idHash: string): Promise<SessionTable | undefined> =>
  db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends a person's sessions, but the one kept (its hash); returns how many ended. */
export async function deleteSessionsOf(db: Db, personId: string, keepHash?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('person_id', '=', personId);
  if (keepHash !== undefined) query = query.where('id_hash', '!=', keepHash);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

export async function deleteSessionsEndedBy(db: Db, at: string): Promise<number> {
  return Number((await db.deleteFrom('sessions').where('expires_at', '<=', at).executeTakeFirst()).numDeletedRows);
}
