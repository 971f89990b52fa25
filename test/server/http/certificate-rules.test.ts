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
import { readZip } from '../../support/zip';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

/**
 * Issue 15 over HTTP, on both engines: a certificate that requires another refuses a learner who does not
 * hold it (PREREQUISITE_MISSING, the missing one named) and issues once they do; a certificate's file-name
 * pattern names downloads; the delivered documents of a certificate come as one ZIP, each PDF read back.
 */
const pool = useRenderPool(2);

/** Camille Martin's data, with a learner of another name when given. */
function dataOf(learner: Record<string, unknown> = {}): Record<string, unknown> {
  const d = learnerData();
  d.learner = { ...(d.learner as Record<string, unknown>), ...learner };
  return d;
}

describe.each(ENGINES)('certificate prerequisites, file names and documents ZIP over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let other: TenantFixture;
  let admin: string;
  let otherAdmin: string;
  let lms: string;
  let learner: string;
  let second: string;
  const A = () => t.certificate.id;
  const ask = (certificate: string, learnerId: string, data = dataOf()) =>
    call(app.base, 'POST', `/api/v1/certificates/${certificate}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available: true, data },
    });
  const patch = (certificate: string, settings: Record<string, unknown>, token = admin) =>
    call(app.base, 'PATCH', `/api/v1/certificates/${certificate}`, { token, body: { settings } });
  const codesOf = (answer: { json: Json }) => list(answer.json.error?.reasons).map((r) => r.code);

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    other = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    otherAdmin = (await createToken(services, other.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
    learner = (await createToken(services, t.system, { name: 'learner', capabilities: [...DEFAULT_ROLES.learner!] })).token;
    const made = await call(app.base, 'POST', '/api/v1/certificates', {
      token: admin,
      body: { name: 'SST — recyclage', template_version_id: t.version.id, course_id: 'course-2', settings: { requires: [A()] } },
    });
    expect(made.status, made.text).toBe(201);
    second = String(made.json.id);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a learner without the required certificate, naming it, then issues once it is delivered', async () => {
    const refused = await ask(second, 'L1');
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe('DELIVERY_REFUSED');
    expect(codesOf(refused)).toEqual(['PREREQUISITE_MISSING']);
    expect(String(list(refused.json.error?.reasons)[0]?.message)).toContain('« Sauveteur secouriste du travail »');
    const refusals = await call(app.base, 'GET', `/api/v1/refusals?learner=L1&certificate=${second}`, { token: admin });
    expect(list(refusals.json as never).flatMap((r) => list(r.reasons).map((x) => x.code))).toEqual(['PREREQUISITE_MISSING']);

    // Said again in the caller's language, the names with it.
    const english = await call(app.base, 'POST', `/api/v1/certificates/${second}/issues`, {
      token: lms,
      headers: { 'accept-language': 'en' },
      body: { learner_id: 'L1', available: true, data: dataOf() },
    });
    expect(String(list(english.json.error?.reasons)[0]?.message)).toBe(
      'This certificate requires holding these certificates first: “Sauveteur secouriste du travail”.',
    );

    expect((await ask(A(), 'L1')).status).toBe(201);
    const issued = await ask(second, 'L1');
    expect(issued.status, issued.text).toBe(201);
    expect(issued.json.issue?.certificateId).toBe(second);
  });

  it('does not count a locked or a revoked prerequisite', async () => {
    const locked = await ask(A(), 'L-locked');
    const lockedCode = String(locked.json.issue?.code);
    const lock = await call(app.base, 'POST', '/api/v1/issues/lock', {
      token: admin,
      body: { codes: [lockedCode] },
    });
    expect(lock.status, lock.text).toBe(200);
    expect(codesOf(await ask(second, 'L-locked'))).toEqual(['PREREQUISITE_MISSING']);
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [lockedCode] } });
    expect((await ask(second, 'L-locked')).status).toBe(201);

    const revoked = String((await ask(A(), 'L-revoked')).json.issue?.code);
    const revoke = await call(app.base, 'POST', `/api/v1/issues/${revoked}/revoke`, {
      token: admin,
      body: { reason: 'fraud' },
    });
    expect(revoke.status, revoke.text).toBe(200);
    expect(codesOf(await ask(second, 'L-revoked'))).toEqual(['PREREQUISITE_MISSING']);
  });

  it('refuses a cycle (listing it), a self-reference and another tenant’s certificate', async () => {
    const cycle = await patch(A(), { requires: [second] });
    expect(cycle.status).toBe(422);
    expect(cycle.json.error?.code).toBe('PREREQUISITE_CYCLE');
    expect(cycle.json.error?.details?.cycle).toEqual([A(), second, A()]);
    expect(String(cycle.json.error?.message)).toContain(
      'Sauveteur secouriste du travail → SST — recyclage → Sauveteur secouriste du travail',
    );

    const self = await patch(second, { requires: [second] });
    expect(self.status).toBe(422);
    expect(list(self.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['settings.requires.0', 'PREREQUISITE_SELF']]);

    const foreign = await patch(second, { requires: [other.certificate.id] });
    expect(foreign.status).toBe(422);
    expect(list(foreign.json.error?.problems).map((p) => p.code)).toEqual(['PREREQUISITE_UNKNOWN']);
    // Nothing was changed by the refusals.
    const now = await call(app.base, 'GET', `/api/v1/certificates/${second}`, { token: admin });
    expect(now.json.settings?.requires).toEqual([A()]);
  });

  it('refuses a file-name pattern that does not check, and names downloads by one that does', async () => {
    const bad = await patch(A(), { file_name: '{{ learner.nme }}.pdf' });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.code).toBe('CERTIFICATE_SETTINGS_INVALID');
    expect(list(bad.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['settings.file_name', 'FILE_NAME_PATTERN_INVALID']]);
    expect(String(list(bad.json.error?.problems)[0]?.message)).toContain('nme');
    expect((await patch(A(), { file_name: '{{ learner.lastname | upcase }}-{{ course.shortname }}' })).status).toBe(200);

    const code = String((await ask(A(), 'L1')).json.issue?.code);
    const doc = await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms });
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-disposition')).toBe(
      `attachment; filename="MARTIN-SST-2026-02.pdf"; filename*=UTF-8''MARTIN-SST-2026-02.pdf`,
    );

    const viet = await ask(A(), 'L-viet', dataOf({ lastname: 'Nguyễn/../CON', fullname: 'Ánh Nguyễn' }));
    expect(viet.status).toBe(201);
    const vietDoc = await call(app.base, 'GET', `/api/v1/issues/${String(viet.json.issue?.code)}/document`, { token: lms });
    const header = String(vietDoc.headers.get('content-disposition'));
    expect(decodeURIComponent(header.split("filename*=UTF-8''")[1]!)).toBe('NGUYỄN_.._CON-SST-2026-02.pdf');
  });

  it('serves the delivered documents of a certificate as a ZIP: entries named by the pattern, unique, a manifest, each PDF readable', async () => {
    // L1 and L-twin share a name; L-locked is now unlocked; L-revoked's document is revoked; L-held is locked.
    expect((await ask(A(), 'L-twin')).status).toBe(201);
    const held = String((await ask(A(), 'L-held', dataOf({ lastname: 'Held', fullname: 'Hélène Held' }))).json.issue?.code);
    await call(app.base, 'POST', '/api/v1/issues/lock', { token: admin, body: { codes: [held] } });

    const zip = await call(app.base, 'GET', `/api/v1/certificates/${A()}/documents.zip`, { token: admin });
    expect(zip.status, zip.text).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toContain("filename*=UTF-8''Sauveteur%20secouriste%20du%20travail.zip");
    const entries = await readZip(writeTemp(zip.bytes, `${engine}-documents.zip`));
    const pdfs = [...entries.keys()].filter((n) => n.endsWith('.pdf')).sort();
    expect(pdfs).toEqual([
      'MARTIN-SST-2026-02.pdf',
      'MARTIN-SST-2026-02~2.pdf',
      'MARTIN-SST-2026-02~3.pdf',
      'NGUYỄN_.._CON-SST-2026-02.pdf',
    ]);
    expect([...entries.keys()].slice(-2)).toEqual(['manifest.json', 'manifest.csv']);
    for (const name of pdfs) {
      const text = pdftotext(writeTemp(entries.get(name)!, `${engine}-${pdfs.indexOf(name)}.pdf`));
      expect(text).toContain(name.startsWith('NGUYỄN') ? 'Ánh Nguyễn' : 'Camille Martin');
    }
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as {
      format: string;
      documents: { file: string; learner_id: string; locked: boolean; state: string }[];
      not_delivered: number;
      problems: unknown[];
    };
    expect(manifest.format).toBe('attest-export/1');
    expect(manifest.documents.map((d) => d.file).sort()).toEqual(pdfs);
    expect(manifest.documents.map((d) => d.learner_id).sort()).toEqual(['L-locked', 'L-twin', 'L-viet', 'L1']);
    expect(manifest.not_delivered).toBe(2);
    expect(manifest.problems).toEqual([]);
    const csv = entries.get('manifest.csv')!.toString('utf8');
    expect(csv.startsWith('\ufeffarchive,file,code')).toBe(true);
    expect(csv.trim().split('\n')).toHaveLength(5);

    // The export's selection filters and includes.
    const withLocked = await call(app.base, 'GET', `/api/v1/certificates/${A()}/documents.zip?include_locked=true&learner=L-held,L1`, {
      token: admin,
    });
    const both = await readZip(writeTemp(withLocked.bytes, `${engine}-locked.zip`));
    expect([...both.keys()].filter((n) => n.endsWith('.pdf')).sort()).toEqual(['HELD-SST-2026-02.pdf', 'MARTIN-SST-2026-02.pdf']);
    const later = await call(app.base, 'GET', `/api/v1/certificates/${A()}/documents.zip?issued_from=2999-01-01`, { token: admin });
    expect([...(await readZip(writeTemp(later.bytes, `${engine}-empty.zip`))).keys()]).toEqual(['manifest.json', 'manifest.csv']);
  });

  it('answers forged ZIP requests with the right 4xx', async () => {
    const path = `/api/v1/certificates/${A()}/documents.zip`;
    const asLearner = await call(app.base, 'GET', path, { token: learner });
    expect(asLearner.status).toBe(403);
    expect(asLearner.json.error?.code).toBe('CAPABILITY_REQUIRED');
    const asLms = await call(app.base, 'GET', path, { token: lms });
    expect(asLms.status).toBe(403);
    const otherTenant = await call(app.base, 'GET', path, { token: otherAdmin });
    expect(otherTenant.status).toBe(404);
    expect(otherTenant.json.error?.code).toBe('CERTIFICATE_NOT_FOUND');
    expect((await call(app.base, 'GET', path)).status).toBe(401);
    const badState = await call(app.base, 'GET', `${path}?state=bogus`, { token: admin });
    expect(badState.status).toBe(422);
    expect(badState.json.error?.code).toBe('SELECTION_INVALID');
    const excluded = await call(app.base, 'GET', `${path}?state=revoked`, { token: admin });
    expect(excluded.status).toBe(422);
    expect(excluded.json.error?.code).toBe('EXPORT_STATE_EXCLUDED');
    const badDay = await call(app.base, 'GET', `${path}?issued_from=yesterday`, { token: admin });
    expect(badDay.status).toBe(422);
    const unknownQuery = await call(app.base, 'GET', `${path}?format=tar`, { token: admin });
    expect(unknownQuery.status).toBe(422);
    expect(unknownQuery.json.error?.code).toBe('REQUEST_INVALID');
  });
});
