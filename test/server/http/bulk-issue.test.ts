import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { updateCertificate } from '../../../server/domain/certificates';
import { createPerson } from '../../../server/domain/people';
import { createToken } from '../../../server/domain/tokens';
import { startQueueWorkers } from '../../../server/jobs/workers';
import { openQueue } from '../../../server/jobs/queue';
import { workQueue } from '../../../server/jobs/workers';
import { bulkRunFinished } from '../../../server/domain/bulk-issue';
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
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

/**
 * Bulk issue over HTTP, on both engines: a CSV file (BOM, `;`, CRLF, quotes, Arabic and Japanese names, a
 * name that looks like markup and Liquid, a formula) dry-run, confirmed, issued by the server's queue
 * workers, its documents downloaded and read back; bad files refused cell by cell; forged requests refused.
 */
const pool = useRenderPool(2);

const MAPPING = {
  Prénom: 'learner.firstname',
  Nom: 'learner.lastname',
  Cours: 'course.fullname',
  Terminé: 'completion.completed',
  Date: 'completion.date',
};
const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64');

describe.each(ENGINES)('bulk issue over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let other: TenantFixture;
  let admin: string;
  let otherAdmin: string;
  let lms: string;
  const issuesOf = (learners: string[]) =>
    services.storage.db.selectFrom('issues').select(['learner_id', 'code']).where('learner_id', 'in', learners).execute();
  const post = (path: string, body: unknown, token = admin) => call(app.base, 'POST', `/api/v1${path}`, { token, body });
  const get = (path: string, token = admin) => call(app.base, 'GET', `/api/v1${path}`, { token });
  const dryCsv = (csv: string | Uint8Array, more: Record<string, unknown> = {}, token = admin) =>
    post(
      `/certificates/${t.certificate.id}/bulk-issues/csv`,
      { csv_base64: b64(csv), learner_id_column: 'id', mapping: MAPPING, ...more },
      token,
    );

  beforeAll(async () => {
    process.env.ATTEST_BULK_CHUNK = '2';
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    other = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    otherAdmin = (await createToken(services, other.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('dry-runs a CSV file, confirms it, and the server’s workers issue exactly what it promised', async () => {
    const csv =
      '\uFEFFid;Prénom;Nom;Cours;Terminé;Date\r\n' +
      'h1;Zoé;Durand;"SST; initiale";1;2026-02-03\r\n' +
      'h2;فاطمة;الزهراء;SST;1;2026-02-03\r\n' +
      'h3;山田;太郎;SST;1;2026-02-03\r\n' +
      'h4;<b>{{ 7*7 }}</b>;Literal;SST;1;2026-02-03\r\n' +
      "h5;=cmd|' /C calc'!A0;Formule;SST;1;2026-02-03\r\n" +
      'h6;Pas;Fini;SST;0;\r\n';
    const dry = await dryCsv(csv);
    expect(dry.status, dry.text).toBe(201);
    expect(dry.json.state).toBe('dry-run');
    const items = list(dry.json.items);
    expect(items.map((i) => [i.row, i.learnerId, i.expected])).toEqual([
      [2, 'h1', 'issue'],
      [3, 'h2', 'issue'],
      [4, 'h3', 'issue'],
      [5, 'h4', 'issue'],
      [6, 'h5', 'issue'],
      [7, 'h6', 'refused'],
    ]);
    expect(list(items[5]!.reasons).map((r) => r.code)).toEqual(['COURSE_NOT_COMPLETED']);
    expect(list(items[4]!.warnings).map((w) => w.code)).toEqual(['CSV_FORMULA_LIKE']);
    // Nothing issued by a dry run.
    expect(await issuesOf(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'])).toEqual([]);

    const fingerprint = String(dry.json.fingerprint);
    const wrong = await post(`/bulk-issues/${String(dry.json.id)}/confirm`, { fingerprint: 'x' });
    expect(wrong.status).toBe(409);
    expect(wrong.json.error?.code).toBe('BULK_FINGERPRINT_MISMATCH');

    const confirmed = await post(`/bulk-issues/${String(dry.json.id)}/confirm`, { fingerprint });
    expect(confirmed.status, confirmed.text).toBe(202);
    expect(confirmed.json.state).toBe('running');
    const twice = await post(`/bulk-issues/${String(dry.json.id)}/confirm`, { fingerprint });
    expect(twice.status).toBe(200);
    expect(twice.json.id).toBe(dry.json.id);

    // The server's own queue workers (what `attest start` runs) take the run; the test polls it until done.
    const workers = startQueueWorkers(services, { idleMs: 10 });
    let run: Json = confirmed.json;
    try {
      for (let i = 0; i < 2000 && String(run.state) !== 'complete'; i++) {
        await new Promise((r) => setTimeout(r, 10));
        run = (await get(`/bulk-issues/${String(dry.json.id)}`)).json;
      }
    } finally {
      await workers.stop();
    }
    expect(run.state).toBe('complete');
    expect(run.progress).toEqual({ toIssue: 5, pending: 0, done: 5, issued: 5, already: 0, refused: 0, invalid: 0, failed: 0 });
    const done = list(run.items);
    expect(done.map((i) => i.status)).toEqual(['issued', 'issued', 'issued', 'issued', 'issued', 'refused']);
    expect(done.every((i) => (i.changed as unknown) === false)).toBe(true);
    const issued = await issuesOf(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
    expect(issued.map((i) => i.learner_id).sort()).toEqual(['h1', 'h2', 'h3', 'h4', 'h5']);

    const text = async (code: unknown) => {
      const doc = await get(`/issues/${String(code)}/document`);
      expect(doc.status).toBe(200);
      return pdftotext(writeTemp(doc.bytes)).replace(/\s+/g, ' ');
    };
    expect(await text(done[0]!.code)).toContain('Zoé Durand');
    const literal = await text(done[3]!.code);
    expect(literal).toContain('<b>{{ 7*7 }}</b> Literal');
    // As a word: the verification address's port or code may hold the digits.
    expect(literal).not.toMatch(/\b49\b/);
    expect(await text(done[4]!.code)).toContain("=cmd|' /C calc'!A0 Formule");
    // Confirming once more after the end issues nothing more.
    expect((await post(`/bulk-issues/${String(dry.json.id)}/confirm`, { fingerprint })).status).toBe(200);
    expect(await issuesOf(['h1', 'h2', 'h3', 'h4', 'h5'])).toHaveLength(5);
  });

  it('takes a JSON list of learners as the LMS sends each one, and says who is already issued, refused, or has bad data', async () => {
    const learners = [
      { learner_id: 'h1', available: true, data: learnerData() },
      { learner_id: 'j1', available: true, data: learnerData() },
      { learner_id: 'j2', available: false, unavailable_reason: 'Session annulée', data: learnerData() },
      {
        learner_id: 'j3',
        available: true,
        data: learnerData({ completion: { completed: true, date: '31/02/2026' }, learner: { email: 'pas-un-email' } }),
      },
    ];
    const dry = await post(`/certificates/${t.certificate.id}/bulk-issues`, { learners });
    expect(dry.status, dry.text).toBe(201);
    const items = list(dry.json.items);
    expect(items.map((i) => i.expected)).toEqual(['already', 'issue', 'refused', 'invalid']);
    expect(items[0]!.code).toBe((await issuesOf(['h1']))[0]!.code);
    expect(list(items[2]!.reasons)[0]!.message).toContain('Session annulée');
    expect(list(items[3]!.problems).map((p) => p.path)).toEqual(expect.arrayContaining(['data.completion.date', 'data.learner.email']));
    expect(dry.json.counts).toEqual({ total: 4, wouldIssue: 1, already: 1, refused: 1, invalid: 1 });

    const confirmed = await post(`/bulk-issues/${String(dry.json.id)}/confirm`, { fingerprint: dry.json.fingerprint });
    expect(confirmed.status).toBe(202);
    const queue = await openQueue(services);
    try {
      await workQueue(services, queue, { idleMs: 10, until: () => bulkRunFinished(services, String(dry.json.id)) });
    } finally {
      await queue.close();
    }
    const run = (await get(`/bulk-issues/${String(dry.json.id)}`)).json;
    expect(list(run.items).map((i) => i.status)).toEqual(['already', 'issued', 'refused', 'invalid']);
    expect(await issuesOf(['j1', 'j2', 'j3'])).toHaveLength(1);
  });

  it('refuses a confirm when the certificate changed since the dry run', async () => {
    const dry = await post(`/certificates/${t.certificate.id}/bulk-issues`, {
      learners: [{ learner_id: 'k1', available: true, data: learnerData() }],
    });
    await updateCertificate(services, t.system, t.certificate.id, { name: `Renamed ${engine}` });
    const r = await post(`/bulk-issues/${String(dry.json.id)}/confirm`, { fingerprint: dry.json.fingerprint });
    expect(r.status).toBe(409);
    expect(r.json.error?.code).toBe('BULK_CHANGED');
    expect(await issuesOf(['k1'])).toEqual([]);
  });

  it('lists every bad cell of a file with its row and column, and issues nothing', async () => {
    const r = await dryCsv('id,Prénom,Nom,Cours,Terminé,Date\nm1,Anne,Bon,SST,oui,2026-13-45\nm2,,,SST,1,2026-02-03\n');
    expect(r.status, r.text).toBe(422);
    expect(r.json.error?.code).toBe('BULK_CSV_INVALID');
    const cells = list(r.json.error?.details?.cells).map((c) => [c.row, c.column, c.code]);
    expect(cells).toEqual(
      expect.arrayContaining([
        [2, 'Terminé', 'BIND_TYPE'],
        [2, 'Date', 'BIND_FORMAT'],
      ]),
    );
    expect(list(r.json.error?.problems).map((p) => p.path)).toEqual(expect.arrayContaining(['rows[2]["Terminé"]', 'rows[2]["Date"]']));
    expect(await issuesOf(['m1', 'm2'])).toEqual([]);

    const mapping = await dryCsv('id,Nom\nx,y\n', { mapping: { Nom: 'learner.nom', Ailleurs: 'learner.firstname' } });
    expect(mapping.status).toBe(422);
    expect(list(mapping.json.error?.problems).map((p) => p.code)).toEqual(['MAPPING_UNKNOWN_VARIABLE', 'MAPPING_UNKNOWN_COLUMN']);
  });

  it('refuses hostile files: over the row limit, not UTF-8, neither or both of csv and csv_base64', async () => {
    const many = await dryCsv('id,Nom\n' + Array.from({ length: 5001 }, (_, i) => `r${i},N`).join('\n'), {
      mapping: { Nom: 'learner.lastname' },
    });
    expect(many.status).toBe(413);
    expect(many.json.error?.code).toBe('BULK_TOO_MANY_ROWS');
    expect(many.json.error?.details?.limit).toBe(5000);
    const latin1 = Uint8Array.from([...Buffer.from('id,Nom\nx,Ren'), 0xe9, 0x0a]);
    const notUtf8 = await dryCsv(latin1, { mapping: { Nom: 'learner.lastname' } });
    expect(notUtf8.status).toBe(422);
    expect(notUtf8.json.error?.code).toBe('BULK_CSV_NOT_UTF8');
    const neither = await post(`/certificates/${t.certificate.id}/bulk-issues/csv`, { learner_id_column: 'id', mapping: {} });
    expect(neither.json.error?.code).toBe('BULK_CSV_REQUIRED');
    const unclosed = await dryCsv('id,Nom\n"x,y\n', { mapping: { Nom: 'learner.lastname' } });
    expect(unclosed.status).toBe(422);
    expect(unclosed.json.error?.code).toBe('BULK_CSV_UNREADABLE');
  });

  it('refuses forged requests: another tenant’s certificate or run, a learner, an LMS token, malformed JSON', async () => {
    const body = { learners: [{ learner_id: 'self', available: true, data: learnerData() }] };
    const mine = await post(`/certificates/${t.certificate.id}/bulk-issues`, body);
    expect(mine.status).toBe(201);
    const otherCert = await post(`/certificates/${t.certificate.id}/bulk-issues`, body, otherAdmin);
    expect(otherCert.status).toBe(404);
    expect(otherCert.json.error?.code).toBe('CERTIFICATE_NOT_FOUND');
    const otherRun = await get(`/bulk-issues/${String(mine.json.id)}`, otherAdmin);
    expect(otherRun.status).toBe(404);
    expect(otherRun.json.error?.code).toBe('BULK_RUN_NOT_FOUND');
    const otherConfirm = await post(`/bulk-issues/${String(mine.json.id)}/confirm`, { fingerprint: mine.json.fingerprint }, otherAdmin);
    expect(otherConfirm.json.error?.code).toBe('BULK_RUN_NOT_FOUND');

    const asLms = await post(`/certificates/${t.certificate.id}/bulk-issues`, body, lms);
    expect(asLms.status).toBe(403);
    expect(asLms.json.error?.code).toBe('CAPABILITY_REQUIRED');

    // A learner signed in, trying to certify themself and their friends.
    const password = 'learner password 1';
    await createPerson(services, t.system, { username: 'mallory', displayName: 'Mallory', password, roles: ['learner'] });
    const session = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: t.tenant.slug, username: 'mallory', password } });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const asLearner = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/bulk-issues`, {
      cookie,
      headers: { 'x-attest-csrf': '1' },
      body,
    });
    expect(asLearner.status).toBe(403);
    expect(asLearner.json.error?.code).toBe('CAPABILITY_REQUIRED');
    const learnerConfirm = await call(app.base, 'POST', `/api/v1/bulk-issues/${String(mine.json.id)}/confirm`, {
      cookie,
      headers: { 'x-attest-csrf': '1' },
      body: { fingerprint: mine.json.fingerprint },
    });
    expect(learnerConfirm.status).toBe(403);

    const malformed = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/bulk-issues`, {
      token: admin,
      raw: '{"learners": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error?.code).toBe('BODY_NOT_JSON');
    const unknownKey = await post(`/certificates/${t.certificate.id}/bulk-issues`, { ...body, issue_now: true });
    expect(unknownKey.status).toBe(422);
    expect(unknownKey.json.error?.code).toBe('REQUEST_INVALID');
    expect(await issuesOf(['self'])).toEqual([]);
  });
});
