import type { Kysely } from 'kysely';
import type { Engine } from '../database';

/**
 * Tenants' `public_base_url` is now a plain web address (http or https, no credentials, query or
 * fragment), checked whenever settings are read. One saved before that check that is not such an address
 * is removed here, so the tenant still reads and its documents print the server's own address (the
 * operator is told at start when that one is a loopback address).
 */
export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  const tenants = db as unknown as Kysely<{ tenants: { id: string; settings: string } }>;
  for (const row of await tenants.selectFrom('tenants').select(['id', 'settings']).execute()) {
    const settings = JSON.parse(row.settings) as Record<string, unknown>;
    const value = settings.public_base_url;
    if (value === undefined || (typeof value === 'string' && plainWebAddress(value))) continue;
    delete settings.public_base_url;
    await tenants
      .updateTable('tenants')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', row.id)
      .execute();
  }
}

/** The rule as it stands when this migration was written (server/domain/public-url.ts), kept here as it was. */
function plainWebAddress(value: string): boolean {
  if (!URL.canParse(value) || value.length > 500 || /[?#]/.test(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
}
