import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Privacy (issue 15): a learner's data is exported and erased (server/domain/privacy/). What stays of an
 * erased learner's documents is their codes, as tombstones: a code is never given again, and checking it
 * answers "withdrawn", nothing more (no learner, no certificate, no date but the day it was withdrawn).
 * The erasure itself is recorded in the audit trail, anonymously.
 *
 * Admin roles as they are get the two new capabilities (the default admin role holds every capability but
 * those printed on documents; a role a manager changed is theirs, but these two are new, so nobody chose
 * to leave them out yet).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('withdrawn_codes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('withdrawn_on', 'text', (c) => c.notNull())
    .addColumn('erasure_id', 'text', (c) => c.notNull())
    .execute();

  const roles = await sql<{ id: string; capabilities: string }>`select id, capabilities from roles where name = 'admin'`.execute(db);
  for (const role of roles.rows) {
    const caps = JSON.parse(role.capabilities) as string[];
    const next = [...caps, ...['privacy:export', 'privacy:erase'].filter((c) => !caps.includes(c))];
    if (next.length !== caps.length) await sql`update roles set capabilities = ${JSON.stringify(next)} where id = ${role.id}`.execute(db);
  }
}
