import type { Db } from '../db';

/** Signatures of the shop's webhooks received: each is accepted once. */
export async function rememberReceipt(db: Db, tenantId: string, signature: string, at: string): Promise<boolean> {
  const fresh = await db
    .insertInto('webhook_deliveries')
    .values({ tenant_id: tenantId, signature, received_at: at })
    .onConflict((oc) => oc.columns(['tenant_id', 'signature']).doNothing())
    .executeTakeFirst();
  return Number(fresh.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteReceiptsBefore(db: Db, before: string): Promise<number> {
  return Number((await db.deleteFrom('webhook_deliveries').where('received_at', '<', before).executeTakeFirst()).numDeletedRows);
}
