import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createPerson } from '../../../server/domain/people';
import { createTenant, type Tenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { RenderPool } from '../../../server/render/pool';
import { MAX_ASSET_BYTES } from '../../../templates/assets';
import { freshServices, uniqueSlug, type TestServices } from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';

/**
 * What the server decides before an operation runs: who the client is (and whose X-Forwarded-For to
 * believe), whether it may send a body at all, how large, in which encoding, and the cookies it carries.
 */
const PASSWORD = 'correct horse battery staple';
let services: TestServices;
let app: Running;
let tenant: Tenant;
let token: string;

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: new RenderPool({ size: 0 }) });
  app = await startApp(services, { pruneEveryMs: 0 });
  tenant = await createTenant(services, { slug: uniqueSlug(), name: 'Institut' });
  token = (await createToken(services, { kind: 'system', tenantId: tenant.id }, { name: 'all', capabilities: [...ALL_CAPABILITIES] }))
    .token;
  await createPerson(
    services,
    { kind: 'system', tenantId: tenant.id },
    { username: 'dana', displayName: 'Dana', password: PASSWORD, roles: ['designer'] },
  );
}, 60_000);
afterAll(async () => {
  await app?.close();
});

/** Statuses of `n` calls, each claiming to come from its own address. */
async function fromManyAddresses(
  base: string,
  n: number,
  send: (i: number, headers: Record<string, string>) => Promise<{ status: number }>,
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await send(i, { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
  return statuses;
}

describe('the client address', () => {
  it('ignores X-Forwarded-For by default: the rate limit is keyed by the socket’s address', async () => {
    const strict = await startApp(services, { pruneEveryMs: 0, limits: { verifyPerMinute: 1 } });
    try {
      const statuses = await fromManyAddresses(strict.base, 12, (_i, headers) =>
        call(strict.base, 'GET', '/api/v1/verify/AAAAA-AAAAA-AAAAA-AAAAA', { headers }),
      );
      expect(statuses).toContain(429);
    } finally {
      await strict.close();
    }
  });

  it('believes X-Forwarded-For from the proxies the trust proxy setting names', async () => {
    const proxied = await startApp(services, { pruneEveryMs: 0, trustProxy: 'loopback', limits: { verifyPerMinute: 1 } });
    try {
      const statuses = await fromManyAddresses(proxied.base, 12, (_i, headers) =>
        call(proxied.base, 'GET', '/api/v1/verify/AAAAA-AAAAA-AAAAA-AAAAA', { headers }),
      );
      expect(statuses).not.toContain(429);
    } finally {
      await proxied.close();
    }
  });

  it('limits sign-in per username too, from however many addresses', async () => {
    const proxied = await startApp(services, {
      pruneEveryMs: 0,
      trustProxy: 'loopback',
      limits: { signInPerMinute: 1_000_000, signInPerUsernamePerMinute: 1 },
    });
    try {
      const guesses = await fromManyAddresses(proxied.base, 12, (i, headers) =>
        call(proxied.base, 'POST', '/api/v1/session', {
          headers,
          body: { tenant: tenant.slug, username: 'dana', password: `guess number ${i}` },
        }),
      );
      expect(guesses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(guesses.at(-1)).toBe(429);
      // Another username is not held back by dana's.
      const other = await call(proxied.base, 'POST', '/api/v1/session', {
        body: { tenant: tenant.slug, username: 'someone-else', password: 'whatever it is' },
      });
      expect(other.status).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});

describe('rate limits', () => {
  it('limit before the body is read: a flood of large sign-ins is answered 429, not parsed', async () => {
    const strict = await startApp(services, { pruneEveryMs: 0, limits: { signInPerMinute: 1 } });
    try {
      for (let i = 0; i < 10; i++)
        await call(strict.base, 'POST', '/api/v1/session', {
          body: { tenant: tenant.slug, username: 'dana', password: `guess number ${i}` },
        });
      const r = await call(strict.base, 'POST', '/api/v1/session', {
        raw: `{"x":"${'a'.repeat(3_000_000)}"}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(r.status).toBe(429);
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('slows guessing the current password through a session, per account', async () => {
    const strict = await startApp(services, { pruneEveryMs: 0, limits: { signInPerUsernamePerMinute: 1 } });
    try {
      const signedIn = await call(strict.base, 'POST', '/api/v1/session', {
        body: { tenant: tenant.slug, username: 'dana', password: PASSWORD },
      });
      const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        statuses.push(
          (
            await call(strict.base, 'PUT', '/api/v1/me/password', {
              cookie,
              headers: { 'x-attest-csrf': '1' },
              body: { current_password: `guess number ${i}`, new_password: 'whatever comes next' },
            })
          ).status,
        );
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await strict.close();
    }
  });
});

describe('the session cookie', () => {
  it('is Secure when the public address is https, even over a plain connection from a proxy', async () => {
    const plain = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: tenant.slug, username: 'dana', password: PASSWORD } });
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i);
    const base = services.baseUrl;
    services.baseUrl = 'https://attest.example';
    try {
      const r = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: tenant.slug, username: 'dana', password: PASSWORD } });
      expect(r.status).toBe(200);
      expect(r.headers.get('set-cookie')).toMatch(/;\s*Secure/i);
    } finally {
      services.baseUrl = base;
    }
  });

  it('a third-party cookie with bad percent-encoding changes nothing', async () => {
    const bad = 'foo=%E0%A4%A';
    const anonymous = await call(app.base, 'GET', '/api/v1/me', { cookie: bad });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error?.code).toBe('AUTHENTICATION_REQUIRED');
    expect((await call(app.base, 'GET', '/api/v1/me', { token, cookie: bad })).status).toBe(200);
    const signedIn = await call(app.base, 'POST', '/api/v1/session', {
      body: { tenant: tenant.slug, username: 'dana', password: PASSWORD },
    });
    const session = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const both = await call(app.base, 'GET', '/api/v1/me', { cookie: `${bad}; ${session}` });
    expect(both.status).toBe(200);
    expect(both.json.name).toBe('Dana');
    expect((await call(app.base, 'GET', '/health', { cookie: bad })).status).toBe(200);
  });
});

/** Sends only the request's headers (and a few bytes) and returns the answer's first bytes: what the server says before the body arrives. */
function answerBeforeBody(base: string, head: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(`${head}\r\n\r\n%PDF-`));
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/\r\n\r\n[\s\S]*\}$/.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
  });
}

describe('request bodies', () => {
  it('answers 401 to a body without credentials, however large, without reading it', async () => {
    const r = await call(app.base, 'POST', '/api/v1/people', {
      raw: `{"x":"${'a'.repeat(3_000_000)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(401);
    expect(r.json.error?.code).toBe('AUTHENTICATION_REQUIRED');
  });

  it('answers 403 to a body the caller may not send, before reading it', async () => {
    const weak = (
      await createToken(services, { kind: 'system', tenantId: tenant.id }, { name: 'weak', capabilities: ['certificate:view'] })
    ).token;
    const r = await call(app.base, 'POST', '/api/v1/people', {
      token: weak,
      raw: `{"x":"${'a'.repeat(3_000_000)}"}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('CAPABILITY_REQUIRED');
  });

  it('refuses an upload whose declared length is over the limit at once, saying the limit', async () => {
    const answer = await answerBeforeBody(
      app.base,
      [
        `PUT /api/v1/templates/x/assets/big.pdf HTTP/1.1`,
        `Host: localhost`,
        `Authorization: Bearer ${token}`,
        'Content-Type: application/pdf',
        `Content-Length: ${MAX_ASSET_BYTES + 1}`,
      ].join('\r\n'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
      error: { code: string; message: string; details: { limit: number } };
    };
    expect(body.error.code).toBe('BODY_TOO_LARGE');
    expect(body.error.details.limit).toBe(MAX_ASSET_BYTES);
    expect(body.error.message).toContain(String(MAX_ASSET_BYTES));
  });

  it('refuses a query string that is not UTF-8 instead of replacing the bytes', async () => {
    const r = await call(app.base, 'GET', '/api/v1/issues?learner=ca%E9mille', { token });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('QUERY_NOT_UTF8');
    expect((await call(app.base, 'GET', '/api/v1/issues?learner=ca%C3%A9mille', { token })).status).toBe(200);
  });

  it('refuses JSON that is not UTF-8 with its own code instead of replacing the bytes', async () => {
    const raw = Buffer.concat([Buffer.from('{"username":"ca'), Buffer.from([0xe9]), Buffer.from('mille","display_name":"C","roles":[]}')]);
    const r = await call(app.base, 'POST', '/api/v1/people', { token, raw, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.json.error?.code).toBe('BODY_NOT_UTF8');
    const people = await services.storage.db.selectFrom('people').select('username').where('tenant_id', '=', tenant.id).execute();
    expect(people.map((p) => p.username)).not.toContain('ca\ufffdmille');
  });
});
