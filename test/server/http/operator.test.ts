import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import type { Actor } from '../../../server/domain/context';
import { createOperatorToken, revokeOperatorToken } from '../../../server/domain/operators';
import { createTenant, type Tenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { auditOf } from '../../../server/storage/repositories/audit';
import { RenderPool } from '../../../server/render/pool';
import { ENGINES, freshServices, uniqueSlug, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * Provisioning over the API, through the real server on both engines: a hosting provider's operator token
 * (belonging to no tenant) makes a tenant and its first administrator, who then signs in and works there;
 * the operator token opens nothing of a tenant, and nothing of a tenant opens the operator operations.
 */
const PASSWORD = 'correct horse battery staple';
const CSRF = { 'x-attest-csrf': '1' };

describe.each(ENGINES)('the operator API (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let operator: string;
  let operatorId: string;
  /** An existing tenant, and a token of it holding every capability. */
  let other: Tenant;
  let tenantToken: string;

  beforeAll(async () => {
    // Nothing here renders: a pool without workers.
    services = await freshServices(engine, { pool: new RenderPool({ size: 0 }) });
    app = await startApp(services, { pruneEveryMs: 0, limits: { signInPerMinute: 1_000_000, signInPerUsernamePerMinute: 1_000_000 } });
    const made = await createOperatorToken(services, { name: 'hosting panel' });
    operator = made.token;
    operatorId = made.info.id;
    other = await createTenant(services, { slug: uniqueSlug(), name: 'Autre institut' });
    const system: Actor = { kind: 'system', tenantId: other.id };
    tenantToken = (await createToken(services, system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  const provision = (body: unknown, token = operator) => call(app.base, 'POST', '/api/v1/operator/tenants', { token, body });

  it('provisions a tenant and its administrator, who signs in and works in it; the password is shown once', async () => {
    const slug = uniqueSlug('site');
    const r = await provision({
      slug,
      name: 'Campus Nord',
      settings: { locale: 'en', delivery_lock: true },
      admin: { username: 'claire', display_name: 'Claire Dubois', email: 'claire@example.org' },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.tenant).toMatchObject({ slug, name: 'Campus Nord', settings: { locale: 'en', delivery_lock: true } });
    // The tenant's own language for what the settings did not say.
    expect(r.json.tenant?.settings?.organization?.name).toBe('Training organisation');
    expect(r.json.admin).toMatchObject({ username: 'claire', displayName: 'Claire Dubois', email: 'claire@example.org', roles: ['admin'] });
    const password = String(r.json.password);
    expect(password.length).toBeGreaterThanOrEqual(12);

    // The administrator signs in with it and manages the tenant: a person, then a token.
    const session = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: slug, username: 'claire', password } });
    expect(session.status, session.text).toBe(200);
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const me = await call(app.base, 'GET', '/api/v1/me', { cookie });
    expect(me.json.tenant?.slug).toBe(slug);
    expect(list(me.json.capabilities)).toContain('tenant:manage');
    const person = await call(app.base, 'POST', '/api/v1/people', {
      cookie,
      headers: CSRF,
      body: { username: 'j.moreau', display_name: 'Julien Moreau', roles: ['manager'] },
    });
    expect(person.status, person.text).toBe(201);
    const token = await call(app.base, 'POST', '/api/v1/tokens', {
      cookie,
      headers: CSRF,
      body: { name: 'Moodle', capabilities: ['certificate:view', 'certificate:apply'] },
    });
    expect(token.status, token.text).toBe(201);
    const tenant = await call(app.base, 'GET', '/api/v1/tenant', { token: String(token.json.token) });
    expect(tenant.status).toBe(403); // that token lacks tenant:manage: it is an ordinary token of the tenant
    const own = await call(app.base, 'GET', '/api/v1/tenant', { cookie });
    expect(own.json.settings?.delivery_lock).toBe(true);

    // The audit of the new tenant says the operator made the tenant and its administrator.
    const id = String(r.json.tenant?.id);
    const tenantAudit = await auditOf(services.storage.db, id, 'tenant', id);
    expect(tenantAudit.map((e) => [e.action, e.actor])).toEqual([['created', `operator:${operatorId}`]]);
    const adminAudit = await auditOf(services.storage.db, id, 'person', String(r.json.admin?.id));
    expect(adminAudit[0]).toMatchObject({ action: 'created', actor: `operator:${operatorId}` });

    // Never again: neither the list nor the tenant's page carries the password.
    for (const path of ['/api/v1/operator/tenants', `/api/v1/operator/tenants/${slug}`]) {
      const again = await call(app.base, 'GET', path, { token: operator });
      expect(again.status, path).toBe(200);
      expect(again.text, path).toContain(slug);
      expect(again.text, path).not.toContain(password);
      expect(again.text, path).not.toContain('scrypt');
    }
  });

  it('takes a password given, checked by the rules of people, and answers none', async () => {
    const slug = uniqueSlug('site');
    const r = await provision({ slug, name: 'Given', admin: { username: 'root', display_name: 'Root', password: PASSWORD } });
    expect(r.status, r.text).toBe(201);
    expect(r.json.password).toBeUndefined();
    expect(r.text).not.toContain(PASSWORD);
    const session = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: slug, username: 'root', password: PASSWORD } });
    expect(session.status).toBe(200);
    const short = await provision({
      slug: uniqueSlug('site'),
      name: 'Short',
      admin: { username: 'x', display_name: 'X', password: 'short' },
    });
    expect(short.status).toBe(422);
    expect(list(short.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['admin.password', 'TOO_SMALL']]);
  });

  it('refuses a slug taken, and leaves the tenant there as it was', async () => {
    const r = await provision({ slug: other.slug, name: 'Intruder', admin: { username: 'mallory', display_name: 'Mallory' } });
    expect(r.status).toBe(409);
    expect(r.json.error?.code).toBe('TENANT_EXISTS');
    expect(r.text).not.toContain('"password"');
    // Nothing half made: no administrator was added to the tenant holding the slug.
    const people = await call(app.base, 'GET', '/api/v1/people', { token: tenantToken });
    expect(people.text).not.toContain('mallory');
    const shown = await call(app.base, 'GET', `/api/v1/operator/tenants/${other.slug}`, { token: operator });
    expect(shown.json.name).toBe('Autre institut');
  });

  it('answers a malformed body with every problem at its path', async () => {
    const broken = await call(app.base, 'POST', '/api/v1/operator/tenants', {
      token: operator,
      raw: '{"slug": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.status).toBe(400);
    expect(broken.json.error?.code).toBe('BODY_NOT_JSON');
    const r = await provision({
      slug: 'Not A Slug',
      name: '',
      settings: { locale: 'de', delivery_lock: 'yes', colour: 'red' },
      admin: { username: 'a b', display_name: '', password: 'short', role: 'god' },
      extra: 1,
    });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('REQUEST_INVALID');
    expect(
      list(r.json.error?.problems)
        .map((p) => `${String(p.path)} ${String(p.code)}`)
        .sort(),
    ).toEqual(
      [
        'slug INVALID_FORMAT',
        'name TOO_SMALL',
        'settings.locale INVALID_VALUE',
        'settings.delivery_lock INVALID_TYPE',
        'settings.colour UNRECOGNIZED_KEYS',
        'admin.username INVALID_FORMAT',
        'admin.display_name TOO_SMALL',
        'admin.password TOO_SMALL',
        'admin.role UNRECOGNIZED_KEYS',
        'extra UNRECOGNIZED_KEYS',
      ].sort(),
    );
    const missing = await provision({ slug: uniqueSlug('site'), name: 'No admin' });
    expect(list(missing.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['admin', 'INVALID_TYPE']]);
  });

  it('lists and shows tenants, and changes one’s settings, recorded as the operator', async () => {
    const listed = await call(app.base, 'GET', '/api/v1/operator/tenants', { token: operator });
    expect(listed.status).toBe(200);
    expect(list(listed.json).map((t) => t.slug)).toContain(other.slug);
    const unknown = await call(app.base, 'GET', '/api/v1/operator/tenants/nowhere-at-all', { token: operator });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error?.code).toBe('TENANT_NOT_FOUND');

    const changed = await call(app.base, 'PATCH', `/api/v1/operator/tenants/${other.slug}/settings`, {
      token: operator,
      body: { delivery_lock: true, public_base_url: 'https://certificats.example.org' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json.settings).toMatchObject({ delivery_lock: true, public_base_url: 'https://certificats.example.org' });
    // The tenant's own managers see it.
    const seen = await call(app.base, 'GET', '/api/v1/tenant', { token: tenantToken });
    expect(seen.json.settings?.delivery_lock).toBe(true);
    const audit = await auditOf(services.storage.db, other.id, 'tenant', other.id);
    expect(audit.at(-1)).toMatchObject({ action: 'settings-changed', actor: `operator:${operatorId}` });

    const bad = await call(app.base, 'PATCH', `/api/v1/operator/tenants/${other.slug}/settings`, {
      token: operator,
      body: { locale: 'de' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.code).toBe('TENANT_SETTINGS_INVALID');
    const none = await call(app.base, 'PATCH', '/api/v1/operator/tenants/nowhere-at-all/settings', { token: operator, body: {} });
    expect(none.json.error?.code).toBe('TENANT_NOT_FOUND');
  });

  it('refuses a tenant’s token, a session and no credentials on the operator operations', async () => {
    const slug = uniqueSlug('site');
    await provision({ slug, name: 'Sessions', admin: { username: 'sam', display_name: 'Sam', password: PASSWORD } });
    const session = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: slug, username: 'sam', password: PASSWORD } });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/v1/operator/tenants', { slug: uniqueSlug('site'), name: 'X', admin: { username: 'x', display_name: 'X' } }],
      ['GET', '/api/v1/operator/tenants', undefined],
      ['GET', `/api/v1/operator/tenants/${slug}`, undefined],
      ['PATCH', `/api/v1/operator/tenants/${slug}/settings`, { delivery_lock: true }],
    ];
    for (const [method, path, body] of attempts) {
      const withBody = body === undefined ? {} : { body };
      const byToken = await call(app.base, method, path, { token: tenantToken, ...withBody });
      expect([byToken.status, byToken.json.error?.code], `${method} ${path}`).toEqual([403, 'OPERATOR_REQUIRED']);
      const bySession = await call(app.base, method, path, { cookie, headers: CSRF, ...withBody });
      expect([bySession.status, bySession.json.error?.code], `${method} ${path}`).toEqual([403, 'OPERATOR_REQUIRED']);
      const byNobody = await call(app.base, method, path, withBody);
      expect([byNobody.status, byNobody.json.error?.code], `${method} ${path}`).toEqual([401, 'AUTHENTICATION_REQUIRED']);
    }
    const listed = await call(app.base, 'GET', '/api/v1/operator/tenants', { token: operator });
    expect(list(listed.json).filter((t) => String(t.name) === 'X')).toEqual([]);
  });

  it('opens nothing of a tenant with the operator token, public operations included', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/me', undefined],
      ['GET', '/api/v1/tenant', undefined],
      ['GET', '/api/v1/issues', undefined],
      ['GET', '/api/v1/tokens', undefined],
      ['POST', '/api/v1/people', { username: 'op', display_name: 'Op', roles: ['admin'] }],
      ['POST', '/api/v1/tokens', { name: 'op', capabilities: ['tenant:manage'] }],
      ['PATCH', '/api/v1/tenant/settings', { delivery_lock: false }],
      ['GET', '/api/v1/verify/ABCDE-ABCDE-ABCDE-ABCDE', undefined],
    ] as const) {
      const r = await call(app.base, method, path, { token: operator, ...(body ? { body } : {}) });
      expect([r.status, r.json.error?.code], `${method} ${path}`).toEqual([403, 'OPERATOR_TOKEN_NOT_TENANT']);
    }
  });

  it('refuses a revoked, an expired, a forged and a look-alike operator token alike', async () => {
    const revoked = await createOperatorToken(services, { name: 'revoked' });
    const ok = await call(app.base, 'GET', '/api/v1/operator/tenants', { token: revoked.token });
    expect(ok.status).toBe(200);
    await revokeOperatorToken(services, revoked.info.id);
    const expiring = await createOperatorToken(services, {
      name: 'expiring',
      expiresAt: new Date(services.now().getTime() + 3600_000).toISOString(),
    });
    expect((await call(app.base, 'GET', '/api/v1/operator/tenants', { token: expiring.token })).status).toBe(200);
    services.clock.advance(2 * 3600_000);
    const forged = operator.slice(0, -4) + 'AAAA';
    // A tenant token dressed as an operator token, and the other way round.
    const dressed = tenantToken.replace(/^att_/, 'atop_');
    for (const token of [revoked.token, expiring.token, forged, dressed, 'atop_nothing']) {
      const r = await call(app.base, 'GET', '/api/v1/operator/tenants', { token });
      expect([r.status, r.json.error?.code], token.slice(0, 12)).toEqual([401, 'TOKEN_INVALID']);
    }
    const undressed = await call(app.base, 'GET', '/api/v1/me', { token: operator.replace(/^atop_/, 'att_') });
    expect([undressed.status, undressed.json.error?.code]).toEqual([401, 'TOKEN_INVALID']);
    // The live one still works.
    expect((await call(app.base, 'GET', '/api/v1/operator/tenants', { token: operator })).status).toBe(200);
  });

  it('is described in the API document with its own security scheme', async () => {
    const doc = (await call(app.base, 'GET', '/api/v1/openapi.json')).json as unknown as {
      paths: Record<
        string,
        Record<string, { 'x-capability': string; security: unknown[]; responses: Record<string, { 'x-error-codes'?: string[] }> }>
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    const create = doc.paths['/api/v1/operator/tenants']!.post!;
    expect(create['x-capability']).toBe('operator token');
    expect(create.security).toEqual([{ operator: [] }]);
    expect(create.responses['403']?.['x-error-codes']).toContain('OPERATOR_REQUIRED');
    expect(create.responses['409']?.['x-error-codes']).toContain('TENANT_EXISTS');
    expect(doc.components.securitySchemes.operator).toBeDefined();
    expect(doc.paths['/api/v1/tenant']!.get!.responses['403']?.['x-error-codes']).toContain('OPERATOR_TOKEN_NOT_TENANT');
  });
});
