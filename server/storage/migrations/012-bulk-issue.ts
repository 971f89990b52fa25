import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Bulk issue (server/domain/bulk-issue.ts). A run is a dry run of a list of learners (sent as JSON or as
 * a CSV file mapped to the template's variables) against one certificate: what each would get, written as
 * items; confirming it puts the items to issue on the job queue (server/jobs/, the queue mass
 * regeneration uses), where each is issued through the single request's path.
 *
 * Personal data: items name learners by their LMS id only. `payload` holds what was sent for a learner
 * to be issued (names, dates, grades: the request's data), only for the items to issue, and only until
 * the item is finished; a dry run never confirmed is deleted a day after it was made, with its payloads.
 * `findings` holds the reasons and data problems said to the caller (binding's messages quote the value
 * that did not fit).
 *
 * Existing tenants' admin and manager roles get the new capability `issues:bulk`.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('bulk_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('certificate_id', 'text', (c) => c.notNull().references('certificates.id').onDelete('cascade'))
    // 'learners' (a JSON list) | 'csv'
    .addColumn('source', 'text', (c) => c.notNull())
    // 'dry-run' | 'running' | 'complete'
    .addColumn('state', 'text', (c) => c.notNull())
    // JSON: the SHA-256 of what the dry run judged by (certificate, template version, tenant settings).
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('chunk_size', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('confirmed_by', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('bulk_runs_state').on('bulk_runs').columns(['state', 'created_at']).execute();
  await db.schema.createIndex('bulk_runs_tenant').on('bulk_runs').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('bulk_items')
    .addColumn('run_id', 'text', (c) => c.notNull().references('bulk_runs.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('learner_id', 'text', (c) => c.notNull())
    // The CSV row (the header is row 1); null for a JSON list.
    .addColumn('row_number', 'integer')
    // What the dry run said: 'issue' | 'already' | 'refused' | 'invalid'
    .addColumn('expected', 'text', (c) => c.notNull())
    // 'planned' (dry run) → 'pending' (confirmed, to issue) → 'issued' | 'already' | 'refused' | 'invalid' | 'failed'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issue_code', 'text')
    // JSON: { reasons?, problems?, warnings?, error? }
    .addColumn('findings', 'text')
    // JSON: { learner_id, available, unavailable_reason?, data }; null once the item is finished.
    .addColumn('payload', 'text')
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('bulk_items_pk', ['run_id', 'position'])
    .execute();
  await db.schema.createIndex('bulk_items_status').on('bulk_items').columns(['run_id', 'status', 'position']).execute();
  await db.schema.createIndex('bulk_items_learner').on('bulk_items').column('learner_id').execute();

  await grantBulkIssue(db);
}

/** Gives `issues:bulk` to every tenant's admin and manager roles (the roles new tenants start with hold it). */
export async function grantBulkIssue(db: Kysely<unknown>): Promise<void> {
  const roles = await sql<{ id: string; name: string; capabilities: string }>`select id, name, capabilities from roles`.execute(db);
  for (const role of roles.rows) {
    if (role.name !== 'admin' && role.name !== 'manager') continue;
    const caps = JSON.parse(role.capabilities) as string[];
    if (caps.includes('issues:bulk')) continue;
    await sql`update roles set capabilities = ${JSON.stringify([...caps, 'issues:bulk'])} where id = ${role.id}`.execute(db);
  }
}
