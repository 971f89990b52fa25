import type { Db } from '../db';
import type { RefusalTable } from '../schema';

/** The last refusal of each learner's request for a certificate. */
export async function putRefusal(db: Db, row: RefusalTable): Promise<void> {
  await db
    .insertInto('refusals')
    .values(row)
    .onConflict((oc) => oc.columns(['certificate_id', 'learner_id']).doUpdateSet({ reasons: row.reasons, at: row.at }))
    .execute();
}

export async function clearRefusal(db: Db, certificateId: string, learnerId: string): Promise<void> {
  await db.deleteFrom('refusals').where('certificate_id', '=', certificateId).where('learner_id', '=', learnerId).execute();
}

/** The newest 500 of a tenant's refusals, optionally of one certificate or learner. */
export function refusalsOf(db: Db, tenantId: string, filter: { certificateId?: string; learnerId?: string }): Promise<RefusalTable[]> {
  let q = db.selectFrom('refusals').selectAll().where('tenant_id', '=', tenantId);
  if (filter.certificateId !== undefined) q = q.where('certificate_id', '=', filter.certificateId);
  if (filter.learnerId !== undefined) q = q.where('learner_id', '=', filter.learnerId);
  return q.orderBy('at', 'desc').limit(500).execute();
}
