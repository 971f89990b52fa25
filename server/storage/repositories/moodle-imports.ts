import type { Db } from '../db';
import type { MoodleImportTable } from '../schema';

/** What an import from a Moodle site made from each of its records (server/domain/imports.ts). */
export type ImportKind = 'template' | 'certificate' | 'issue';

export const importedId = (db: Db, tenantId: string, site: string, kind: ImportKind, moodleId: string): Promise<string | undefined> =>
  db
    .selectFrom('moodle_imports')
    .select('attest_id')
    .where('tenant_id', '=', tenantId)
    .where('site', '=', site)
    .where('kind', '=', kind)
    .where('moodle_id', '=', moodleId)
    .executeTakeFirst()
    .then((r) => r?.attest_id);

/** The Moodle ids of `moodleIds` already imported, with what they became: one query for a page of issues. */
export async function importedIds(
  db: Db,
  tenantId: string,
  site: string,
  kind: ImportKind,
  moodleIds: readonly string[],
): Promise<Map<string, string>> {
  if (!moodleIds.length) return new Map();
  const rows = await db
    .selectFrom('moodle_imports')
    .select(['moodle_id', 'attest_id'])
    .where('tenant_id', '=', tenantId)
    .where('site', '=', site)
    .where('kind', '=', kind)
    .where('moodle_id', 'in', [...moodleIds])
    .execute();
  return new Map(rows.map((r) => [r.moodle_id, r.attest_id]));
}

/** Records what a Moodle record became; a record already recorded keeps its first answer. */
export async function recordImport(db: Db, row: MoodleImportTable): Promise<void> {
  await db
    .insertInto('moodle_imports')
    .values(row)
    .onConflict((oc) => oc.columns(['tenant_id', 'site', 'kind', 'moodle_id']).doNothing())
    .execute();
}

export async function countImported(db: Db, tenantId: string, site: string, kind: ImportKind): Promise<number> {
  const r = await db
    .selectFrom('moodle_imports')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('site', '=', site)
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Which tenant's issue holds a code, if any: codes are unique across tenants (the verification page is global). */
export const issueHoldingCode = (db: Db, code: string) =>
  db.selectFrom('issues').select(['id', 'tenant_id', 'certificate_id', 'learner_id']).where('code', '=', code).executeTakeFirst();

export const issueRowById = (db: Db, tenantId: string, id: string) =>
  db.selectFrom('issues').selectAll().where('id', '=', id).where('tenant_id', '=', tenantId).executeTakeFirst();
