import type { Db } from '../db';
import type { TenantTable } from '../schema';
import { precompiled } from '../precompiled';

/** Tenants: one per LMS site; its settings are JSON, read by the domain. */
export type TenantRow = Pick<TenantTable, 'id' | 'slug' | 'name' | 'settings'>;

const COLUMNS = ['id', 'slug', 'name', 'settings'] as const;

const tenantByIdQuery = precompiled((db: Db, id: string) => db.selectFrom('tenants').select(COLUMNS).where('id', '=', id));
export const tenantById = async (db: Db, id: string): Promise<TenantRow | undefined> => (await tenantByIdQuery(db, id))[0];

export const tenantBySlug = (db: Db, slug: string): Promise<TenantRow | undefined> =>
  db.selectFrom('tenants').select(COLUMNS).where('slug', '=', slug).executeTakeFirst();

export const allTenants = (db: Db): Promise<TenantRow[]> => db.selectFrom('tenants').select(COLUMNS).orderBy('slug').execute();

export async function insertTenant(db: Db, row: TenantTable): Promise<void> {
  await db.insertInto('tenants').values(row).execute();
}

export async function setTenantSettings(db: Db, id: string, settings: string): Promise<void> {
  await db.updateTable('tenants').set({ settings }).where('id', '=', id).execute();
}

export async function setTenantSecret(db: Db, id: string, secret: { webhook_secret: string } | { link_secret: string }): Promise<void> {
  await db.updateTable('tenants').set(secret).where('id', '=', id).execute();
}

/** A tenant's keys, by id or by the slug a webhook or a link names. */
export const tenantSecrets = (
  db: Db,
  by: { id: string } | { slug: string },
): Promise<Pick<TenantTable, 'id' | 'slug' | 'webhook_secret' | 'link_secret'> | undefined> =>
  db
    .selectFrom('tenants')
    .select(['id', 'slug', 'webhook_secret', 'link_secret'])
    .where('id' in by ? 'id' : 'slug', '=', 'id' in by ? by.id : by.slug)
    .executeTakeFirst();
