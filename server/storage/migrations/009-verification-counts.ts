import type { Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * How often each document was checked on the public verification endpoints, per day: a counter, never who
 * looked (no address, no agent, no time finer than the day), so the dashboard can say "verified" per week
 * and per document without the verification page becoming a record of who checks whom.
 *
 * The dashboard counts the audit's issued, delivered and locked entries per day of a range: an index on
 * (tenant, action, at) keeps that to the range's rows instead of the tenant's whole trail.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('verification_counts')
    .ifNotExists()
    .addColumn('issue_id', 'text', (c) => c.notNull().references('issues.id').onDelete('cascade'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('verification_counts_pk', ['issue_id', 'day'])
    .execute();
  await db.schema
    .createIndex('verification_counts_tenant_day')
    .ifNotExists()
    .on('verification_counts')
    .columns(['tenant_id', 'day'])
    .execute();
  await db.schema.createIndex('audit_tenant_action_at').ifNotExists().on('audit').columns(['tenant_id', 'action', 'at']).execute();
}
