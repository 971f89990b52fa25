import type { Db } from '../db';
import type { AuditTable } from '../schema';

/** The audit trail: appended to, never changed. */
export type AuditRow = Omit<AuditTable, 'id'>;

/** Several entries go in one statement. */
export async function appendAudit(db: Db, rows: readonly AuditRow[]): Promise<void> {
  if (!rows.length) return;
  await db
    .insertInto('audit')
    .values([...rows])
    .execute();
}

/** A subject's entries in the order they were written. */
export function auditOf(db: Db, tenantId: string, subjectType: string, subjectId: string) {
  return db
    .selectFrom('audit')
    .select(['action', 'actor', 'at', 'reason', 'details'])
    .where('tenant_id', '=', tenantId)
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
}
