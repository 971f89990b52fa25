import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../../server/http/operations';
import { fullPath } from '../../../server/http/contract/declaration';
import type { Operation } from '../../../server/http/operation';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { createOperatorToken } from '../../../server/domain/operators';
import { requestDocument } from '../../../server/domain/issues';
import { dryRunBulk } from '../../../server/domain/bulk-issue';
import { putAsset } from '../../../server/domain/templates';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * Every operation, checked from the outside: a token of another tenant reaches nothing, a request
 * without credentials or without the capability is refused, and hostile bodies and parameters get a 4xx
 * with a code — never a 500, never a stack trace.
 */
const pool = useRenderPool(1);
let services: TestServices;
let app: Running;
let a: TenantFixture;
let b: TenantFixture;
let tokenA: string;
let tokenB: string;
let weakB: string;
/** The installation's operator: the only credential the operator operations take. */
let operatorToken: string;
let ids: Record<string, string>;

beforeAll(async () => {
  services = await freshServices('sqlite', { pool: pool() });
  app = await startApp(services);
  a = await setupTenant(services);
  b = await setupTenant(services);
  tokenA = (await createToken(services, a.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  tokenB = (await createToken(services, b.system, { name: 'all', capabilities: [...ALL_CAPABILITIES] })).token;
  weakB = (await createToken(services, b.system, { name: 'weak', capabilities: ['certificate:view'] })).token;
  operatorToken = (await createOperatorToken(services, { name: 'operator' })).token;
  const issued = await requestDocument(services, a.lms, {
    certificateId: a.certificate.id,
    learnerId: 'learner-a',
    data: learnerData(),
    available: true,
  });
  await putAsset(
    services,
    a.system,
    a.templateId,
    'assets/extra.png',
    new Uint8Array(
      Buffer.from(
        '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082',
        'hex',
      ),
    ),
  );
  const tokenRow = await services.storage.db
    .selectFrom('tokens')
    .select('id')
    .where('tenant_id', '=', a.tenant.id)
    .executeTakeFirstOrThrow();
  const bulk = await dryRunBulk(services, a.admin, a.certificate.id, [{ learnerId: 'bulk-a', data: learnerData(), available: true }]);
  ids = {
    id: '',
    bulk: bulk.id,
    fingerprint: bulk.fingerprint,
    code: issued.issue.code,
    number: String(a.version.number),
    name: 'assets/extra.png',
    tenant: a.tenant.slug,
    tokenId: tokenRow.id,
  };
}, 60_000);

afterAll(async () => {
  await app?.close();
});

/** Tenant A's real objects in the operation's path. */
function pathFor(op: Operation): string {
  const path = fullPath(op);
  const id = /\/templates\//.test(path)
    ? a.templateId
    : /\/certificates\//.test(path)
      ? a.certificate.id
      : /\/tokens\//.test(path)
        ? ids.tokenId!
        : /\/bulk-issues\//.test(path)
          ? ids.bulk!
          : 'x';
  return path
    .replace(':id', id)
    .replace(':code', ids.code!)
    .replace(':number', ids.number!)
    .replace('*name', ids.name!)
    .replace(':tenant', ids.tenant!)
    .replace(':name', 'admin');
}

const minimalBody: Record<string, unknown> = {
  requestDocument: { learner_id: 'intruder', available: true, data: learnerData() },
  unlockIssues: { codes: ['X'] },
  lockIssues: { codes: ['X'] },
  revokeIssue: { reason: 'intrusion' },
  regenerateIssue: {},
  createDownloadLink: {},
  updateTemplate: { name: 'Hijacked' },
  previewTemplate: {},
  updateCertificate: { name: 'Hijacked' },
  createCertificate: { name: 'X', template_version_id: '', course_id: 'c' },
  createTemplate: { duplicate_of: '' },
  validateSource: { source: '---\nname: x\n---\n<page/>' },
  dryRunBulkIssue: { learners: [{ learner_id: 'intruder', available: true, data: learnerData() }] },
  dryRunBulkIssueCsv: { csv: 'id\nintruder\n', learner_id_column: 'id', mapping: {} },
  // Tenant A's dry run, confirmed with its own fingerprint: another tenant still reaches nothing.
  get confirmBulkIssue() {
    return { fingerprint: ids.fingerprint };
  },
};

const tenantScoped = OPERATIONS.filter((op) => !('public' in op.access) && /:(id|code|number)|\*name/.test(op.path) && op.id !== 'setRole');

describe('tenant isolation', () => {
  it.each(tenantScoped.map((op) => [op.id, op] as const))('%s: a token of another tenant reaches nothing of tenant A', async (_id, op) => {
    const body = op.body && 'json' in op.body ? (minimalBody[op.id] ?? {}) : undefined;
    const raw = op.body && 'raw' in op.body ? new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]) : undefined;
    const r = await call(app.base, op.method.toUpperCase(), pathFor(op), {
      token: tokenB,
      ...(body !== undefined ? { body } : {}),
      ...(raw ? { raw } : {}),
    });
    expect(r.status, `${op.id} answered ${r.status}: ${r.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toContain('learner-a');
    expect(r.text).not.toContain(a.templateId);
  });

  it('lists of tenant B show none of tenant A', async () => {
    for (const path of [
      '/api/v1/issues',
      '/api/v1/templates',
      '/api/v1/certificates',
      '/api/v1/tokens',
      '/api/v1/people',
      '/api/v1/refusals',
      '/api/v1/roles',
    ]) {
      const r = await call(app.base, 'GET', path, { token: tokenB });
      expect(r.status, path).toBe(200);
      for (const secret of [a.templateId, a.certificate.id, ids.code!, ids.tokenId!, a.version.id])
        expect(r.text, path).not.toContain(secret);
    }
    // And the same lists with A's token do show A's objects: the check above can fail.
    const mine = await call(app.base, 'GET', '/api/v1/issues', { token: tokenA });
    expect(mine.text).toContain(ids.code!);
  });

  it('tenant A still has everything after the attempts', async () => {
    const r = await call(app.base, 'GET', `/api/v1/issues/${ids.code}`, { token: tokenA });
    expect(r.status).toBe(200);
    expect(r.json.state).toBe('issued');
    expect(r.json.locked).toBe(false);
    const t = await call(app.base, 'GET', `/api/v1/templates/${a.templateId}`, { token: tokenA });
    expect(t.json.name).not.toBe('Hijacked');
  });
});

describe('authentication and capabilities', () => {
  const guarded = OPERATIONS.filter((op) => !('public' in op.access));
  it.each(guarded.map((op) => [op.id, op] as const))('%s: refused without credentials (401)', async (_id, op) => {
    const r = await call(app.base, op.method.toUpperCase(), pathFor(op), op.body && 'json' in op.body ? { body: {} } : {});
    expect(r.status).toBe(401);
    expect(r.json.error?.code).toBe('AUTHENTICATION_REQUIRED');
  });

  const capable = OPERATIONS.filter((op) => 'capability' in op.access && op.access.capability !== 'certificate:view');
  it.each(capable.map((op) => [op.id, op] as const))('%s: refused without its capability (403)', async (_id, op) => {
    const r = await call(app.base, op.method.toUpperCase(), pathFor(op), {
      token: weakB,
      ...(op.body && 'json' in op.body ? { body: {} } : {}),
    });
    expect(r.status).toBe(403);
    expect(r.json.error?.code).toBe('CAPABILITY_REQUIRED');
  });

  it('refuses forged, revoked and malformed tokens alike', async () => {
    const forged = tokenA.slice(0, -4) + 'AAAA';
    for (const token of [forged, 'att_nothing', 'x'.repeat(5000), tokenA.replace('att_', 'att_0')]) {
      const r = await call(app.base, 'GET', '/api/v1/me', { token });
      expect(r.status).toBe(401);
      expect(r.json.error?.code).toBe('TOKEN_INVALID');
    }
    const r = await call(app.base, 'GET', '/api/v1/me', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(r.status).toBe(401);
    const ok = await call(app.base, 'GET', '/api/v1/me', { token: tokenA });
    expect(ok.status).toBe(200);
    expect(ok.json.tenant?.slug).toBe(a.tenant.slug);
  });
});

describe('hostile requests', () => {
  const withJson = OPERATIONS.filter((op) => op.body && 'json' in op.body);
  it.each(withJson.map((op) => [op.id, op] as const))(
    '%s: broken JSON, wrong shapes and huge bodies get 4xx with a code',
    async (_id, op) => {
      const path = pathFor(op);
      const token = 'operator' in op.access ? operatorToken : tokenA;
      const broken = await call(app.base, op.method.toUpperCase(), path, {
        token,
        raw: '{"learner_id": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(400);
      expect(broken.json.error?.code).toBe('BODY_NOT_JSON');
      for (const body of [[], 'text', 42, null, { unexpected: { deep: [1, 2, 3] } }]) {
        const r = await call(app.base, op.method.toUpperCase(), path, { token, body });
        expect(r.status, `${op.id} with ${JSON.stringify(body)}: ${r.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        expect(typeof r.json.error?.code).toBe('string');
        expect(r.text).not.toMatch(/\n\s+at /);
      }
      const huge = await call(app.base, op.method.toUpperCase(), path, {
        token,
        raw: `{"x":"${'a'.repeat(3_000_000)}"}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(huge.status).toBe(413);
      expect(huge.json.error?.code).toBe('BODY_TOO_LARGE');
    },
  );

  it('lists every problem of a request with its path', async () => {
    const r = await call(app.base, 'POST', `/api/v1/certificates/${a.certificate.id}/issues`, {
      token: tokenA,
      body: { learner_id: '', available: 'yes', data: [], extra: 1 },
    });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('REQUEST_INVALID');
    const problems = list(r.json.error?.problems).map((p) => [p.path, p.code]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['learner_id', 'TOO_SMALL'],
        ['available', 'INVALID_TYPE'],
        ['data', 'INVALID_TYPE'],
        ['extra', 'UNRECOGNIZED_KEYS'],
      ]),
    );
    // Our own cross-field rules name themselves.
    const two = await call(app.base, 'POST', '/api/v1/templates', { token: tokenA, body: { source: 'x', example: 'attestation-fr' } });
    expect(list(two.json.error?.problems).map((p) => p.code)).toEqual(['ONE_ORIGIN_AT_MOST']);
    const window = await call(app.base, 'PATCH', `/api/v1/certificates/${a.certificate.id}`, {
      token: tokenA,
      body: { settings: { window_start: '2026-05-01', window_end: '2026-04-01' } },
    });
    expect(list(window.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['settings.window_end', 'WINDOW_REVERSED']]);
  });

  it('refuses NUL, lone surrogates and absurd nesting anywhere, with the path, before any storage sees them', async () => {
    const nul = await call(app.base, 'POST', `/api/v1/certificates/${a.certificate.id}/issues`, {
      token: tokenA,
      body: { learner_id: 'nul', available: true, data: learnerData({ learner: { firstname: 'Ca\u0000mille', lastname: 'M' } }) },
    });
    expect(nul.status).toBe(422);
    expect(list(nul.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['data.learner.firstname', 'TEXT_INVALID']]);
    const param = await call(app.base, 'GET', '/api/v1/issues/%00', { token: tokenA });
    expect(param.status).toBe(422);
    expect(list(param.json.error?.problems)[0]?.code).toBe('TEXT_INVALID');
    const n = 100_000;
    const deep = await call(app.base, 'POST', `/api/v1/certificates/${a.certificate.id}/issues`, {
      token: tokenA,
      raw: `{"learner_id":"deep","available":true,"data":{"x":${'['.repeat(n)}${']'.repeat(n)}}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(deep.status).toBe(422);
    expect(list(deep.json.error?.problems)[0]?.code).toBe('TOO_DEEP');
    const none = await call(app.base, 'GET', '/api/v1/issues?learner=nul', { token: tokenA });
    expect(none.text).not.toContain('"nul"');
  });

  it('odd parameters are 4xx, not 500', async () => {
    for (const path of [
      `/api/v1/issues/${'Z'.repeat(500)}`,
      '/api/v1/issues/%00%ff',
      '/api/v1/issues/..%2f..%2fetc%2fpasswd',
      `/api/v1/templates/${a.templateId}/versions/-1`,
      `/api/v1/templates/${a.templateId}/versions/abc`,
      `/api/v1/templates/${a.templateId}/assets/..%2f..%2fsecret`,
      '/api/v1/issues?limit=99999&state=weird',
      '/api/v1/issues?locked=true&locked=false',
      '/api/v1/nothing-here',
    ]) {
      const r = await call(app.base, 'GET', path, { token: tokenA });
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(typeof r.json.error?.code, path).toBe('string');
    }
  });

  it('asset uploads are checked by content and size', async () => {
    const bad = await call(app.base, 'PUT', `/api/v1/templates/${a.templateId}/assets/logo.png`, {
      token: tokenA,
      raw: '<svg onload=alert(1)>',
      headers: { 'content-type': 'image/png' },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.code).toBe('ASSET_TYPE_UNSUPPORTED');
    const big = await call(app.base, 'PUT', `/api/v1/templates/${a.templateId}/assets/big.pdf`, {
      token: tokenA,
      raw: new Uint8Array(21_000_000),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(big.status).toBe(413);
    const empty = await call(app.base, 'PUT', `/api/v1/templates/${a.templateId}/assets/empty.pdf`, {
      token: tokenA,
      raw: new Uint8Array(0),
      headers: { 'content-type': 'application/pdf' },
    });
    expect(empty.status).toBe(422);
    expect(empty.json.error?.code).toBe('ASSET_EMPTY');
  });
});
