import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Digital signatures (issue 17): each tenant's signing keys and what each document was signed with.
 *
 * A key is generated (self-signed) or imported from PKCS#12; its private key is kept only sealed with the
 * installation key (server/domain/sealing.ts). One key is active per tenant; rotating retires it without
 * deleting it, so documents it signed still verify as the tenant's. `document_signatures` says, per PDF
 * (by its SHA-256), which key signed it, at which level and when: what the verification page shows.
 *
 * Admin and manager roles as they are get `signature:manage` (as 015 did for its capabilities).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('not_after', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await sql`create unique index signing_keys_one_active on signing_keys (tenant_id) where state = 'active'`.execute(db);
  await db.schema.createIndex('signing_keys_fingerprint').on('signing_keys').columns(['tenant_id', 'fingerprint']).execute();

  await db.schema
    .createTable('document_signatures')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('key_id', 'text', (c) => c.notNull().references('signing_keys.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('timestamped_at', 'text')
    .execute();

  const roles = await sql<{
    id: string;
    capabilities: string;
  }>`select id, capabilities from roles where name in ('admin', 'manager')`.execute(db);
  for (const role of roles.rows) {
    const caps = JSON.parse(role.capabilities) as string[];
    if (!caps.includes('signature:manage'))
      await sql`update roles set capabilities = ${JSON.stringify([...caps, 'signature:manage'])} where id = ${role.id}`.execute(db);
  }
}
