import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Json, type Running } from '../../support/http';
import { writeTemp } from '../../templates/pdf/helpers';
import { startStubTsa, type StubTsa } from '../signature/stub-tsa';

/**
 * Issue 17, digital signature, over HTTP on both engines: keys generated and rotated through the API, the
 * tenant default and a certificate's own setting (B-T against a local timestamp authority), documents that
 * pdfsig calls valid, the verification JSON saying who signed, an uploaded PDF's signature intact or not,
 * a rotated key's documents still verifying, and regeneration signing again with the active key.
 */
const pool = useRenderPool(1);

const pdfsig = (bytes: Uint8Array, name: string): string => {
  const r = spawnSync('pdfsig', [writeTemp(bytes, name)], { encoding: 'utf8' });
  return r.stdout + r.stderr;
};
const VALID = /Signature Validation: Signature is Valid\./;

describe.each(ENGINES)('digital signature over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let tsa: StubTsa;
  const previous = process.env.ATTEST_SECRET_KEY;
  const ask = (learnerId: string) =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available: true, data: learnerData() },
    });
  const documentOf = async (code: string) => {
    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(doc.status, doc.text).toBe(200);
    return doc.bytes;
  };
  const upload = (code: string, bytes: Uint8Array) =>
    call(app.base, 'POST', `/api/v1/verify/${code}/document`, { raw: bytes, headers: { 'content-type': 'application/pdf' } });

  beforeAll(async () => {
    delete process.env.ATTEST_SECRET_KEY;
    process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    tsa = await startStubTsa();
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await tsa?.close();
    delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = previous;
  });

  it('needs the installation key for a signing key, and a key before documents are signed', async () => {
    const r = await call(app.base, 'POST', '/api/v1/tenant/signing-keys', { token: admin, body: { algorithm: 'rsa-2048' } });
    expect(r.status, r.text).toBe(409);
    expect(r.json.error?.code).toBe('SIGNING_NEEDS_SECRET_KEY');
    process.env.ATTEST_SECRET_KEY = 'installation key for the signature test';
    const on = await call(app.base, 'PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { signature: { reason: 'Attestation de formation' } },
    });
    expect(on.status, on.text).toBe(200);
    const refused = await ask('L-nokey');
    expect(refused.status, refused.text).toBe(409);
    expect(refused.json.error?.code).toBe('SIGNING_KEY_MISSING');
    const bt = await call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body: { signature: { level: 'B-T' } } });
    expect(bt.status).toBe(422);
    expect(list(bt.json.error?.problems).map((p) => p.code)).toContain('SIGNATURE_TIMESTAMP_URL_REQUIRED');
  });

  it('signs with the tenant’s key (B-B), says who signed, and keeps a rotated key’s documents verifiable', async () => {
    const first = await call(app.base, 'POST', '/api/v1/tenant/signing-keys', { token: admin, body: { algorithm: 'ecdsa-p256' } });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({ algorithm: 'ecdsa-p256', source: 'generated', state: 'active' });
    expect(String(first.json.certificate)).toContain('BEGIN CERTIFICATE');
    const issued = await ask('L-bb');
    expect(issued.status, issued.text).toBe(201);
    const code = String(issued.json.issue?.code);
    const original = await documentOf(code);
    expect(pdfsig(original, `${engine}-bb.pdf`)).toMatch(VALID);

    const v = await call(app.base, 'GET', `/api/v1/verify/${code}`);
    expect(v.json.signature).toMatchObject({
      keyId: first.json.id,
      level: 'B-B',
      keyState: 'active',
      signer: t.tenant.settings.organization.name,
    });
    const checked = await upload(code, original);
    expect(checked.json).toMatchObject({ match: 'current', signature: { signed: true, intact: true, tenantKey: true } });
    const changed = Buffer.from(original);
    changed[200] = changed[200]! ^ 1;
    const broken = await upload(code, changed);
    expect(broken.json).toMatchObject({ match: 'none', signature: { signed: true, intact: false } });
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).toContain(t.tenant.settings.organization.name);
    expect(page.text).toContain('PAdES B-B');

    // Rotation: a new active key; the first is retired and its document still verifies as the tenant's.
    const second = await call(app.base, 'POST', '/api/v1/tenant/signing-keys', { token: admin, body: { algorithm: 'rsa-2048' } });
    expect(second.status, second.text).toBe(201);
    const keys = await call(app.base, 'GET', '/api/v1/tenant/signing-keys', { token: admin });
    expect((keys.json as unknown as Json[]).map((k) => [k.id, k.state])).toEqual([
      [second.json.id, 'active'],
      [first.json.id, 'retired'],
    ]);
    expect(keys.text).not.toMatch(/PRIVATE KEY|private_key/);
    const stillOurs = await upload(code, original);
    expect(stillOurs.json).toMatchObject({
      match: 'current',
      signature: { intact: true, tenantKey: true, signer: { keyId: first.json.id, keyState: 'retired' } },
    });

    // Regeneration signs again, with the active key; the earlier file verifies as superseded, its signature intact.
    const regen = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'new key' } });
    expect(regen.status, regen.text).toBe(200);
    const again = await documentOf(code);
    expect(pdfsig(again, `${engine}-bb-regenerated.pdf`)).toMatch(VALID);
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.signature).toMatchObject({
      keyId: second.json.id,
      keyState: 'active',
    });
    expect((await upload(code, original)).json).toMatchObject({ match: 'superseded', signature: { intact: true, tenantKey: true } });
    expect((await upload(code, again)).json).toMatchObject({
      match: 'current',
      signature: { intact: true, signer: { keyId: second.json.id } },
    });
  });

  it('a certificate’s own setting: B-T with the timestamp authority; a failing authority makes no document; enabled: false turns it off', async () => {
    const own = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { signature: { level: 'B-T', timestamp_url: tsa.url, timestamp_timeout_ms: 5000, location: 'Lyon' } } },
    });
    expect(own.status, own.text).toBe(200);
    const issued = await ask('L-bt');
    expect(issued.status, issued.text).toBe(201);
    const code = String(issued.json.issue?.code);
    const pdf = await documentOf(code);
    expect(pdfsig(pdf, `${engine}-bt.pdf`)).toMatch(VALID);
    const v = await call(app.base, 'GET', `/api/v1/verify/${code}`);
    expect(v.json.signature).toMatchObject({ level: 'B-T' });
    expect(String((v.json.signature as Json).timestampedAt)).toMatch(/^\d{4}-\d\d-\d\dT/);

    tsa.mode = 'http-error';
    const failed = await ask('L-bt-failed');
    expect(failed.status, failed.text).toBe(503);
    expect(failed.json.error?.code).toBe('TIMESTAMP_FAILED');
    tsa.mode = 'ok';
    const none = await services.storage.db.selectFrom('issues').select('id').where('learner_id', '=', 'L-bt-failed').execute();
    expect(none).toEqual([]);

    const off = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { signature: { enabled: false } } },
    });
    expect(off.status, off.text).toBe(200);
    const plain = await ask('L-off');
    const unsigned = await documentOf(String(plain.json.issue?.code));
    expect(pdfsig(unsigned, `${engine}-off.pdf`)).toMatch(/does not contain any signatures/);
    expect((await upload(String(plain.json.issue?.code), unsigned)).json).toMatchObject({ match: 'current' });
    expect((await upload(String(plain.json.issue?.code), unsigned)).json.signature).toBeUndefined();
  });
});
