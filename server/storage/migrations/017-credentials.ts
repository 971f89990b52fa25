import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Open Badges 3.0 credentials (issue 17, server/domain/credentials/).
 *
 * `credential_keys`: each tenant's Ed25519 signing keys. The public half is published (did:web, JWKS); the
 * private half is sealed with the installation key (ATTEST_SECRET_KEY), so a copy of the database signs
 * nothing. One active key per tenant (the partial unique index: two concurrent first uses make one key);
 * retired keys stay, published, so what they signed keeps verifying.
 *
 * `credential_status_lists` / `credential_status_slots`: Bitstring Status Lists. Each issue gets one slot
 * (a list and a position in it), kept for good: regenerations keep it, and a slot is never given to
 * another document, even once its issue is erased (a reused position would give an erased learner's
 * credential someone else's status). The list's bits are read from the slots; `revision` counts changes
 * so the signed list (`signed`, for `signed_revision`) is signed again only when a bit changed.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('credential_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('public_key_multibase', 'text', (c) => c.notNull().unique())
    .addColumn('secret_key_sealed', 'text', (c) => c.notNull())
    // 'active' | 'retired'
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX credential_keys_one_active ON credential_keys (tenant_id) WHERE state = 'active'`.execute(db);

  await db.schema
    .createTable('credential_status_lists')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('list', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('signed', 'text')
    .addColumn('signed_revision', 'integer')
    .addColumn('signed_key_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('credential_status_lists_pk', ['tenant_id', 'list'])
    .execute();

  await db.schema
    .createTable('credential_status_slots')
    .addColumn('issue_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('list', 'integer', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credential_status_slots_position', ['tenant_id', 'list', 'position'])
    .execute();
  await db.schema
    .createIndex('credential_status_slots_revoked')
    .on('credential_status_slots')
    .columns(['tenant_id', 'list', 'revoked'])
    .execute();
}
