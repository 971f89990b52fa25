import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import type { Actor } from '../../../server/domain/context';
import { createPerson } from '../../../server/domain/people';
import { createTenant, type Tenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { RenderPool } from '../../../server/render/pool';
import { auditOf } from '../../../server/storage/repositories/audit';
import { ENGINES, freshServices, uniqueSlug, type TestServices } from '../../support/storage';
import { call, list, type Answer, startApp, type Running } from '../../support/http';

/**
 * Resetting someone's password, ending their sessions and deleting them, through the real server on both
 * engines, from the hostile side: a person of another tenant is not found (and untouched), a caller
 * without tenant:manage is refused, nobody does these to themselves, a malformed body is refused with its
 * problems; what is done is in the person's audit trail, by whom.
 */
const PASSWORD = 'correct horse battery staple';
const csrf = { 'x-attest-csrf': '1' };

interface Place {
  tenant: Tenant;
  system: Actor;
}

describe.each(ENGINES)('managing another person, hostile callers (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let here: Place;
  let there: Place;
  let admin: string;
  let adminCookie: string;
  let adminId: string;

  const place = async (): Promise<Place> => {
    const tenant = await createTenant(services, { slug: uniqueSlug(), name: 'Institut' });
    return { tenant, system: { kind: 'system', tenantId: tenant.id } };
  };
  const person = async (p: Place, username: string, roles = ['designer']) =>
    (await createPerson(services, p.system, { username, displayName: username, password: PASSWORD, roles })).id;
  const signIn = async (p: Place, username: string, password = PASSWORD): Promise<Answer> =>
    call(app.base, 'POST', '/api/v1/session', { body: { tenant: p.tenant.slug, username, password } });
  const cookieOf = async (p: Place, username: string) => {
    const r = await signIn(p, username);
    expect(r.status, r.text).toBe(200);
    return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  };
  const me = async (cookie: string) => (await call(app.base, 'GET', '/api/v1/me', { cookie })).status;
  /** The three actions on a person, as requests. */
  const actions = (id: string) =>
    [
      ['PUT', `/api/v1/people/${id}/password`, { password: 'a brand new passphrase' }],
      ['DELETE', `/api/v1/people/${id}/sessions`, undefined],
      ['DELETE', `/api/v1/people/${id}`, undefined],
    ] as const;

  beforeAll(async () => {
    services = await freshServices(engine, { pool: new RenderPool({ size: 0 }) });
    app = await startApp(services, { pruneEveryMs: 0, limits: { signInPerMinute: 1_000_000, signInPerUsernamePerMinute: 1_000_000 } });
    here = await place();
    there = await place();
    admin = (await createToken(services, here.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
    adminId = await person(here, 'root', ['admin']);
    adminCookie = await cookieOf(here, 'root');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('a person of another tenant is not found, and keeps their password and sessions', async () => {
    const stranger = await person(there, 'stranger');
    const cookie = await cookieOf(there, 'stranger');
    for (const [method, path, body] of actions(stranger)) {
      for (const auth of [{ token: admin }, { cookie: adminCookie, headers: csrf }]) {
        const r = await call(app.base, method, path, { ...auth, ...(body ? { body } : {}) });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(r.json.error?.code).toBe('PERSON_NOT_FOUND');
      }
    }
    expect(await me(cookie)).toBe(200);
    expect((await signIn(there, 'stranger')).status).toBe(200);
    expect(await auditOf(services.storage.db, there.tenant.id, 'person', stranger)).toHaveLength(3); // created, two sign-ins
  });

  it('refuses callers without tenant:manage, by token or by session', async () => {
    const target = await person(here, 'target');
    const cookie = await cookieOf(here, 'target');
    const viewer = (await createToken(services, here.system, { name: 'view', capabilities: ['certificate:view'] })).token;
    await person(here, 'designer1');
    const designerCookie = await cookieOf(here, 'designer1');
    for (const [method, path, body] of actions(target)) {
      for (const auth of [{ token: viewer }, { cookie: designerCookie, headers: csrf }]) {
        const r = await call(app.base, method, path, { ...auth, ...(body ? { body } : {}) });
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.json.error?.code).toBe('CAPABILITY_REQUIRED');
      }
      const anonymous = await call(app.base, method, path, body ? { body } : {});
      expect(anonymous.status).toBe(401);
    }
    expect(await me(cookie)).toBe(200);
    expect((await signIn(here, 'target')).status).toBe(200);
  });

  it('nobody resets, signs out, deletes or disables themselves this way', async () => {
    for (const [method, path, body] of [...actions(adminId), ['PATCH', `/api/v1/people/${adminId}`, { disabled: true }] as const]) {
      const r = await call(app.base, method, path, { cookie: adminCookie, headers: csrf, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${path}`).toBe(409);
      expect(r.json.error?.code).toBe('PERSON_IS_YOU');
    }
    expect(await me(adminCookie)).toBe(200);
    expect((await signIn(here, 'root')).status).toBe(200);
  });

  it('refuses a malformed reset, listing every problem, and changes nothing', async () => {
    const target = await person(here, 'target2');
    const cookie = await cookieOf(here, 'target2');
    const r = await call(app.base, 'PUT', `/api/v1/people/${target}/password`, {
      token: admin,
      body: { password: 'short', also: 'this' },
    });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('REQUEST_INVALID');
    expect(list(r.json.error?.problems).map((p) => p.path)).toEqual(['password', 'also']);
    // No JSON body at all is a bad request, before any field is looked at.
    expect((await call(app.base, 'PUT', `/api/v1/people/${target}/password`, { token: admin })).status).toBe(400);
    expect(
      (await call(app.base, 'PUT', `/api/v1/people/${'x'.repeat(101)}/password`, { token: admin, body: { password: PASSWORD } })).status,
    ).toBe(422);
    expect(await me(cookie)).toBe(200);
    expect((await signIn(here, 'target2')).status).toBe(200);
  });

  it('does each for a manager, and the person’s audit trail says what and by whom', async () => {
    const target = await person(here, 'target3');
    const cookie = await cookieOf(here, 'target3');
    const reset = await call(app.base, 'PUT', `/api/v1/people/${target}/password`, {
      cookie: adminCookie,
      headers: csrf,
      body: { password: 'a brand new passphrase' },
    });
    expect(reset.status, reset.text).toBe(204);
    expect(await me(cookie)).toBe(401);
    expect((await signIn(here, 'target3')).status).toBe(401);
    const fresh = await signIn(here, 'target3', 'a brand new passphrase');
    expect(fresh.status).toBe(200);
    const ended = await call(app.base, 'DELETE', `/api/v1/people/${target}/sessions`, { cookie: adminCookie, headers: csrf });
    expect(ended.json).toEqual({ ended: 1 });
    expect((await call(app.base, 'DELETE', `/api/v1/people/${target}`, { cookie: adminCookie, headers: csrf })).status).toBe(204);
    expect((await signIn(here, 'target3', 'a brand new passphrase')).status).toBe(401);
    for (const [method, path, body] of actions(target)) {
      const r = await call(app.base, method, path, { token: admin, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${path} of someone deleted`).toBe(404);
    }
    const trail = await auditOf(services.storage.db, here.tenant.id, 'person', target);
    expect(trail.filter((e) => e.actor === `person:${adminId}`).map((e) => e.action)).toEqual([
      'password-reset',
      'sessions-ended',
      'deleted',
    ]);
  });
});
