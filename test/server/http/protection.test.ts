import { execFileSync } from 'node:child_process';
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

/**
 * Issue 17, protection, over HTTP on both engines: a tenant default and a certificate's own setting, the
 * passwords sealed (never in an answer, a row or the audit in clear), issued and regenerated documents
 * encrypted as asked, read back with qpdf and pdftotext.
 */
const pool = useRenderPool(1);

function tool(cmd: string, args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    return { ok: false, out: String((e as { stderr?: string }).stderr ?? e) };
  }
}

interface Encryption {
  encrypt: { encrypted: boolean; parameters: { R: number; V: number }; capabilities: Record<string, boolean> };
}
const encryptionOf = (path: string, password?: string): Encryption =>
  JSON.parse(tool('qpdf', [...(password ? [`--password=${password}`] : []), '--json', '--json-key=encrypt', path]).out) as Encryption;

describe.each(ENGINES)('PDF protection over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  const previous = process.env.ATTEST_SECRET_KEY;
  const ask = (learnerId: string) =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available: true, data: learnerData() },
    });
  const documentOf = async (code: string, name: string) => {
    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(doc.status, doc.text).toBe(200);
    return { path: writeTemp(doc.bytes, `${engine}-${name}.pdf`), bytes: doc.bytes };
  };

  beforeAll(async () => {
    delete process.env.ATTEST_SECRET_KEY;
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = previous;
  });

  it('refuses protection while the installation has no key, naming the setting', async () => {
    const r = await call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body: { protection: { cipher: 'aes-128' } } });
    expect(r.status).toBe(422);
    expect(r.json.error?.code).toBe('TENANT_SETTINGS_INVALID');
    expect(list(r.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['protection', 'PROTECTION_NEEDS_SECRET_KEY']]);
  });

  it('protects documents with the tenant default (AES-128, permissions, no user password)', async () => {
    process.env.ATTEST_SECRET_KEY = 'installation key for the protection test';
    const r = await call(app.base, 'PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { protection: { cipher: 'aes-128', permissions: { print: true, print_high_quality: false, copy: false } } },
    });
    expect(r.status, r.text).toBe(200);
    const issued = await ask('L-default');
    expect(issued.status, issued.text).toBe(201);
    const { path } = await documentOf(String(issued.json.issue?.code), 'default');
    const e = encryptionOf(path);
    expect(e.encrypt.encrypted).toBe(true);
    expect(e.encrypt.parameters).toMatchObject({ R: 4, V: 4 });
    expect(e.encrypt.capabilities).toMatchObject({
      printlow: true,
      printhigh: false,
      extract: false,
      accessibility: true,
      modifyother: false,
    });
    expect(tool('qpdf', ['--check', path]).out).toContain('No syntax or stream encoding errors');
    expect(tool('pdftotext', ['-enc', 'UTF-8', path, '-']).out).toContain('Camille Martin');
  });

  it('a certificate’s own setting (AES-256, user password) replaces it; the password is sealed everywhere', async () => {
    const r = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { protection: { cipher: 'aes-256', user_password: 'learner-pw', owner_password: 'owner-pw' } } },
    });
    expect(r.status, r.text).toBe(200);
    const answered = (r.json.settings as Json).protection as Record<string, unknown>;
    expect(String(answered.user_password)).toMatch(/^sealed:/);
    expect(r.text).not.toContain('learner-pw');
    const row = await services.storage.db
      .selectFrom('certificates')
      .select('settings')
      .where('id', '=', t.certificate.id)
      .executeTakeFirstOrThrow();
    expect(row.settings).not.toContain('learner-pw');
    expect(row.settings).not.toContain('owner-pw');
    const audit = await services.storage.db.selectFrom('audit').select('details').execute();
    expect(JSON.stringify(audit)).not.toContain('learner-pw');

    // Sending the settings back as they were answered keeps the password.
    const again = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { protection: answered } },
    });
    expect(again.status, again.text).toBe(200);

    const issued = await ask('L-own');
    expect(issued.status, issued.text).toBe(201);
    const code = String(issued.json.issue?.code);
    const { path, bytes } = await documentOf(code, 'own');
    expect(tool('pdftotext', ['-enc', 'UTF-8', path, '-']).ok).toBe(false);
    expect(tool('pdftotext', ['-enc', 'UTF-8', '-upw', 'learner-pw', path, '-']).out).toContain('Camille Martin');
    expect(encryptionOf(path, 'learner-pw').encrypt.parameters).toMatchObject({ R: 6, V: 5 });
    expect(tool('qpdf', ['--password=owner-pw', '--check', path]).out).toContain('No syntax or stream encoding errors');

    // Regenerated: protected again, the same bytes (nothing changed but the moment).
    const regen = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'test' } });
    expect(regen.status, regen.text).toBe(200);
    const after = await documentOf(code, 'regenerated');
    expect(encryptionOf(after.path, 'learner-pw').encrypt.parameters).toMatchObject({ R: 6, V: 5 });
    expect(Buffer.from(after.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a certificate turns the tenant default off with enabled: false; a foreign sealed value is refused', async () => {
    const bad = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { protection: { user_password: 'sealed:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } } },
    });
    expect(bad.status).toBe(422);
    expect(list(bad.json.error?.problems).map((p) => p.code)).toEqual(['PROTECTION_PASSWORD_SEALED_INVALID']);
    const off = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { protection: { enabled: false } } },
    });
    expect(off.status, off.text).toBe(200);
    const issued = await ask('L-off');
    const { path } = await documentOf(String(issued.json.issue?.code), 'off');
    expect(encryptionOf(path).encrypt.encrypted).toBe(false);
  });
});
