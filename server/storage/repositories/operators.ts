import type { Db } from '../db';
import type { OperatorTokenTable } from '../schema';

/** Operator tokens (no tenant); the secret is kept only as its hash. */
export const operatorTokens = (db: Db): Promise<OperatorTokenTable[]> =>
  db.selectFrom('operator_tokens').selectAll().orderBy('created_at').orderBy('id').execute();

export const operatorTokenById = (db: Db, id: string): Promise<OperatorTokenTable | undefined> =>
  db.selectFrom('operator_tokens').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertOperatorToken(db: Db, row: OperatorTokenTable): Promise<void> {
  await db.insertInto('operator_tokens').values(row).execute();
}

/** Revokes the token unless it already is; a revocation keeps its first date. */
export async function revokeOperatorToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('operator_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function setOperatorTokenLastUsed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('operator_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
