import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../../server/http/operations';
import { fullPath } from '../../../server/http/contract/declaration';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createPerson } from '../../../server/domain/people';
import { createToken } from '../../../server/domain/tokens';
import { freshServices, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { RenderPool } from '../../../server/render/pool';

/** The API as a whole: its published description, its headers, sessions, health. */
const pool = useRenderPool(1);
let services: TestServices;
let app: Running;
let t: TenantFixture;
let token: string;

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: pool() });
  app = await startApp(services, { limits: { signInPerMinute: 5 } });
  t = await setupTenant(services);
  token = (await createToken(services, t.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  await createPerson(services, t.system, {
    username: 'designer',
    displayName: 'Dana Designer',
    password: 'correct horse battery staple',
    roles: ['designer'],
  });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

describe('the API document', () => {
  it('is OpenAPI 3.1 with every operation, its parameters, capability and schemas', async () => {
    const r = await call(app.base, 'GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.json;
    expect(doc.openapi).toBe('3.1.0');
    const paths = doc.paths as unknown as Record<
      string,
      Record<
        string,
        {
          operationId: string;
          parameters: { name: string; in: string }[];
          requestBody?: unknown;
          'x-capability': string;
          responses: Record<string, unknown>;
        }
      >
    >;
    const ids = Object.values(paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(ids.sort()).toEqual(OPERATIONS.map((o) => o.id).sort());
    for (const op of OPERATIONS) {
      const path = fullPath(op)
        .replace(/:(\w+)/g, '{$1}')
        .replace(/\*(\w+)/g, '{$1}');
      const entry = paths[path]?.[op.method];
      expect(entry, op.id).toBeDefined();
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
        expect(
          entry!.parameters.some((p) => p.in === 'path' && p.name === name),
          `${op.id} ${name}`,
        ).toBe(true);
      expect(Boolean(entry!.requestBody)).toBe(Boolean(op.body));
      // A body's limit is said up front, the one the adapter checks against Content-Length.
      if (op.body)
        expect((entry!.requestBody as { 'x-max-bytes'?: number })['x-max-bytes'], op.id).toBe(
          'json' in op.body ? 2 * 1024 * 1024 : op.body.limit,
        );
      expect(entry!['x-capability']).toBeTruthy();
      // Error answers are declared per status with their codes, not as one catch-all.
      expect((entry!.responses['500'] as { 'x-error-codes'?: string[] } | undefined)?.['x-error-codes'], op.id).toContain('INTERNAL');
      expect(entry!.responses.default).toBeUndefined();
    }
    // The request schema is the validating one: a field it requires is required on the wire.
    const issue = paths['/api/v1/certificates/{id}/issues']!.post! as unknown as {
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
    };
    expect(issue.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['learner_id', 'available', 'data']),
    );
  });

  it('has a browsable page listing every operation', async () => {
    const r = await call(app.base, 'GET', '/api/v1/docs');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    for (const op of OPERATIONS) expect(r.text).toContain(`id="${op.id}"`);
  });

  it('every operation has a curl example that names its own path', () => {
    for (const op of OPERATIONS) {
      expect(op.example, op.id).toMatch(/curl/);
      if (op.id !== 'downloadByLink')
        expect(op.example.replace(/\$\w+/g, 'X'), op.id).toContain(fullPath(op).split('/:')[0]!.split('/*')[0]!.replace(/:\w+/g, 'X'));
    }
  });
});

describe('headers and errors', () => {
  it('sends security headers on API answers, pages and errors, and no framework banner', async () => {
    for (const path of ['/api/v1/openapi.json', '/verify', '/api/v1/nothing', '/health']) {
      const r = await call(app.base, 'GET', path);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(r.headers.get('x-powered-by'), path).toBeNull();
      expect(r.headers.get('x-request-id'), path).toBeTruthy();
    }
  });

  it('echoes a sane request id and replaces a hostile one', async () => {
    expect((await call(app.base, 'GET', '/health', { headers: { 'x-request-id': 'lms-123' } })).headers.get('x-request-id')).toBe(
      'lms-123',
    );
    const hostile = await call(app.base, 'GET', '/api/v1/nothing', { headers: { 'x-request-id': '<script>' + 'x'.repeat(100) } });
    expect(hostile.headers.get('x-request-id')).not.toContain('<');
    expect(hostile.json.error?.requestId).toBe(hostile.headers.get('x-request-id'));
  });
});

describe('when documents cannot be made now', () => {
  it('answers 503 with Retry-After, so a client knows to come back', async () => {
    // A render service without workers refuses every document as closed, like one shutting down.
    const closed = await startApp({ ...services, renderer: new RenderPool({ size: 0 }) });
    try {
      const r = await call(closed.base, 'POST', `/api/v1/templates/${t.templateId}/preview`, {
        token,
        body: { persona: 'camille-martin' },
      });
      expect(r.status, r.text).toBe(503);
      expect(r.json.error?.code).toBe('RENDER_CLOSED');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await closed.close();
    }
  });
});

describe('logs', () => {
  it('writes one JSON line per request with its id, and never a token or a password', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const logged = await startApp(services, { logger: pino({ level: 'info' }, sink) });
    try {
      await call(logged.base, 'GET', '/api/v1/me', { token, headers: { 'x-request-id': 'lms-log-1' } });
      await call(logged.base, 'POST', '/api/v1/session', {
        body: { tenant: t.tenant.slug, username: 'designer', password: 'a secret guess 1234' },
      });
      await call(logged.base, 'GET', `/api/v1/issues/NOPE?token=${token}`, { token });
    } finally {
      await logged.close();
    }
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.requestId === 'lms-log-1')).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      path: '/api/v1/me',
      status: 200,
      ms: expect.any(Number),
    });
    expect(records.filter((r) => r.msg === 'request').map((r) => r.status)).toEqual([200, 401, 404]);
    for (const r of records) expect(typeof r.requestId).toBe('string');
    const all = lines.join('\n');
    // The secret is all that follows the id (it may itself hold '_').
    expect(all).not.toContain(token.slice('att_'.length + 37));
    expect(all).not.toContain('a secret guess');
  });
});

