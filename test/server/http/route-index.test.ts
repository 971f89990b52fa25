import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../../server/http/operations';
import { fullPath } from '../../../server/http/contract/declaration';
import { routeIndex } from '../../../server/http/route-index';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { requestDocument } from '../../../server/domain/issues';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, startApp, type Answer, type Running } from '../../support/http';

/**
 * The route index (server/http/route-index.ts) answers exactly what Express's walk of every route
 * answered: the same app with and without it, asked the same requests, gives the same answers.
 */
const pool = useRenderPool(1);
let services: TestServices;
let indexed: Running;
let walked: Running;
let a: TenantFixture;
let token: string;
/** A token that can only view certificates: what it may not do is refused before anything changes. */
let weak: string;
let code: string;

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: pool() });
  indexed = await startApp(services);
  walked = await startApp(services, { routeIndex: false });
  // Both apps print the same public address (startApp sets the last one's).
  services.baseUrl = 'https://attest.test';
  a = await setupTenant(services);
  token = (await createToken(services, a.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  weak = (await createToken(services, a.system, { name: 'weak', capabilities: ['certificate:view'] })).token;
  code = (
    await requestDocument(services, a.lms, { certificateId: a.certificate.id, learnerId: 'l-1', data: learnerData(), available: true })
  ).issue.code;
}, 60_000);

afterAll(async () => {
  await indexed?.close();
  await walked?.close();
});

