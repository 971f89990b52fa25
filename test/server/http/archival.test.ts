import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { dirname, join } from 'node:path';
import { compileTemplateFile, bundledExamples } from '../../../templates/files';
import { archivalConformance } from '../../../templates/pdf';
import { previewData } from '../../../variables/samples';
import type { Schema } from '../../../variables/types';
import { personas } from '../../../variables/personas';
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
import { checkPdfA } from '../../templates/pdf/pdfa';

/**
 * Issue 17, archival, over HTTP on both engines: a tenant default and a certificate's own setting; every
 * bundled example with every sample learner issued as PDF/A-3b and checked with every tool here; the
 * verification answer and page say so; a regeneration after the setting changed redoes the document and
 * the earlier file verifies as superseded; protection and archival on the same documents are refused when
 * the settings are saved, whichever side asks.
 */
const pool = useRenderPool(1);
const EXAMPLES = ['attestation-fr', 'diploma-background', 'transcript-en'] as const;
const EXAMPLES_DIR = dirname(bundledExamples()[0]!);

describe.each(ENGINES)('PDF/A-3b documents over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  const tenants = new Map<string, { t: TenantFixture; admin: string; lms: string; declared: Schema }>();
  const previous = process.env.ATTEST_SECRET_KEY;
  const of = (example: string) => tenants.get(example)!;
  // The LMS sends the learner's data and the template's own variables (a transcript's modules) as a preview would.
  const ask = (example: string, learnerId: string, persona = 'camille-martin') =>
    call(app.base, 'POST', `/api/v1/certificates/${of(example).t.certificate.id}/issues`, {
      token: of(example).lms,
      body: { learner_id: learnerId, available: true, data: previewData(of(example).declared, learnerData({}, persona)) },
    });
  const documentOf = async (example: string, code: string, name: string) => {
    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: of(example).lms });
    expect(doc.status, doc.text).toBe(200);
    return { path: writeTemp(doc.bytes, `${engine}-${name}.pdf`), bytes: doc.bytes };
  };
  const patchCertificate = (example: string, settings: Record<string, unknown>) =>
    call(app.base, 'PATCH', `/api/v1/certificates/${of(example).t.certificate.id}`, { token: of(example).admin, body: { settings } });
  const patchTenant = (example: string, settings: Record<string, unknown>) =>
    call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: of(example).admin, body: settings });
  const problems = (r: { json: Json }) => list(r.json.error?.problems).map((p) => [p.path, p.code]);

  beforeAll(async () => {
    process.env.ATTEST_SECRET_KEY = 'installation key for the archival test';
    services = await freshServices(engine, { pool: pool() });
    // Every learner of every example is verified twice (answer and page): more than one address may ask in a minute.
    app = await startApp(services, { limits: { verifyPerMinute: 1_000_000 } });
    for (const example of EXAMPLES) {
      // Without completion tracking: the sample learner with only required fields has no completion.
      const t = await setupTenant(services, { example, settings: { archival: {}, completion_tracking: false } });
      const declared = (await compileTemplateFile(join(EXAMPLES_DIR, `${example}.liquid`))).template!.declared;
      const admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
      const lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
      tenants.set(example, { t, admin, lms, declared });
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (previous === undefined) delete process.env.ATTEST_SECRET_KEY;
    else process.env.ATTEST_SECRET_KEY = previous;
  });

  it.each(EXAMPLES)(
    '%s: every sample learner gets a PDF/A-3b document; the verification answer and page say so',
    async (example) => {
      for (const persona of personas) {
        const issued = await ask(example, `L-${persona.id}`, persona.id);
        expect(issued.status, `${persona.id}: ${issued.text}`).toBe(201);
        const code = String(issued.json.issue?.code);
        const { path, bytes } = await documentOf(example, code, `${example}-${persona.id}`);
        expect(archivalConformance(bytes)).toBe('PDF/A-3b');
        // Every tool's check of every learner's file is the writer's test (archival-examples.test.ts); through
        // the API the first learner's file is checked in full, the others by what they declare.
        if (persona === personas[0]) checkPdfA(path);
        const verified = await call(app.base, 'GET', `/api/v1/verify/${code}`);
        expect(verified.json.archival, persona.id).toBe('PDF/A-3b');
      }
      const code = String((await ask(example, 'L-camille')).json.issue?.code);
      const page = await call(app.base, 'GET', `/verify/${code}`);
      expect(page.text).toContain('PDF/A-3b (ISO 19005-3)');
    },
    180_000,
  );

  it('a certificate turns the tenant default off; a regeneration after turning it on again redoes the document as PDF/A, the earlier file superseded', async () => {
    const off = await patchCertificate('attestation-fr', { archival: { enabled: false } });
    expect(off.status, off.text).toBe(200);
    const issued = await ask('attestation-fr', 'L-regenerated');
    expect(issued.status, issued.text).toBe(201);
    const code = String(issued.json.issue?.code);
    const before = await documentOf('attestation-fr', code, 'plain');
    expect(archivalConformance(before.bytes)).toBeUndefined();
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.archival).toBeUndefined();
    expect((await call(app.base, 'GET', `/verify/${code}`)).text).not.toContain('PDF/A-3b');

    // null: back to the tenant's default (archival).
    expect((await patchCertificate('attestation-fr', { archival: null })).status).toBe(200);
    const regen = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, {
      token: of('attestation-fr').admin,
      body: { reason: 'archival' },
    });
    expect(regen.status, regen.text).toBe(200);
    expect(regen.json.revision).toBe(2);
    const after = await documentOf('attestation-fr', code, 'regenerated');
    expect(archivalConformance(after.bytes)).toBe('PDF/A-3b');
    checkPdfA(after.path);
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.archival).toBe('PDF/A-3b');
    const check = async (bytes: Uint8Array) =>
      (await call(app.base, 'POST', `/api/v1/verify/${code}/document`, { raw: bytes, headers: { 'content-type': 'application/pdf' } })).json
        .match;
    expect(await check(after.bytes)).toBe('current');
    expect(await check(before.bytes)).toBe('superseded');
    // What the revisions were made from differs: a changed-only regeneration sees the setting.
    const revisions = await services.storage.db
      .selectFrom('documents')
      .innerJoin('issues', 'issues.id', 'documents.issue_id')
      .select(['documents.revision', 'documents.inputs_sha256'])
      .where('issues.code', '=', code)
      .orderBy('documents.revision')
      .execute();
    expect(revisions).toHaveLength(2);
    expect(revisions[0]!.inputs_sha256).not.toBe(revisions[1]!.inputs_sha256);
  });

  it('refuses protection and archival on the same documents, whichever setting asks, and takes them on different ones', async () => {
    // The tenant's two defaults together.
    const both = await patchTenant('diploma-background', { protection: { cipher: 'aes-128' } });
    expect(both.status).toBe(422);
    expect(both.json.error?.code).toBe('TENANT_SETTINGS_INVALID');
    expect(problems(both)).toEqual([['archival', 'ARCHIVAL_EXCLUDES_PROTECTION']]);
    // A certificate's protection under the tenant's archival default.
    const own = await patchCertificate('diploma-background', { protection: { cipher: 'aes-128' } });
    expect(own.status).toBe(422);
    expect(own.json.error?.code).toBe('CERTIFICATE_SETTINGS_INVALID');
    expect(problems(own)).toEqual([['settings.protection', 'ARCHIVAL_EXCLUDES_PROTECTION']]);
    // Turning archival off for the certificate makes its protection possible: encrypted, not PDF/A.
    const apart = await patchCertificate('diploma-background', { protection: { cipher: 'aes-128' }, archival: { enabled: false } });
    expect(apart.status, apart.text).toBe(200);
    const issued = await ask('diploma-background', 'L-protected');
    const { bytes } = await documentOf('diploma-background', String(issued.json.issue?.code), 'protected');
    expect(archivalConformance(bytes)).toBeUndefined();
    expect(Buffer.from(bytes).toString('latin1')).toContain('/Encrypt');

    // A tenant default that would make a certificate keeping it ask for both is refused, naming it.
    expect((await patchCertificate('transcript-en', { archival: {} })).status).toBe(200);
    const named = await patchTenant('transcript-en', { archival: null, protection: { cipher: 'aes-128' } });
    expect(named.status).toBe(422);
    expect(problems(named)).toEqual([['protection', 'ARCHIVAL_EXCLUDES_PROTECTION']]);
    expect(String(list(named.json.error?.problems)[0]?.message)).toContain('Sauveteur secouriste du travail');

    // Settings stored both ways by hand are refused when a document is made, never written half-true.
    await services.storage.db
      .updateTable('certificates')
      .set({ settings: JSON.stringify({ archival: { enabled: true }, protection: { enabled: true, cipher: 'aes-128', permissions: {} } }) })
      .where('id', '=', of('transcript-en').t.certificate.id)
      .execute();
    const conflict = await ask('transcript-en', 'L-conflict');
    expect(conflict.status, conflict.text).toBe(409);
    expect(conflict.json.error?.code).toBe('ARCHIVAL_PROTECTION_CONFLICT');
  });
});
