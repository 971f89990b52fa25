import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { bakedCredential } from '../../../server/domain/badge-image';
import { credentialVerifier } from '../../../server/domain/badge-publishing';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, startApp, type Json, type Running } from '../../support/http';
import { tmp, writeTemp } from '../../templates/pdf/helpers';

/**
 * Issue 17, Open Badges 3.0 over HTTP on both engines: a document issued with a credential (tenant
 * default) gets one that verifies with the credentials core; the baked PNG and the PDF's attachment (read
 * back with poppler's pdfdetach) hold the same text; did.json and the JWKS resolve and keep the retired key
 * after a rotation; a regenerated document gets a new credential and the earlier one checks as
 * superseded; a revocation shows in the status list and on the verification page.
 */
const pool = useRenderPool(1);

const detach = (path: string, args: string[]) => execFileSync('pdfdetach', [...args, path], { encoding: 'utf8' });

describe.each(ENGINES)('Open Badges credentials over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  const previous = process.env.ATTEST_SECRET_KEY;

  beforeAll(async () => {
    process.env.ATTEST_SECRET_KEY = 'installation key for the open badges test';
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { credential: {}, organization: { name: 'Institut de test', colour: '#225588' } } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = previous;
  });

  const issue = async (learnerId: string, data = learnerData()) => {
    const r = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available: true, data },
    });
    expect(r.status, r.text).toBe(201);
    return String(r.json.issue?.code);
  };
  const credentialOf = async (code: string) => {
    const r = await call(app.base, 'GET', `/verify/${code}/credential.json`);
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/ld+json');
    return r.text;
  };
  const check = async (code: string, credential: string) => {
    const r = await call(app.base, 'POST', `/api/v1/verify/${code}/credential`, {
      raw: credential,
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status, r.text).toBe(200);
    return r.json.credential as Json;
  };

  let code: string;
  let first: string;

  it('issues a document whose credential verifies, baked in its badge and attached to its PDF', async () => {
    code = await issue('L-1');
    first = await credentialOf(code);
    const credential = JSON.parse(first) as Record<string, unknown>;
    expect(credential.type).toContain('OpenBadgeCredential');
    expect(first).not.toContain('camille.martin@example.org');
    const verdict = await credentialVerifier(services)(credential);
    expect(verdict.code, JSON.stringify(verdict)).toBe('CREDENTIAL_VALID');
    expect((await check(code, first)).match).toBe('current');

    const badge = await call(app.base, 'GET', `/verify/${code}/badge.png`);
    expect(badge.status).toBe(200);
    expect(badge.headers.get('content-type')).toBe('image/png');
    expect(bakedCredential(badge.bytes)).toBe(first);

    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(doc.status).toBe(200);
    const path = writeTemp(doc.bytes, `${engine}-credential.pdf`);
    expect(detach(path, ['-list'])).toContain('credential.json');
    const saved = join(tmp, `${engine}-saved-credential.json`);
    detach(path, ['-savefile', 'credential.json', '-o', saved]);
    expect(readFileSync(saved, 'utf8')).toBe(first);
  });

  it('publishes did.json and the JWKS, and keeps the retired key after a rotation', async () => {
    const slug = t.tenant.slug;
    const did = await call(app.base, 'GET', `/tenants/${slug}/did.json`);
    expect(did.status, did.text).toBe(200);
    const before = JSON.parse(did.text) as { id: string; verificationMethod: unknown[] };
    const host = new URL(app.base).host.replace(':', '%3A');
    expect(before.id).toBe(`did:web:${host}:tenants:${slug}`);
    expect(before.verificationMethod).toHaveLength(1);
    expect(did.headers.get('cache-control')).toContain('max-age');

    const rotated = await call(app.base, 'POST', '/api/v1/tenant/credential-keys/rotate', { token: admin, body: { reason: 'test' } });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.retired?.state).toBe('retired');
    const after = JSON.parse((await call(app.base, 'GET', `/tenants/${slug}/did.json`)).text) as { verificationMethod: unknown[] };
    expect(after.verificationMethod).toHaveLength(2);
    const keys = JSON.parse((await call(app.base, 'GET', `/tenants/${slug}/jwks.json`)).text) as { keys: { kid: string }[] };
    expect(keys.keys).toHaveLength(2);
    // What the retired key signed still verifies.
    expect(((await check(code, first)).verification as Json).code).toBe('CREDENTIAL_VALID');
    const lmsRotates = await call(app.base, 'POST', '/api/v1/tenant/credential-keys/rotate', { token: lms, body: {} });
    expect(lmsRotates.status).toBe(403);
  });

  it('a regenerated document gets a new credential; the earlier one checks as superseded', async () => {
    const r = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'new key' } });
    expect(r.status, r.text).toBe(200);
    const second = await credentialOf(code);
    expect(second).not.toBe(first);
    expect((await check(code, second)).match).toBe('current');
    const old = await check(code, first);
    expect(old.match).toBe('superseded');
    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    const saved = join(tmp, `${engine}-saved-credential-2.json`);
    detach(writeTemp(doc.bytes, `${engine}-credential-2.pdf`), ['-savefile', 'credential.json', '-o', saved]);
    expect(readFileSync(saved, 'utf8')).toBe(second);
    // The verification page checks the PDF and the credential it carries.
    const page = await fetch(`${app.base}/verify/${code}/document`, {
      method: 'POST',
      body: (() => {
        const f = new FormData();
        f.set('document', new Blob([Buffer.from(doc.bytes)], { type: 'application/pdf' }), 'doc.pdf');
        return f;
      })(),
    });
    const html = await page.text();
    expect(html).toContain('data-credential="CREDENTIAL_VALID"');
  });

  it('revoking sets the status bit: the credential and the page say revoked', async () => {
    const credential = await credentialOf(code);
    const r = await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: admin, body: { reason: 'fraude' } });
    expect(r.status, r.text).toBe(200);
    const c = JSON.parse(credential) as { credentialStatus: { statusListCredential: string } };
    const listPath = new URL(c.credentialStatus.statusListCredential).pathname;
    const status = await call(app.base, 'GET', listPath);
    expect(status.status, status.text).toBe(200);
    expect((JSON.parse(status.text) as { type: string[] }).type).toContain('BitstringStatusListCredential');
    expect(((await check(code, credential)).verification as Json).code).toBe('CREDENTIAL_REVOKED');
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).toContain('data-credential="CREDENTIAL_REVOKED"');
  });

  it('a learner without an email is identified by a hash of their learner id, as a systemId', async () => {
    const data = learnerData();
    const learner = { ...(data.learner as Record<string, unknown>) };
    delete learner.email;
    const c = JSON.parse(await credentialOf(await issue('L-no-mail', { ...data, learner }))) as {
      credentialSubject: { identifier: { identityType: string; hashed: boolean }[] };
    };
    expect(c.credentialSubject.identifier[0]).toMatchObject({ identityType: 'systemId', hashed: true });
    expect((await credentialVerifier(services)(c)).code).toBe('CREDENTIAL_VALID');
  });
});
