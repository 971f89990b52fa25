import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase, type ScratchDatabase } from '../../support/storage';
import { findTenantBySlug, type Tenant } from '../../../server/domain/tenants';
import { attest, snapshot, withDatabase } from './attest';

/** `attest tenant …` on SQLite and on PostgreSQL, each with a database of its own. */
describe.each(['sqlite', 'postgres'] as const)('attest tenant on %s', (engine) => {
  let scratch: ScratchDatabase;
  let db: string;
  beforeAll(async () => {
    scratch = await scratchDatabase(engine);
    db = scratch.url;
  });
  afterAll(() => scratch.drop());

  const tenant = (slug: string) => withDatabase(db, (s) => findTenantBySlug(s.storage.db, slug));

  it('creates tenants, and --dry-run shows the tenant it would make and writes nothing', async () => {
    for (const slug of ['campus-nord', 'campus-sud', 'shop'])
      expect((await attest('tenant', 'create', slug, '--database', db)).code).toBe(0);
    const before = await snapshot(db);
    const dry = await attest('tenant', 'create', 'campus-est', '--locale', 'en', '--lock', '--dry-run', '--json', '--database', db);
    expect(dry.code, dry.err).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({
      dryRun: true,
      tenant: { slug: 'campus-est', settings: { locale: 'en', delivery_lock: true, organization: { name: 'Training organisation' } } },
    });
    const taken = await attest('tenant', 'create', 'shop', '--dry-run', '--database', db);
    expect([taken.code, taken.err]).toEqual([1, expect.stringContaining('TENANT_EXISTS')]);
    const badSlug = await attest('tenant', 'create', 'Not A Slug', '--dry-run', '--database', db);
    expect([badSlug.code, badSlug.err]).toEqual([1, expect.stringContaining('TENANT_SLUG_INVALID')]);
    expect(await snapshot(db)).toBe(before);
    expect(await tenant('campus-est')).toBeUndefined();
  });

  it('lists and shows the selected tenants as JSON that parses', async () => {
    const all = await attest('tenant', 'list', '--json', '--database', db);
    expect((JSON.parse(all.out) as Tenant[]).map((t) => t.slug).sort()).toEqual(['campus-nord', 'campus-sud', 'shop']);
    const two = await attest('tenant', 'show', '--tenant', 'campus-nord', '--tenant', 'shop', '--json', '--database', db);
    expect(two.code, two.err).toBe(0);
    expect((JSON.parse(two.out) as Tenant[]).map((t) => t.slug)).toEqual(['campus-nord', 'shop']);
    const every = await attest('tenant', 'show', '--all-tenants', '--json', '--database', db);
    expect(JSON.parse(every.out) as Tenant[]).toHaveLength(3);
    const text = await attest('tenant', 'show', '--tenant', 'shop', '--database', db);
    expect(text.out).toMatch(/delivery lock\s+off/);
    const neither = await attest('tenant', 'show', '--database', db);
    expect([neither.code, neither.err]).toEqual([2, expect.stringContaining('--tenant NAME')]);
    const both = await attest('tenant', 'show', '--tenant', 'shop', '--all-tenants', '--database', db);
    expect(both.code).toBe(2);
  });

  it('names an unknown tenant and does nothing anywhere (exit 1)', async () => {
    const before = await snapshot(db);
    const r = await attest('tenant', 'settings', '--tenant', 'shop', '--tenant', 'nowhere', '--delivery-lock', 'on', '--database', db);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no tenant "nowhere"');
    expect(await snapshot(db)).toBe(before);
    expect((await attest('tenant', 'show', '--tenant', 'nowhere', '--database', db)).code).toBe(1);
  });

  it('changes settings on every tenant given, --dry-run shows the result and writes nothing', async () => {
    const before = await snapshot(db);
    const dry = await attest(
      'tenant',
      'settings',
      '--tenant',
      'campus-nord',
      '--tenant',
      'campus-sud',
      '--delivery-lock',
      'on',
      '--show-learner-name',
      'off',
      '--public-base-url',
      'https://certs.example.org',
      '--dry-run',
      '--json',
      '--database',
      db,
    );
    expect(dry.code, dry.err).toBe(0);
    const planned = JSON.parse(dry.out) as {
      dryRun: boolean;
      tenants: { tenant: string; changed: string[]; settings: Tenant['settings'] }[];
    };
    expect(planned.dryRun).toBe(true);
    expect(planned.tenants.map((t) => t.tenant)).toEqual(['campus-nord', 'campus-sud']);
    for (const t of planned.tenants) {
      expect(t.changed.sort()).toEqual(['delivery_lock', 'public_base_url', 'verification_shows']);
      expect(t.settings).toMatchObject({
        delivery_lock: true,
        public_base_url: 'https://certs.example.org',
        verification_shows: { learner_name: false, course: true, dates: true },
      });
    }
    expect(await snapshot(db)).toBe(before);

    const done = await attest(
      'tenant',
      'settings',
      '--tenant',
      'campus-nord',
      '--tenant',
      'campus-sud',
      '--delivery-lock',
      'on',
      '--show-learner-name',
      'off',
      '--locale',
      'en',
      '--organization-name',
      'Campus Group',
      '--database',
      db,
    );
    expect(done.code, done.err).toBe(0);
    expect(done.out).toContain('campus-nord: changed');
    for (const slug of ['campus-nord', 'campus-sud'])
      expect((await tenant(slug))?.settings).toMatchObject({
        delivery_lock: true,
        locale: 'en',
        verification_shows: { learner_name: false, course: true, dates: true },
        organization: { name: 'Campus Group' },
      });
    expect((await tenant('shop'))?.settings.delivery_lock).toBe(false);

    const all = await attest('tenant', 'settings', '--all-tenants', '--completion-tracking', 'off', '--json', '--database', db);
    expect(all.code, all.err).toBe(0);
    expect((JSON.parse(all.out) as unknown[]).length).toBe(3);
    for (const slug of ['campus-nord', 'campus-sud', 'shop']) expect((await tenant(slug))?.settings.completion_tracking).toBe(false);
  });

  it('refuses a bad value with the problem named, before writing to any tenant', async () => {
    const before = await snapshot(db);
    const bad = await attest('tenant', 'settings', '--all-tenants', '--public-base-url', 'ftp://x.example', '--database', db);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('TENANT_SETTINGS_INVALID');
    expect(bad.err).toContain('public_base_url');
    expect((await attest('tenant', 'settings', '--all-tenants', '--delivery-lock', 'maybe', '--database', db)).code).toBe(2);
    expect(await snapshot(db)).toBe(before);
    const removed = await attest(
      'tenant',
      'settings',
      '--tenant',
      'campus-nord',
      '--public-base-url',
      'https://a.example',
      '--database',
      db,
    );
    expect(removed.code).toBe(0);
    expect((await attest('tenant', 'settings', '--tenant', 'campus-nord', '--public-base-url', 'none', '--database', db)).code).toBe(0);
    expect((await tenant('campus-nord'))?.settings.public_base_url).toBeUndefined();
  });

  it('rotates secrets (a dry run keeps them)', async () => {
    const before = await snapshot(db);
    for (const which of ['rotate-webhook-secret', 'rotate-link-secret']) {
      const dry = await attest('tenant', which, 'shop', '--dry-run', '--json', '--database', db);
      expect(JSON.parse(dry.out)).toEqual({ dryRun: true, tenant: 'shop' });
    }
    expect(await snapshot(db)).toBe(before);
    const rotated = await attest('tenant', 'rotate-webhook-secret', 'shop', '--json', '--database', db);
    expect(JSON.parse(rotated.out)).toMatchObject({ tenant: 'shop', webhookSecret: expect.any(String) });
    expect(await snapshot(db)).not.toBe(before);
  });
});
