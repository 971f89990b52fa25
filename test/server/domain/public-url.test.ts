import { describe, expect, it } from 'vitest';
import { getTenant } from '../../../server/domain/tenants';
import { openStorage } from '../../../server/storage/database';
import { ENGINES, freshServices, setupTenant, useRenderPool } from '../../support/storage';

const pool = useRenderPool(1);

describe.each(ENGINES)('a tenant’s public address saved before it was checked (%s)', (engine) => {
  it('is removed by the migration, so the tenant still reads (and documents print the server’s address)', async () => {
    const s = await freshServices(engine, { pool: pool() });
    const fx = await setupTenant(s);
    const good = await setupTenant(s, { settings: { public_base_url: 'https://certs.example.org' } });
    // What an older version accepted: any scheme, credentials and all.
    const row = await s.storage.db.selectFrom('tenants').select('settings').where('id', '=', fx.tenant.id).executeTakeFirstOrThrow();
    const old = { ...(JSON.parse(row.settings) as Record<string, unknown>), public_base_url: 'javascript:alert(1)' };
    await s.storage.db
      .updateTable('tenants')
      .set({ settings: JSON.stringify(old) })
      .where('id', '=', fx.tenant.id)
      .execute();
    await expect(getTenant(s.storage.db, fx.tenant.id)).rejects.toThrow();
    await s.storage.db
      .deleteFrom('kysely_migration' as never)
      .where('name' as never, '=', '004-public-base-url' as never)
      .execute();
    await s.storage.close();

    const reopened = await openStorage(s.url);
    try {
      const tenant = await getTenant(reopened.db, fx.tenant.id);
      expect(tenant.settings.public_base_url).toBeUndefined();
      expect(tenant.settings.organization).toEqual(fx.tenant.settings.organization);
      expect((await getTenant(reopened.db, good.tenant.id)).settings.public_base_url).toBe('https://certs.example.org');
    } finally {
      await reopened.close();
    }
  });
});
