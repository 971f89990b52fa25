import { sql, type Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Open Badges 3.0 credentials with documents (issue 17, server/domain/badge-credential.ts): each revision
 * keeps the signed credential it was made with (JSON), so a regenerated document's earlier credential
 * still checks, as superseded, and the credential served is the one the PDF embeds. Null for revisions
 * made without one.
 *
 * Rotating a tenant's signing key is a capability of its own (`credentials:rotate-key`): admin and manager
 * roles as they are get it (new, so nobody chose to leave it out yet), as 015 did for privacy.
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('documents').addColumn('credential', 'text').execute();

  const roles = await sql<{
    id: string;
    capabilities: string;
  }>`select id, capabilities from roles where name in ('admin', 'manager')`.execute(db);
  for (const role of roles.rows) {
    const caps = JSON.parse(role.capabilities) as string[];
    if (caps.includes('credentials:rotate-key')) continue;
    await sql`update roles set capabilities = ${JSON.stringify([...caps, 'credentials:rotate-key'])} where id = ${role.id}`.execute(db);
  }
}
