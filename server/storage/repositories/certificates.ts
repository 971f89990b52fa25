import type { Db } from '../db';
import type { CertificateTable } from '../schema';
import { precompiled } from '../precompiled';

/** Certificates: what a course offers, on a template version, with its delivery settings (JSON). */
const certificateByIdQuery = precompiled((db: Db, id: string, tenantId: string) =>
  db.selectFrom('certificates').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId),
);
export const certificateById = async (db: Db, tenantId: string, id: string): Promise<CertificateTable | undefined> =>
  (await certificateByIdQuery(db, id, tenantId))[0];

export function certificatesOf(db: Db, tenantId: string, filter: { courseId?: string } = {}): Promise<CertificateTable[]> {
  let q = db.selectFrom('certificates').selectAll().where('tenant_id', '=', tenantId);
  if (filter.courseId !== undefined) q = q.where('course_id', '=', filter.courseId);
  return q.orderBy('name').orderBy('id').execute();
}

export async function insertCertificate(db: Db, row: CertificateTable): Promise<void> {
  await db.insertInto('certificates').values(row).execute();
}

export async function updateCertificate(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<Omit<CertificateTable, 'id' | 'tenant_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('certificates').set(set).where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}
