import type { Db } from '../db';
import type { TokenTable } from '../schema';
import { precompiled } from '../precompiled';

/** API tokens; the secret is kept only as its hash. */
export const tokensOf = (db: Db, tenantId: string): Promise<TokenTable[]> =>
  db.selectFrom('tokens').selectAll().where('tenant_id', '=', tenantId).orderBy('created_at').execute();

/** By id alone: a bearer token names its row before anyone knows its tenant. */
const tokenByIdQuery = precompiled((db: Db, id: string) => db.selectFrom('tokens').selectAll().where('id', '=', id));
export const tokenById = async (db: Db, id: string): Promise<TokenTable | undefined> => (await tokenByIdQuery(db, id))[0];

export async function insertToken(db: Db, row: TokenTable): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

/** Revokes those of these tokens not yet revoked. */
export async function revokeTokens(db: Db, ids: readonly string[], at: string): Promise<void> {
  if (ids.length)
    await db
      .updateTable('tokens')
      .set({ revoked_at: at })
      .where('id', 'in', [...ids])
      .where('revoked_at', 'is', null)
      .execute();
}

export async function setTokenLastUsed(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Names of the tenant's tokens among these ids. */
export const tokenNames = (db: Db, tenantId: string, ids: readonly string[]): Promise<{ id: string; name: string }[]> =>
  ids.length
    ? db
        .selectFrom('tokens')
        .select(['id', 'name'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .execute()
    : Promise.resolve([]);
