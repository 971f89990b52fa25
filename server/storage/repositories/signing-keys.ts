import type { Db } from '../db';
import type { DocumentSignatureTable, SigningKeyTable } from '../schema';

/** The tenant's signing keys: the active one first, then the retired ones, most recently retired first. */
export async function signingKeysOf(db: Db, tenantId: string): Promise<SigningKeyTable[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().where('tenant_id', '=', tenantId).execute();
  const rank = (r: SigningKeyTable) => `${r.state === 'active' ? 1 : 0}${r.retired_at ?? ''}${r.created_at}`;
  return rows.sort((a, b) => (rank(a) < rank(b) ? 1 : rank(a) > rank(b) ? -1 : 0));
}

export const activeSigningKey = (db: Db, tenantId: string): Promise<SigningKeyTable | undefined> =>
  db.selectFrom('signing_keys').selectAll().where('tenant_id', '=', tenantId).where('state', '=', 'active').executeTakeFirst();

export const signingKeyById = (db: Db, tenantId: string, id: string): Promise<SigningKeyTable | undefined> =>
  db.selectFrom('signing_keys').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();

export const signingKeyByFingerprint = (db: Db, tenantId: string, fingerprint: string): Promise<SigningKeyTable | undefined> =>
  db.selectFrom('signing_keys').selectAll().where('tenant_id', '=', tenantId).where('fingerprint', '=', fingerprint).executeTakeFirst();

/** Retires the active key (if any) and makes this one active, in the caller's transaction. */
export async function activateSigningKey(db: Db, row: SigningKeyTable, at: string): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ state: 'retired', retired_at: at })
    .where('tenant_id', '=', row.tenant_id)
    .where('state', '=', 'active')
    .execute();
  await db.insertInto('signing_keys').values(row).execute();
}

export async function recordDocumentSignature(db: Db, row: DocumentSignatureTable): Promise<void> {
  await db
    .insertInto('document_signatures')
    .values(row)
    .onConflict((c) => c.column('sha256').doNothing())
    .execute();
}

export const documentSignature = (db: Db, tenantId: string, sha256: string): Promise<DocumentSignatureTable | undefined> =>
  db.selectFrom('document_signatures').selectAll().where('tenant_id', '=', tenantId).where('sha256', '=', sha256).executeTakeFirst();