/** What an answer says, without what differs by design between two requests (ids, nonces). */
function comparable(r: Answer): unknown {
  const headers = [...r.headers.entries()]
    .filter(([k]) => !['date', 'x-request-id', 'keep-alive', 'connection'].includes(k))
    .map(([k, v]) => [k, k === 'content-security-policy' ? v.replace(/'nonce-[^']+'/g, 'nonce') : v]);
  const text = r.text
    .replace(/"requestId":"[^"]+"/g, '"requestId":"…"')
    .replace(/nonce="[^"]+"/g, 'nonce')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'uuid');
  return { status: r.status, headers, text };
}

/** `call`, but an empty body (HEAD) is no JSON to parse. */
async function ask(base: string, method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Answer> {
  if (method !== 'HEAD') return call(base, method, path, options);
  const res = await fetch(base + path, { method, headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: '', bytes, json: {} };
}

async function same(method: string, path: string, options: Parameters<typeof call>[3] = {}): Promise<Answer> {
  const one = await ask(indexed.base, method, path, options);
  const other = await ask(walked.base, method, path, options);
  expect(comparable(one), `${method} ${path}`).toEqual(comparable(other));
  return one;
}

describe('the route index', () => {
  it('answers every operation as the full route list does, with and without credentials', async () => {
    for (const op of OPERATIONS) {
      const path = fullPath(op)
        .replace(/\*\w+/, 'assets/a.png')
        .replace(/:(\w+)/g, (_, name: string) => (name === 'code' ? code : name === 'tenant' ? a.tenant.slug : `x-${name}`));
      const method = op.method.toUpperCase();
      await same(method, path);
      // Reading with every capability; changing with a body that is not JSON, or without the capability.
      if (method === 'GET') await same(method, path, { token });
      else {
        await same(method, path, { token: weak });
        if (op.body) await same(method, path, { token, raw: '{', headers: { 'content-type': 'application/json' } });
      }
    }
  }, 120_000);

  it('serves the hot operations as before: the check, the download, HEAD, a trailing slash, case and encodings', async () => {
    const check = await same('GET', `/api/v1/verify/${code}`);
    expect(check.status).toBe(200);
    expect((await same('GET', `/api/v1/verify/${code}/`)).status).toBe(200);
    expect((await same('GET', `/API/V1/Verify/${code}`)).status).toBe(200);
    // A percent-encoded code is decoded before the domain sees it, as Express did.
    const encoded = [...code].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    expect((await same('GET', `/api/v1/verify/${encoded}`)).status).toBe(200);
    expect((await same('GET', `/api/v1/verify/%E0%A4%A`)).json.error?.code).toBe('BAD_REQUEST');
    expect((await same('GET', `/api/v1/verify/a%2Fb`)).status).toBe(404);
    const head = await same('HEAD', `/api/v1/verify/${code}`);
    expect(head.status).toBe(200);
    expect(head.bytes.length).toBe(0);
    const pdf = await same('GET', `/api/v1/issues/${code}/document`, { token });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await same('HEAD', `/api/v1/issues/${code}/document`, { token })).status).toBe(200);
    expect((await same('GET', `/api/v1/issues/${code}/document`)).json.error?.code).toBe('AUTHENTICATION_REQUIRED');
  }, 60_000);

  it('leaves what no operation answers to the rest of the app: 404s, other methods, OPTIONS, odd paths', async () => {
    for (const [method, path] of [
      ['POST', `/api/v1/verify/${code}`],
      ['DELETE', `/api/v1/verify/${code}`],
      ['PUT', '/api/v1/issues/lock'],
      ['OPTIONS', `/api/v1/verify/${code}`],
      ['GET', `/api/v1//verify/${code}`],
      ['GET', `/api/v1/verify/${code}//`],
      ['GET', '/api/v1/nothing/here'],
      ['GET', `/api/v1${'/x'.repeat(40)}`],
      ['GET', '/nothing'],
      ['GET', '/'],
      ['GET', `/verify/${code}`],
      ['GET', `/verify?code=${code}`],
      ['GET', `/api/v1/verify/${code}?x=%FF`],
      ['POST', '/webservice/rest/server.php'],
    ] as const) {
      await same(method, path, { token });
    }
    const missing = await call(indexed.base, 'GET', '/api/v1/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.json.error?.code).toBe('ROUTE_NOT_FOUND');
  }, 60_000);

  it('keeps a static route declared before a parameter in front of it (issues/lock is not an issue code)', async () => {
    const lock = await same('POST', '/api/v1/issues/lock', { token, body: { codes: [] } });
    expect(lock.status).toBeLessThan(500);
    expect((await same('GET', '/api/v1/issues/lock', { token })).json.error?.code).toBe('ISSUE_NOT_FOUND');
  });
});

describe('routeIndex on its own', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // Routes only in the index: an answer proves the index found them, a 404 that it handed the request on.
    const app = express();
    const say = (what: string) => (req: Request, res: Response) => res.json({ what, params: req.params });
    app.use(
      routeIndex([
        { method: 'get', path: '/items/new', handlers: [say('new')] },
        { method: 'get', path: '/items/:id', handlers: [say('item')] },
        { method: 'post', path: '/items/:id', handlers: [say('post')] },
        { method: 'get', path: '/files/*name', handlers: [say('file')] },
        { method: 'get', path: '/files/:a/:b/special', handlers: [say('shadowed')] },
      ]),
    );
    app.use((_req, res) => res.status(404).json({ what: 'fell through' }));
    app.use((err: { status?: number }, _req: Request, res: Response, _next: NextFunction) =>
      res.status(err.status ?? 500).json({ what: 'error' }),
    );
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ask = async (method: string, path: string) => (await call(base, method, path)).json;
  const head = async (path: string) => (await fetch(base + path, { method: 'HEAD' })).status;

  it('finds routes by method and segments, first declared first, with Express’s own matching', async () => {
    expect(await ask('GET', '/items/new')).toEqual({ what: 'new', params: {} });
    expect(await ask('GET', '/items/42')).toEqual({ what: 'item', params: { id: '42' } });
    expect(await ask('GET', '/Items/42/')).toEqual({ what: 'item', params: { id: '42' } });
    expect(await ask('GET', '/items/caf%C3%A9')).toEqual({ what: 'item', params: { id: 'café' } });
    expect(await ask('GET', '/items/a%2Fb')).toEqual({ what: 'item', params: { id: 'a/b' } });
    expect(await ask('POST', '/items/42')).toEqual({ what: 'post', params: { id: '42' } });
    expect(await head('/items/42')).toBe(200);
    // A path of segments joins every longer group, in its place: the later route stays shadowed.
    expect(await ask('GET', '/files/a/b/special')).toEqual({ what: 'file', params: { name: ['a', 'b', 'special'] } });
    expect(await ask('GET', '/files/a')).toEqual({ what: 'file', params: { name: ['a'] } });
  });

  it('hands on what it does not hold, and a parameter that cannot be decoded as Express’s 400', async () => {
    expect(await ask('PUT', '/items/42')).toEqual({ what: 'fell through' });
    expect(await ask('OPTIONS', '/items/42')).toEqual({ what: 'fell through' });
    expect(await ask('GET', '/items/42/more')).toEqual({ what: 'fell through' });
    expect(await ask('GET', '/items//')).toEqual({ what: 'fell through' });
    expect(await ask('GET', '/')).toEqual({ what: 'fell through' });
    expect(await ask('GET', `/files${'/x'.repeat(20)}`)).toEqual({ what: 'fell through' });
    const bad = await call(base, 'GET', '/items/%E0%A4%A');
    expect([bad.status, bad.json]).toEqual([400, { what: 'error' }]);
  });
});
