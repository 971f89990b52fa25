import type { Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Operator tokens: the credential of whoever runs the installation (a hosting provider), which belongs to
 * no tenant and opens only the operator operations (provisioning tenants). Like tenants' API tokens, the
 * secret is kept only as its SHA-256.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('operator_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .addColumn('expires_at', 'text')
    .execute();
}