describe('sessions', () => {
  it('signs a person in with a cookie that scripts cannot read, and requires the CSRF header for changes', async () => {
    const bad = await call(app.base, 'POST', '/api/v1/session', {
      body: { tenant: t.tenant.slug, username: 'designer', password: 'wrong password!' },
    });
    expect(bad.status).toBe(401);
    expect(bad.json.error?.code).toBe('SIGN_IN_FAILED');
    const ok = await call(app.base, 'POST', '/api/v1/session', {
      body: { tenant: t.tenant.slug, username: 'designer', password: 'correct horse battery staple' },
    });
    expect(ok.status).toBe(200);
    const setCookie = ok.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const cookie = setCookie.split(';')[0]!;
    const me = await call(app.base, 'GET', '/api/v1/me', { cookie });
    expect(me.json.name).toBe('Dana Designer');
    expect(me.json.capabilities).toEqual(expect.arrayContaining(['templates:edit', 'templates:publish']));
    const withoutHeader = await call(app.base, 'POST', '/api/v1/templates', { cookie, body: { name: 'X' } });
    expect(withoutHeader.status).toBe(403);
    expect(withoutHeader.json.error?.code).toBe('CSRF_HEADER_MISSING');
    const withHeader = await call(app.base, 'POST', '/api/v1/templates', {
      cookie,
      body: { name: 'X' },
      headers: { 'x-attest-csrf': '1' },
    });
    expect(withHeader.status).toBe(201);
    const notAllowed = await call(app.base, 'GET', '/api/v1/issues', { cookie });
    expect(notAllowed.status).toBe(403);
    await call(app.base, 'DELETE', '/api/v1/session', { cookie, headers: { 'x-attest-csrf': '1' } });
    expect((await call(app.base, 'GET', '/api/v1/me', { cookie })).status).toBe(401);
    const rows = await services.storage.db
      .selectFrom('people')
      .select('password_hash')
      .where('username', '=', 'designer')
      .executeTakeFirstOrThrow();
    expect(rows.password_hash).toMatch(/^scrypt\$/);
    expect(rows.password_hash).not.toContain('horse');
  });

  it('slows password guessing from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 25; i++)
      codes.push(
        (
          await call(app.base, 'POST', '/api/v1/session', {
            body: { tenant: t.tenant.slug, username: 'designer', password: `guess-${i}-xxxxxx` },
          })
        ).status,
      );
    expect(codes).toContain(429);
    expect(codes.indexOf(429)).toBeGreaterThan(2);
  });
});

describe('health', () => {
  it('says ok while the database answers, and 503 when it does not', async () => {
    const ok = await call(app.base, 'GET', '/health');
    expect(ok.json).toMatchObject({ status: 'ok', database: 'sqlite', render: { workers: 1 } });
    const other = await freshServices('sqlite', { pool: pool() });
    const second = await startApp(other);
    await other.storage.close();
    const down = await call(second.base, 'GET', '/health');
    expect(down.status).toBe(503);
    expect(down.json.status).toBe('unavailable');
    await second.close();
  });
});
