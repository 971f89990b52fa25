import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { MAX_LOGO_BYTES } from '../../../server/domain/settings';
import { DomainError } from '../../../server/domain/errors';
import { plannedTenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { setTenantSettings } from '../../../server/storage/repositories/tenants';
import { freshServices, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * A tenant's uploaded logo and colour over HTTP: a logo given as a data: URL is a PNG or JPEG by its bytes
 * and at most 200 KB, every problem listed at once beside a bad colour; a logo stored before the rule keeps
 * the settings readable and changeable.
 */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082',
  'hex',
);
const dataUrl = (mime: string, bytes: Buffer) => `data:${mime};base64,${bytes.toString('base64')}`;
const pool = useRenderPool(1);
const SVG = dataUrl('image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'));

describe('tenant logo and colour over HTTP', () => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  const patch = (body: unknown) => call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body });
  const problems = (r: Awaited<ReturnType<typeof call>>) => list(r.json.error?.problems).map((p) => [p.path, p.code]);

  beforeAll(async () => {
    services = await freshServices('sqlite', { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { organization: { name: 'Institut Lumière' } } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('refuses an SVG logo and a colour that is not #rrggbb, both listed', async () => {
    const r = await patch({ organization: { name: 'Institut Lumière', logo: SVG, colour: 'red' } });
    expect(r.status, r.text).toBe(422);
    expect(r.json.error?.code).toBe('TENANT_SETTINGS_INVALID');
    expect(problems(r)).toEqual([
      ['organization.colour', 'INVALID_FORMAT'],
      ['organization.logo', 'LOGO_TYPE'],
    ]);
  });

  it('sniffs the bytes, not the label, and counts the decoded size', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_LOGO_BYTES)]);
    const r = await patch({ organization: { name: 'Institut Lumière', logo: dataUrl('image/jpeg', big) } });
    expect(r.status, r.text).toBe(422);
    expect(problems(r)).toEqual([
      ['organization.logo', 'LOGO_TYPE'],
      ['organization.logo', 'LOGO_TOO_LARGE'],
    ]);
    expect(list(r.json.error?.problems)[1]?.message).toMatch(/201 Ko.*200 Ko/);
    const text = await patch({ organization: { name: 'Institut Lumière', logo: dataUrl('image/png', Buffer.from('not an image')) } });
    expect(problems(text)).toEqual([['organization.logo', 'LOGO_TYPE']]);
  });

  it('keeps a PNG logo, a colour and the revocation reason setting', async () => {
    const logo = dataUrl('image/png', PNG);
    const r = await patch({
      organization: { name: 'Institut Lumière', logo, colour: '#0a7f3c' },
      verification_shows: { learner_name: true, course: true, dates: true, revocation_reason: true },
    });
    expect(r.status, r.text).toBe(200);
    const read = await call(app.base, 'GET', '/api/v1/tenant', { token: admin });
    expect(read.json.settings?.organization).toMatchObject({ logo, colour: '#0a7f3c' });
    expect(read.json.settings?.verification_shows?.revocation_reason).toBe(true);
  });

  it('checks a new tenant’s logo the same way, beside its other problems', () => {
    let caught: unknown;
    try {
      plannedTenant({ slug: 'new-tenant', name: 'New', settings: { locale: 'xx', organization: { name: 'New', logo: SVG } } });
    } catch (e) {
      caught = e;
    }
    const problems = caught instanceof DomainError ? (caught.extra.problems ?? []) : [];
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['locale', 'INVALID_VALUE'],
      ['organization.logo', 'LOGO_TYPE'],
    ]);
  });

  it('leaves a logo stored before the rule readable, and other settings still change', async () => {
    const current = (await call(app.base, 'GET', '/api/v1/tenant', { token: admin })).json.settings;
    await setTenantSettings(
      services.storage.db,
      t.tenant.id,
      JSON.stringify({ ...current, organization: { name: 'Institut Lumière', logo: SVG } }),
    );
    const r = await patch({ delivery_lock: true });
    expect(r.status, r.text).toBe(200);
    expect(r.json.settings?.organization?.logo).toBe(SVG);
  });
});
