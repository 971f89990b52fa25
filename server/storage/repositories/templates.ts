import type { Db } from '../db';
import type { BlobTable, TemplateTable, TemplateVersionTable } from '../schema';

/** Templates (drafts), their published versions and the asset bytes (blobs, by SHA-256). */
export const templatesOf = (db: Db, tenantId: string): Promise<Pick<TemplateTable, 'id' | 'name' | 'updated_at'>[]> =>
  db
    .selectFrom('templates')
    .select(['id', 'name', 'updated_at'])
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .orderBy('name')
    .execute();

export const templateById = (db: Db, tenantId: string, id: string): Promise<TemplateTable | undefined> =>
  db
    .selectFrom('templates')
    .selectAll()
    .where('id', '=', id)
    .where('tenant_id', '=', tenantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();

export async function insertTemplate(db: Db, row: TemplateTable): Promise<void> {
  await db.insertInto('templates').values(row).execute();
}

export async function updateTemplate(
  db: Db,
  tenantId: string,
  id: string,
  set: Partial<Pick<TemplateTable, 'name' | 'draft_source' | 'draft_assets' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('templates').set(set).where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}

export async function deleteTemplate(db: Db, tenantId: string, id: string): Promise<void> {
  await db.deleteFrom('templates').where('id', '=', id).where('tenant_id', '=', tenantId).execute();
}

/** Each version with the certificates on it (one row per version and certificate; none for a version without). */
export function versionsWithCertificates(db: Db, tenantId: string, templateId?: string) {
  let q = db
    .selectFrom('template_versions')
    .leftJoin('certificates', 'certificates.template_version_id', 'template_versions.id')
    .select([
      'template_versions.id',
      'template_versions.template_id',
      'template_versions.number',
      'template_versions.published_at',
      'template_versions.published_by',
      'certificates.id as cid',
      'certificates.name as cname',
    ])
    .where('template_versions.tenant_id', '=', tenantId)
    .orderBy('template_versions.number');
  if (templateId) q = q.where('template_versions.template_id', '=', templateId);
  return q.execute();
}

export const hasVersions = async (db: Db, templateId: string): Promise<boolean> =>
  (await db.selectFrom('template_versions').select('id').where('template_id', '=', templateId).executeTakeFirst()) !== undefined;

export const versionById = (db: Db, tenantId: string, id: string): Promise<TemplateVersionTable | undefined> =>
  db.selectFrom('template_versions').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();

export const versionIdByNumber = (db: Db, tenantId: string, templateId: string, number: number): Promise<string | undefined> =>
  db
    .selectFrom('template_versions')
    .select('id')
    .where('template_id', '=', templateId)
    .where('tenant_id', '=', tenantId)
    .where('number', '=', number)
    .executeTakeFirst()
    .then((r) => r?.id);

/** The highest version number of a template; 0 before its first publication. */
export const lastVersionNumber = async (db: Db, templateId: string): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('template_versions')
        .select((eb) => eb.fn.max('number').as('n'))
        .where('template_id', '=', templateId)
        .executeTakeFirst()
    )?.n ?? 0,
  );

export async function insertVersion(db: Db, row: TemplateVersionTable): Promise<void> {
  await db.insertInto('template_versions').values(row).execute();
}

/** Stores bytes once by their SHA-256; bytes already there are kept as they are. */
export async function putBlob(db: Db, row: BlobTable): Promise<void> {
  await db
    .insertInto('blobs')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export const blobInfos = (db: Db, sha256s: readonly string[]): Promise<Pick<BlobTable, 'sha256' | 'size' | 'media_type'>[]> =>
  sha256s.length
    ? db
        .selectFrom('blobs')
        .select(['sha256', 'size', 'media_type'])
        .where('sha256', 'in', [...sha256s])
        .execute()
    : Promise.resolve([]);

export const blobBytes = (db: Db, sha256s: readonly string[]): Promise<Pick<BlobTable, 'sha256' | 'bytes'>[]> =>
  sha256s.length
    ? db
        .selectFrom('blobs')
        .select(['sha256', 'bytes'])
        .where('sha256', 'in', [...sha256s])
        .execute()
    : Promise.resolve([]);

export const blobById = (db: Db, sha256: string): Promise<Pick<BlobTable, 'bytes' | 'media_type'> | undefined> =>
  db.selectFrom('blobs').select(['bytes', 'media_type']).where('sha256', '=', sha256).executeTakeFirst();
