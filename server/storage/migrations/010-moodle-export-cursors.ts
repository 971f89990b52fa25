import type { Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Where a caller of `mod_pdcertificate_get_certificate_infos` with `issuedfrom=last` got to: the last issue
 * it was given, per caller (the token) and per course. mod_pdcertificate marked the issues themselves as
 * exported, so one system's export hid them from every other; here each caller has its own cursor and
 * the issues are not touched.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('moodle_export_cursors')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // actorRef: 'token:<id>', 'person:<id>', 'system'.
    .addColumn('caller', 'text', (c) => c.notNull())
    // '<cidsource>:<cid>' as the caller named the course.
    .addColumn('course_key', 'text', (c) => c.notNull())
    .addColumn('last_created_at', 'text', (c) => c.notNull())
    .addColumn('last_issue_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('moodle_export_cursors_pk', ['tenant_id', 'caller', 'course_key'])
    .execute();
}
