import type { Db } from '../db';
import type { IdempotencyTable } from '../schema';

/** Answers kept by Idempotency-Key, per tenant. A row with no status is a request still running. */
export async function claimKey(db: Db, row: IdempotencyTable): Promise<boolean> {
  const r = await db
    .insertInto('idempotency')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export const keptAnswer = (db: Db, tenantId: string, key: string): Promise<IdempotencyTable | undefined> =>
  db.selectFrom('idempotency').selectAll().where('tenant_id', '=', tenantId).where('key', '=', key).executeTakeFirst();

export async function keepAnswer(db: Db, tenantId: string, key: string, status: number, response: string): Promise<void> {
  await db.updateTable('idempotency').set({ status, response }).where('tenant_id', '=', tenantId).where('key', '=', key).execute();
}

export async function releaseKey(db: Db, tenantId: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency').where('tenant_id', '=', tenantId).where('key', '=', key).execute();
}

/** Forgets the key's finished answer if it was made before `before`; whether it did. */
export async function forgetAnswerBefore(db: Db, tenantId: string, key: string, before: string): Promise<boolean> {
  const r = await db
    .deleteFrom('idempotency')
    .where('tenant_id', '=', tenantId)
    .where('key', '=', key)
    .where('status', 'is not', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function deleteAnswersBefore(db: Db, before: string): Promise<number> {
  return Number((await db.deleteFrom('idempotency').where('created_at', '<', before).executeTakeFirst()).numDeletedRows);
}
