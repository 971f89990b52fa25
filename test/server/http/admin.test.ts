import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { ENGINES, freshServices, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * What the settings screen sends, over HTTP on both engines: every field at once, an emptied optional
 * one as null (back to none or to its default), and every problem of a bad form listed with its path.
 */
const pool = useRenderPool(1);

describe.each(ENGINES)('tenant settings as the administration screen saves them (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  const patch = (body: unknown) => call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body });

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('saves the whole form, and null clears an optional setting', async () => {
    const form = {
      completion_tracking: false,
      delivery_lock: true,
      locale: 'en',
      public_base_url: 'https://attest.example.org',
      verification_shows: { learner_name: false, course: true, dates: true },
      organization: { name: 'Institut Exemple', address: '12 rue des Écoles' },
    };
    const saved = await patch(form);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json.settings).toEqual(form);
    const cleared = await patch({ ...form, public_base_url: null, organization: { name: 'Institut Exemple' } });
    expect(cleared.status).toBe(200);
    expect(cleared.json.settings?.public_base_url).toBeUndefined();
    expect(cleared.json.settings?.organization).toEqual({ name: 'Institut Exemple' });
    // A setting with a default goes back to it.
    expect((await patch({ delivery_lock: null })).json.settings?.delivery_lock).toBe(false);
    expect((await call(app.base, 'GET', '/api/v1/tenant', { token: admin })).json.settings?.public_base_url).toBeUndefined();
  });

  it('lists every problem of a bad form, each at its path, and changes nothing', async () => {
    const before = (await call(app.base, 'GET', '/api/v1/tenant', { token: admin })).json.settings;
    const r = await patch({
      completion_tracking: 'yes',
      locale: 'de',
      public_base_url: 'ftp://x.example',
      verification_shows: { learner_name: true, course: true, dates: true, photo: true },
      organization: { name: '' },
    });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('TENANT_SETTINGS_INVALID');
    expect(
      list(r.json.error?.problems)
        .map((p) => String(p.path))
        .sort(),
    ).toEqual(['completion_tracking', 'locale', 'organization.name', 'public_base_url', 'verification_shows.photo']);
    expect((await call(app.base, 'GET', '/api/v1/tenant', { token: admin })).json.settings).toEqual(before);
  });
});
