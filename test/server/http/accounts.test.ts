import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES, type Capability } from '../../../server/domain/capabilities';
import type { Actor } from '../../../server/domain/context';
import { createPerson } from '../../../server/domain/people';
import { createTenant, type Tenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { setRoleCapabilities } from '../../../server/domain/roles';
import { signWebhook, WEBHOOK_TOLERANCE_SECONDS } from '../../../server/domain/webhook';
import { requestDocument } from '../../../server/domain/issues';
import { createDownloadLink } from '../../../server/domain/links';
import { pruneExpired } from '../../../server/http/app';
import { RenderPool } from '../../../server/render/pool';
import { ENGINES, freshServices, learnerData, setupTenant, uniqueSlug, useRenderPool, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * Privilege and replay, through the real server on both engines: idempotency keys bound to their caller,
 * operation and request; nobody granting what they do not hold; people, sessions, tokens and secrets
 * with a life; what is kept for a while pruned.
 */
const PASSWORD = 'correct horse battery staple';
const HOUR = 3600_000;

interface World {
  services: TestServices;
  app: Running;
  tenant: Tenant;
  system: Actor;
  /** A token holding every capability. */
  admin: string;
}

async function world(engine: (typeof ENGINES)[number]): Promise<World> {
  // Nothing here renders: a pool without workers.
  const services = await freshServices(engine, { pool: new RenderPool({ size: 0 }) });
  const app = await startApp(services, { pruneEveryMs: 0, limits: { signInPerMinute: 1_000_000, signInPerUsernamePerMinute: 1_000_000 } });
  const tenant = await createTenant(services, { slug: uniqueSlug(), name: 'Institut' });
  const system: Actor = { kind: 'system', tenantId: tenant.id };
  const admin = (await createToken(services, system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  return { services, app, tenant, system, admin };
}

/**
 * A world for the describe block, made before its tests and closed after them. The tests read it through
 * the returned object, whose fields are filled in `beforeAll`.
 */
function useWorld(engine: (typeof ENGINES)[number]): World {
  const w = {} as World;
  beforeAll(async () => {
    Object.assign(w, await world(engine));
  }, 60_000);
  afterAll(async () => {
    await w.app?.close();
  });
  return w;
}

const tokenWith = async (w: World, capabilities: Capability[], expiresAt?: string) =>
  (await createToken(w.services, w.system, { name: 'some', capabilities, ...(expiresAt ? { expiresAt } : {}) })).token;

async function personWithPassword(w: World, username: string, roles: string[] = ['designer']): Promise<string> {
  return (await createPerson(w.services, w.system, { username, displayName: username, password: PASSWORD, roles })).id;
}

async function signInCookie(w: World, username: string, password = PASSWORD): Promise<string> {
  const r = await call(w.app.base, 'POST', '/api/v1/session', { body: { tenant: w.tenant.slug, username, password } });
  expect(r.status, r.text).toBe(200);
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
}

const me = async (w: World, cookie: string) => (await call(w.app.base, 'GET', '/api/v1/me', { cookie })).status;
const csrf = { 'x-attest-csrf': '1' };

describe.each(ENGINES)('Idempotency-Key (%s)', (engine) => {
  const w = useWorld(engine);

  const person = (username: string) => ({ username, display_name: username, roles: [] });
  const post = (token: string, key: string, body: unknown) =>
    call(w.app.base, 'POST', '/api/v1/people', { token, body, headers: { 'idempotency-key': key } });

  it('replays the first answer to the same caller with the same request, and refuses the key for another body, caller or operation', async () => {
    const first = await post(w.admin, 'k-1', person('ana'));
    expect(first.status, first.text).toBe(201);
    const again = await post(w.admin, 'k-1', person('ana'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(first.json.id);

    const otherBody = await post(w.admin, 'k-1', person('bruno'));
    expect(otherBody.status).toBe(422);
    expect(otherBody.json.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Another caller of the same tenant never receives the first caller's answer.
    const other = await tokenWith(w, ['tenant:manage']);
    const otherCaller = await post(other, 'k-1', person('ana'));
    expect(otherCaller.status).toBe(422);
    expect(otherCaller.json.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(otherCaller.text).not.toContain(String(first.json.id));

    const otherOperation = await call(w.app.base, 'POST', '/api/v1/templates', {
      token: w.admin,
      body: { name: 'X' },
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(otherOperation.status).toBe(422);
    expect(otherOperation.json.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('forgets answers after their time to live, and prunes them', async () => {
    const first = await post(w.admin, 'k-ttl', person('carla'));
    expect(first.status).toBe(201);
    w.services.clock.advance(25 * HOUR);
    // The key serves a new request once the old answer has expired.
    const later = await post(w.admin, 'k-ttl', person('dario'));
    expect(later.status, later.text).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    await post(w.admin, 'k-old', person('elsa'));
    w.services.clock.advance(25 * HOUR);
    const removed = await pruneExpired(w.services);
    expect(removed.idempotency).toBeGreaterThanOrEqual(2);
    const left = await w.services.storage.db.selectFrom('idempotency').select('key').where('tenant_id', '=', w.tenant.id).execute();
    expect(left).toEqual([]);
  });

  if (engine === 'postgres') {
    it('compares a request with one still running before waiting for it', async () => {
      // The first request is held inside its transaction by a lock this test takes on the tenant's row
      // (inserting a person checks the tenant it belongs to): it runs exactly as long as the test says.
      const other = await tokenWith(w, ['tenant:manage']);
      const lock = new pg.Client({ connectionString: w.services.url });
      await lock.connect();
      try {
        await lock.query('BEGIN');
        await lock.query('SELECT id FROM tenants WHERE id = $1 FOR UPDATE', [w.tenant.id]);
        const first = post(w.admin, 'k-run', person('fanny'));
        for (;;) {
          const waiting = await lock.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          if ((waiting.rows[0] as { n: number }).n > 0) break;
          await new Promise((r) => setImmediate(r));
        }
        const otherBody = await post(w.admin, 'k-run', person('gaston'));
        expect(otherBody.status).toBe(422);
        expect(otherBody.json.error?.code).toBe('IDEMPOTENCY_KEY_REUSED');
        const otherCaller = await post(other, 'k-run', person('fanny'));
        expect(otherCaller.status).toBe(422);
        const same = post(w.admin, 'k-run', person('fanny'));
        await lock.query('COMMIT');
        const [a, b] = await Promise.all([first, same]);
        expect(a.status, a.text).toBe(201);
        expect(b.status).toBe(201);
        expect(b.json.id).toBe(a.json.id);
        expect(b.headers.get('idempotent-replayed')).toBe('true');
      } finally {
        await lock.end();
      }
    });
  }
});

describe.each(ENGINES)('nobody grants what they do not hold (%s)', (engine) => {
  const w = useWorld(engine);
  let helpdesk: string;
  let adminId: string;
  beforeAll(async () => {
    await setRoleCapabilities(w.services, w.system, 'viewer', ['certificate:view']);
    helpdesk = await tokenWith(w, ['tenant:manage', 'certificate:view']);
    adminId = await personWithPassword(w, 'root', ['admin']);
  }, 60_000);

  it('createPerson refuses roles granting capabilities the caller lacks, each at its path', async () => {
    const r = await call(w.app.base, 'POST', '/api/v1/people', {
      token: helpdesk,
      body: { username: 'mallory', display_name: 'M', roles: ['viewer', 'admin', 'wizard'] },
    });
    expect(r.status).toBe(422);
    expect(list(r.json.error?.problems).map((p) => [p.path, p.code])).toEqual([
      ['roles[1]', 'ROLE_NOT_HELD'],
      ['roles[2]', 'ROLE_UNKNOWN'],
    ]);
    const beyond = await call(w.app.base, 'POST', '/api/v1/people', {
      token: helpdesk,
      body: { username: 'mallory', display_name: 'M', roles: ['admin'] },
    });
    expect(beyond.json.error?.code).toBe('ROLE_NOT_HELD');
    const fine = await call(w.app.base, 'POST', '/api/v1/people', {
      token: helpdesk,
      body: { username: 'mallory', display_name: 'M', roles: ['viewer'] },
    });
    expect(fine.status).toBe(201);
  });

  it('setRole refuses capabilities the caller lacks, and roles granting more than the caller holds', async () => {
    const grant = await call(w.app.base, 'PUT', '/api/v1/roles/viewer', {
      token: helpdesk,
      body: { capabilities: ['certificate:view', 'issues:delete'] },
    });
    expect(grant.status).toBe(422);
    expect(grant.json.error?.code).toBe('ROLE_CAPABILITIES_INVALID');
    expect(list(grant.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['capabilities[1]', 'CAPABILITY_NOT_HELD']]);
    const strip = await call(w.app.base, 'PUT', '/api/v1/roles/admin', { token: helpdesk, body: { capabilities: ['certificate:view'] } });
    expect(strip.status).toBe(403);
    expect(strip.json.error?.code).toBe('ROLE_OUTRANKS_YOU');
    const roles = await call(w.app.base, 'GET', '/api/v1/roles', { token: w.admin });
    expect(list(roles.json).find((r) => String(r.name) === 'admin')?.capabilities).toEqual([...DEFAULT_ROLES.admin!]);
  });

  it('role assignment, password reset, disabling and deletion cannot reach beyond the caller', async () => {
    const mallory = list((await call(w.app.base, 'GET', '/api/v1/people', { token: w.admin })).json).find(
      (p) => String(p.username) === 'mallory',
    )!;
    const promote = await call(w.app.base, 'PATCH', `/api/v1/people/${String(mallory.id)}`, {
      token: helpdesk,
      body: { roles: ['admin'] },
    });
    expect(promote.status).toBe(422);
    expect(list(promote.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['roles[0]', 'ROLE_NOT_HELD']]);
    for (const [method, path, body] of [
      ['PUT', `/api/v1/people/${adminId}/password`, { password: 'taken over at last!' }],
      ['PATCH', `/api/v1/people/${adminId}`, { disabled: true }],
      ['DELETE', `/api/v1/people/${adminId}`, undefined],
      ['DELETE', `/api/v1/people/${adminId}/sessions`, undefined],
    ] as const) {
      const r = await call(w.app.base, method, path, { token: helpdesk, ...(body ? { body } : {}) });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error?.code).toBe('PERSON_OUTRANKS_YOU');
    }
    expect(await me(w, await signInCookie(w, 'root'))).toBe(200);
  });
});

describe.each(ENGINES)('people and their sessions (%s)', (engine) => {
  const w = useWorld(engine);

  it('disabling a person ends their sessions and stops sign-in until enabled again', async () => {
    const id = await personWithPassword(w, 'dana');
    const cookie = await signInCookie(w, 'dana');
    expect(await me(w, cookie)).toBe(200);
    const off = await call(w.app.base, 'PATCH', `/api/v1/people/${id}`, { token: w.admin, body: { disabled: true } });
    expect(off.status, off.text).toBe(200);
    expect(off.json.disabled).toBe(true);
    expect(await me(w, cookie)).toBe(401);
    const refused = await call(w.app.base, 'POST', '/api/v1/session', {
      body: { tenant: w.tenant.slug, username: 'dana', password: PASSWORD },
    });
    expect(refused.json.error?.code).toBe('SIGN_IN_FAILED');
    await call(w.app.base, 'PATCH', `/api/v1/people/${id}`, { token: w.admin, body: { disabled: false } });
    expect(await me(w, await signInCookie(w, 'dana'))).toBe(200);
  });

  it('a reset password ends the sessions and replaces the old password', async () => {
    const id = await personWithPassword(w, 'eric');
    const cookie = await signInCookie(w, 'eric');
    const short = await call(w.app.base, 'PUT', `/api/v1/people/${id}/password`, { token: w.admin, body: { password: 'short' } });
    expect(short.status).toBe(422);
    const r = await call(w.app.base, 'PUT', `/api/v1/people/${id}/password`, {
      token: w.admin,
      body: { password: 'a brand new passphrase' },
    });
    expect(r.status, r.text).toBe(204);
    expect(await me(w, cookie)).toBe(401);
    expect(
      (await call(w.app.base, 'POST', '/api/v1/session', { body: { tenant: w.tenant.slug, username: 'eric', password: PASSWORD } })).status,
    ).toBe(401);
    expect(await me(w, await signInCookie(w, 'eric', 'a brand new passphrase'))).toBe(200);
  });

  it('ends a person’s sessions on demand', async () => {
    const id = await personWithPassword(w, 'fred');
    const one = await signInCookie(w, 'fred');
    const two = await signInCookie(w, 'fred');
    const r = await call(w.app.base, 'DELETE', `/api/v1/people/${id}/sessions`, { token: w.admin });
    expect(r.json).toEqual({ ended: 2 });
    expect([await me(w, one), await me(w, two)]).toEqual([401, 401]);
  });

  it('deleting a person ends their sessions and keeps their username from anyone else', async () => {
    const id = await personWithPassword(w, 'gina');
    const cookie = await signInCookie(w, 'gina');
    expect((await call(w.app.base, 'DELETE', `/api/v1/people/${id}`, { token: w.admin })).status).toBe(204);
    expect(await me(w, cookie)).toBe(401);
    const people = await call(w.app.base, 'GET', '/api/v1/people', { token: w.admin });
    expect(list(people.json).map((p) => p.username)).not.toContain('gina');
    const again = await call(w.app.base, 'POST', '/api/v1/people', {
      token: w.admin,
      body: { username: 'gina', display_name: 'Another Gina', roles: [] },
    });
    expect(again.status).toBe(409);
    expect((await call(w.app.base, 'DELETE', `/api/v1/people/${id}`, { token: w.admin })).status).toBe(404);
  });

  it('a person changes their own password with the current one; their other sessions end, this one stays', async () => {
    await personWithPassword(w, 'hugo');
    const here = await signInCookie(w, 'hugo');
    const elsewhere = await signInCookie(w, 'hugo');
    const wrong = await call(w.app.base, 'PUT', '/api/v1/me/password', {
      cookie: here,
      headers: csrf,
      body: { current_password: 'not my password', new_password: 'another long passphrase' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error?.code).toBe('PASSWORD_WRONG');
    const ok = await call(w.app.base, 'PUT', '/api/v1/me/password', {
      cookie: here,
      headers: csrf,
      body: { current_password: PASSWORD, new_password: 'another long passphrase' },
    });
    expect(ok.status, ok.text).toBe(204);
    expect(await me(w, here)).toBe(200);
    expect(await me(w, elsewhere)).toBe(401);
    expect(await me(w, await signInCookie(w, 'hugo', 'another long passphrase'))).toBe(200);
    const byToken = await call(w.app.base, 'PUT', '/api/v1/me/password', {
      token: w.admin,
      body: { current_password: 'x', new_password: 'another long passphrase' },
    });
    expect(byToken.json.error?.code).toBe('PERSON_REQUIRED');
    // Acting on oneself through the manager's door is refused: no password change without the current one.
    const self = await createPerson(w.services, w.system, { username: 'ines', displayName: 'Ines', password: PASSWORD, roles: ['admin'] });
    const inesCookie = await signInCookie(w, 'ines');
    const reset = await call(w.app.base, 'PUT', `/api/v1/people/${self.id}/password`, {
      cookie: inesCookie,
      headers: csrf,
      body: { password: 'no current password needed?' },
    });
    expect(reset.json.error?.code).toBe('PERSON_IS_YOU');
  });
});

describe.each(ENGINES)('tokens (%s)', (engine) => {
  const w = useWorld(engine);

  it('an expiring token opens nothing after its expiry', async () => {
    const now = w.services.now().getTime();
    const past = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: w.admin,
      body: { name: 'old', capabilities: ['certificate:view'], expires_at: new Date(now - HOUR).toISOString() },
    });
    expect(past.status).toBe(422);
    expect(past.json.error?.code).toBe('TOKEN_EXPIRY_INVALID');
    const r = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: w.admin,
      body: { name: 'day', capabilities: ['certificate:view'], expires_at: new Date(now + HOUR).toISOString() },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json.info?.expiresAt).toBe(new Date(now + HOUR).toISOString());
    const token = String(r.json.token);
    expect((await call(w.app.base, 'GET', '/api/v1/me', { token })).status).toBe(200);
    w.services.clock.advance(2 * HOUR);
    const after = await call(w.app.base, 'GET', '/api/v1/me', { token });
    expect(after.status).toBe(401);
    expect(after.json.error?.code).toBe('TOKEN_INVALID');
  });

  it('revoking a token revokes the tokens made with it, and theirs', async () => {
    const parent = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: w.admin,
      body: { name: 'integration', capabilities: ['tenant:manage', 'certificate:view'] },
    });
    const child = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: String(parent.json.token),
      body: { name: 'child', capabilities: ['tenant:manage', 'certificate:view'] },
    });
    const grandchild = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: String(child.json.token),
      body: { name: 'grandchild', capabilities: ['certificate:view'] },
    });
    expect(child.json.info?.createdBy).toBe(`token:${String(parent.json.info?.id)}`);
    expect(grandchild.json.info?.createdBy).toBe(`token:${String(child.json.info?.id)}`);
    const sibling = await tokenWith(w, ['certificate:view']);
    expect((await call(w.app.base, 'DELETE', `/api/v1/tokens/${String(parent.json.info?.id)}`, { token: w.admin })).status).toBe(204);
    for (const t of [parent, child, grandchild])
      expect((await call(w.app.base, 'GET', '/api/v1/me', { token: String(t.json.token) })).status).toBe(401);
    expect((await call(w.app.base, 'GET', '/api/v1/me', { token: sibling })).status).toBe(200);
    const listed = list((await call(w.app.base, 'GET', '/api/v1/tokens', { token: w.admin })).json);
    expect(
      listed
        .filter((t) => t.revokedAt)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['child', 'grandchild', 'integration']);
  });

  it('a token made by an expiring token expires no later than it', async () => {
    const now = w.services.now().getTime();
    const maker = await tokenWith(w, ['tenant:manage', 'certificate:view'], new Date(now + HOUR).toISOString());
    const inherited = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: maker,
      body: { name: 'inherits', capabilities: ['certificate:view'] },
    });
    expect(inherited.json.info?.expiresAt).toBe(new Date(now + HOUR).toISOString());
    const longer = await call(w.app.base, 'POST', '/api/v1/tokens', {
      token: maker,
      body: { name: 'outlives', capabilities: ['certificate:view'], expires_at: new Date(now + 48 * HOUR).toISOString() },
    });
    expect(longer.status).toBe(422);
    expect(list(longer.json.error?.problems).map((p) => p.code)).toEqual(['TOKEN_OUTLIVES_MAKER']);
  });
});

describe.each(ENGINES)('secrets and pruning (%s)', (engine) => {
  const w = useWorld(engine);

  const deliver = (secret: string, reference: string) => {
    const body = JSON.stringify({ learner_id: 'nobody', reference });
    const ts = Math.floor(w.services.now().getTime() / 1000);
    return call(w.app.base, 'POST', `/api/v1/webhooks/${w.tenant.slug}/shop`, {
      raw: body,
      headers: {
        'content-type': 'application/json',
        'x-attest-timestamp': String(ts),
        'x-attest-signature': signWebhook(secret, ts, body),
      },
    });
  };

  it('a rotated webhook secret refuses deliveries signed with the old one', async () => {
    const old = String((await call(w.app.base, 'GET', '/api/v1/tenant/webhook-secret', { token: w.admin })).json.secret);
    expect((await deliver(old, 'before')).status).toBe(200);
    const rotated = await call(w.app.base, 'POST', '/api/v1/tenant/webhook-secret/rotate', { token: w.admin });
    expect(rotated.status).toBe(200);
    const fresh = String(rotated.json.secret);
    expect(fresh).not.toBe(old);
    const refused = await deliver(old, 'after');
    expect(refused.status).toBe(401);
    expect(refused.json.error?.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect((await deliver(fresh, 'after')).status).toBe(200);
  });

  it('refuses a webhook body that is not UTF-8 with its own code', async () => {
    const secret = String((await call(w.app.base, 'GET', '/api/v1/tenant/webhook-secret', { token: w.admin })).json.secret);
    const body = Buffer.concat([Buffer.from('{"learner_id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const ts = Math.floor(w.services.now().getTime() / 1000);
    const r = await call(w.app.base, 'POST', `/api/v1/webhooks/${w.tenant.slug}/shop`, {
      raw: body,
      headers: {
        'content-type': 'application/json',
        'x-attest-timestamp': String(ts),
        'x-attest-signature': signWebhook(secret, ts, body),
      },
    });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('BODY_NOT_UTF8');
  });

  it('prunes ended sessions, old idempotent answers and webhook receipts past any replay, and keeps the rest', async () => {
    await personWithPassword(w, 'pruned');
    const cookie = await signInCookie(w, 'pruned');
    const secret = String((await call(w.app.base, 'GET', '/api/v1/tenant/webhook-secret', { token: w.admin })).json.secret);
    expect((await deliver(secret, 'old receipt')).status).toBe(200);
    const db = w.services.storage.db;
    const count = async (table: 'sessions' | 'webhook_deliveries') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .where('tenant_id', '=', w.tenant.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const receipts = await count('webhook_deliveries');
    // Within twice the tolerance a receipt still guards against a replay: kept.
    w.services.clock.advance(WEBHOOK_TOLERANCE_SECONDS * 1000 + 1000);
    expect((await pruneExpired(w.services)).webhookReceipts).toBe(0);
    w.services.clock.advance(WEBHOOK_TOLERANCE_SECONDS * 1000);
    expect((await deliver(secret, 'new receipt')).status).toBe(200);
    const pruned = await pruneExpired(w.services);
    expect(pruned.webhookReceipts).toBe(receipts);
    expect(await count('webhook_deliveries')).toBe(1);
    expect(await me(w, cookie)).toBe(200);
    w.services.clock.advance(13 * HOUR);
    expect(await count('sessions')).toBeGreaterThan(0);
    expect((await pruneExpired(w.services)).sessions).toBeGreaterThan(0);
    expect(await count('sessions')).toBe(0);
  });

  it('prunes when the server starts, without being asked', async () => {
    await personWithPassword(w, 'at-start');
    await signInCookie(w, 'at-start');
    w.services.clock.advance(13 * HOUR);
    const sessions = () => w.services.storage.db.selectFrom('sessions').select('id_hash').where('tenant_id', '=', w.tenant.id).execute();
    expect((await sessions()).length).toBe(1);
    const started = await startApp(w.services, { pruneEveryMs: 0 });
    try {
      for (let i = 0; i < 200 && (await sessions()).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await sessions()).toEqual([]);
    } finally {
      await started.close();
    }
  });

  it('prunes periodically, on a timer the server’s close stops', async () => {
    // Only the interval is faked: requests, the database and fetch keep their real timers.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const running = await startApp(w.services, { pruneEveryMs: 60_000 });
      expect(vi.getTimerCount()).toBe(1);
      await personWithPassword(w, 'periodic');
      await signInCookie(w, 'periodic');
      w.services.clock.advance(13 * HOUR);
      const sessions = () => w.services.storage.db.selectFrom('sessions').select('id_hash').where('tenant_id', '=', w.tenant.id).execute();
      expect((await sessions()).length).toBe(1);
      vi.advanceTimersByTime(60_000);
      for (let i = 0; i < 200 && (await sessions()).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(await sessions()).toEqual([]);
      await running.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

const pool = useRenderPool(1);

describe.each(ENGINES)('download links after the link key is rotated (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services, { pruneEveryMs: 0 });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('old links stop working, new ones work', async () => {
    const t = await setupTenant(services);
    const { issue } = await requestDocument(services, t.lms, {
      certificateId: t.certificate.id,
      learnerId: 'linked',
      data: learnerData(),
      available: true,
    });
    const token = (await createToken(services, t.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
    const old = new URL((await createDownloadLink(services, t.admin, issue.code)).url);
    expect((await call(app.base, 'GET', old.pathname + old.search)).status).toBe(200);
    const r = await call(app.base, 'POST', '/api/v1/tenant/link-secret/rotate', { token });
    expect(r.status).toBe(200);
    const refused = await call(app.base, 'GET', old.pathname + old.search);
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('LINK_INVALID');
    const fresh = new URL((await createDownloadLink(services, t.admin, issue.code)).url);
    const ok = await call(app.base, 'GET', fresh.pathname + fresh.search);
    expect(ok.status).toBe(200);
    expect(Buffer.from(ok.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  }, 60_000);
});
