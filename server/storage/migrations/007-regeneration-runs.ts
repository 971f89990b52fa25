import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Mass regeneration (`attest regenerate`). A run is one tenant's selection frozen into items when it
 * starts; an item is marked done in the same transaction as its issue's new revision, so a run killed at
 * any point and resumed makes each document once. The items table is the queue on SQLite; on PostgreSQL
 * pg-boss carries the chunks of a run between processes, the items table still decides what is done.
 *
 * `inputs_sha256` (issues: the current revision's; documents: each revision's) is the SHA-256 of what a
 * document was made from (regeneration.ts, "changed-only"): issues rendered before this migration have
 * none, and count as changed.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('issues').addColumn('inputs_sha256', 'text').execute();
  await db.schema.alterTable('documents').addColumn('inputs_sha256', 'text').execute();

  await db.schema
    .createTable('regeneration_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    // What was asked (selection, changed-only, version to use), hashed: the same command finds its unfinished run.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('selection', 'text', (c) => c.notNull())
    .addColumn('changed_only', 'integer', (c) => c.notNull())
    .addColumn('template_version_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('chunk_size', 'integer', (c) => c.notNull())
    .addColumn('selected', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // One unfinished run per tenant and command: two processes starting the same command share one run.
  await sql`CREATE UNIQUE INDEX regeneration_runs_open ON regeneration_runs (tenant_id, fingerprint) WHERE state = 'running'`.execute(db);

  await db.schema
    .createTable('regeneration_items')
    .addColumn('run_id', 'text', (c) => c.notNull().references('regeneration_runs.id').onDelete('cascade'))
    .addColumn('issue_id', 'text', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    // 'pending' | 'done' | 'skipped' | 'failed'
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('template_version_id', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('regeneration_items_pk', ['run_id', 'issue_id'])
    .execute();
  await db.schema.createIndex('regeneration_items_status').on('regeneration_items').columns(['run_id', 'status', 'position']).execute();
  await db.schema.createIndex('regeneration_items_issue').on('regeneration_items').column('issue_id').execute();
}
