import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { updateCertificate } from '../../../server/domain/certificates';
import { getTemplate, publishTemplate, updateTemplate } from '../../../server/domain/templates';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { objectCounts, pdffonts, qpdfCheck, run, writeTemp } from '../../templates/pdf/helpers';

/**
 * A session's batch PDF over HTTP on both engines: the delivered documents of a certificate in one file,
 * locked and revoked ones left out (refused when named), other tenants and learner tokens refused, one
 * template version per file.
 */
const pool = useRenderPool(1);

const PERSONAS = ['accents', 'greek', 'cyrillic', 'arabic', 'japanese', 'camille-martin'];

describe.each(ENGINES)('batch PDF over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let learner: string;
  let otherAdmin: string;
  const codes: string[] = [];
  const batch = (body: Record<string, unknown>, token = admin, certificate = t.certificate.id) =>
    call(app.base, 'POST', `/api/v1/certificates/${certificate}/batch.pdf`, { token, body });
  const issue = async (learnerId: string, persona: string) => {
    const r = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available: true, data: learnerData({}, persona) },
    });
    expect(r.status).toBe(201);
    return String(r.json.issue?.code);
  };

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { example: 'diploma-background' });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
      })
    ).token;
    learner = (await createToken(services, t.system, { name: 'learner', capabilities: ['certificate:view', 'certificate:retrieve-own'] }))
      .token;
    const other = await setupTenant(services);
    otherAdmin = (await createToken(services, other.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    for (const [k, persona] of PERSONAS.entries()) codes.push(await issue(`L${k}`, persona));
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('answers one PDF of the delivered documents, locked and revoked ones left out', async () => {
    expect(
      (await call(app.base, 'POST', '/api/v1/issues/lock', { token: admin, body: { codes: [codes[4]], reason: 'unpaid' } })).status,
    ).toBe(200);
    expect((await call(app.base, 'POST', `/api/v1/issues/${codes[5]}/revoke`, { token: admin, body: { reason: 'in error' } })).status).toBe(
      200,
    );
    const r = await batch({});
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/pdf');
    expect(r.headers.get('attest-batch-documents')).toBe('4');
    expect(r.headers.get('attest-batch-left-out')).toBe('2');
    const path = writeTemp(r.bytes, `batch-http-${engine}.pdf`);
    qpdfCheck(path);
    const info = run('pdfinfo', [path]);
    expect(info).toMatch(/^Pages:\s+4$/m);
    expect(info).toMatch(/^Title:\s+batch of 4$/m);
    const names = pdffonts(path).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(new Set(names).size).toBe(names.length);
    expect(objectCounts(r.bytes)).toMatchObject({ forms: 1, pages: 4 });
    // Each page is one delivered issue, with its own code (and so its own QR code), in issue order.
    const onPages = [1, 2, 3, 4].map((k) => {
      const page = run('pdftotext', ['-f', String(k), '-l', String(k), '-enc', 'UTF-8', path, '-']);
      return codes.find((c) => page.includes(c));
    });
    expect(new Set(onPages)).toEqual(new Set(codes.slice(0, 4)));
    const rows = await services.storage.db
      .selectFrom('issues')
      .select(['code', 'created_at'])
      .where('code', 'in', codes.slice(0, 4))
      .execute();
    const order = rows.sort((a, b) => (a.created_at + a.code < b.created_at + b.code ? -1 : 1)).map((row) => row.code);
    expect(onPages).toEqual(order);

    // By code, in the order given; a locked or revoked one named is refused, not left out.
    const some = await batch({ codes: [codes[2], codes[0]] });
    expect(some.status).toBe(200);
    const p2 = writeTemp(some.bytes);
    expect(run('pdftotext', ['-f', '1', '-l', '1', p2, '-'])).toContain(codes[2]);
    expect(run('pdftotext', ['-f', '2', '-l', '2', p2, '-'])).toContain(codes[0]);
    const withheld = await batch({ codes: [codes[0], codes[4]] });
    expect(withheld.status).toBe(409);
    expect(withheld.json.error?.code).toBe('BATCH_NOT_DELIVERED');
    expect((await batch({ codes: ['ATT-0000-0000'] })).json.error?.code).toBe('BATCH_ISSUE_NOT_FOUND');
    // The same documents give the same bytes.
    expect(Buffer.from((await batch({})).bytes).equals(Buffer.from(r.bytes))).toBe(true);
  });

  it('refuses another tenant, a token without the export capability, bad selections and too large a batch', async () => {
    const foreign = await batch({}, otherAdmin);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error?.code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await batch({}, learner)).status).toBe(403);
    expect((await batch({}, lms)).status).toBe(403);
    expect((await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/batch.pdf`, { body: {} })).status).toBe(401);
    const both = await batch({ codes: [codes[0]], issued_from: '2020-01-01' });
    expect(both.status).toBe(422);
    expect((await batch({ states: ['revoked'] })).json.error?.code).toBe('EXPORT_STATE_EXCLUDED');
    expect((await batch({ issued_from: '2999-01-01' })).json.error?.code).toBe('BATCH_EMPTY');
    const big = await batch({ codes: Array.from({ length: 1001 }, () => codes[0]) });
    expect(big.status).toBe(422);
  });

  it('refuses documents of two template versions in one file, and makes each version’s file when asked', async () => {
    const template = await getTemplate(services, t.system, t.templateId);
    await updateTemplate(services, t.system, t.templateId, { source: template.source.replace('Diploma</text>', 'Diplôme</text>') });
    const { version } = await publishTemplate(services, t.system, t.templateId);
    await updateCertificate(services, t.system, t.certificate.id, { templateVersionId: version.id });
    await issue('L-new', 'greek');
    const mixed = await batch({});
    expect(mixed.status).toBe(409);
    expect(mixed.json.error?.code).toBe('BATCH_VERSIONS_MIXED');
    const newer = await batch({ template_version_ids: [version.id] });
    expect(newer.status).toBe(200);
    expect(newer.headers.get('attest-batch-documents')).toBe('1');
    expect(run('pdftotext', [writeTemp(newer.bytes), '-'])).toContain('Diplôme');
    const older = await batch({ template_version_ids: [t.version.id] });
    expect(older.headers.get('attest-batch-documents')).toBe('4');
  });
});
