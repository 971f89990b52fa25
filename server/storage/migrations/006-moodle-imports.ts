import type { Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * What an import from a Moodle site made: one row per Moodle record (a mod_certificate instance's template
 * and certificate, each issue) naming the Attest row made from it. A second run reads it and does nothing
 * again; a run stopped halfway goes on from it. The site is Moodle's own `siteidentifier`, so two sites
 * with the same ids never mix.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('moodle_imports')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('site', 'text', (c) => c.notNull())
    // 'template', 'certificate' (both keyed by the certificate instance id), 'issue' (certificate_issues.id).
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('moodle_id', 'text', (c) => c.notNull())
    .addColumn('attest_id', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('moodle_imports_pk', ['tenant_id', 'site', 'kind', 'moodle_id'])
    .execute();
}
