import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../server/cli/main';
import type { IO } from '../../../server/cli/output';
import { openServices } from '../../../server/services';
import { createTenant, type Tenant } from '../../../server/domain/tenants';
import { regenerateIssue } from '../../../server/domain/issues';
import { codeKey, legacyCode, newVerificationCode, normalizeCode } from '../../../server/domain/codes';
import { importIssue } from '../../../server/domain/imports';
import type { DomainError } from '../../../server/domain/errors';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import type { Services } from '../../../server/domain/context';
import { migrateModCertificate, type MigrationReport } from '../../../server/migrate/mod-certificate/migrate';
import { openMoodle } from '../../../server/migrate/moodle/source';
import { scratchDatabase, uniqueSlug, type ScratchDatabase, type TestEngine } from '../../support/storage';
import { call, startApp, type Running } from '../../support/http';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';
import { CODES, fillSite, IMPORTED_ISSUES, KEPT_CODES, moodleDatabase, type MoodleEngine, type MoodleFixture } from './moodle-fixture';

/**
 * `attest migrate mod-certificate` end to end, through main() in-process: a Moodle-shaped site on MariaDB
 * and on PostgreSQL migrates into an Attest database (SQLite, PostgreSQL); the old codes verify over HTTP;
 * a second run changes nothing; a run stopped after a few issues and run again imports each issue once; the
 * Moodle database is the same afterwards.
 */

function captureIO(): IO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (s) => void (out += s), err: (s) => void (err += s), stdout: () => out, stderr: () => err };
}

async function migrate(args: string[]): Promise<{ code: number; report: MigrationReport; stderr: string }> {
  const io = captureIO();
  const code = await main(['migrate', 'mod-certificate', ...args, '--json', '--workers', '1'], io);
  const text = io.stdout();
  if (!text) throw new Error(`no report (exit ${code}): ${io.stderr()}`);
  return { code, report: JSON.parse(text) as MigrationReport, stderr: io.stderr() };
}

/** Row counts of every Attest table the migration writes: a second run must leave them as they are. */
async function counts(services: Services): Promise<Record<string, number>> {
  const db = services.storage.db;
  const out: Record<string, number> = {};
  for (const table of [
    'templates',
    'template_versions',
    'certificates',
    'issues',
    'documents',
    'audit',
    'blobs',
    'moodle_imports',
  ] as const) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

const CASES: [MoodleEngine, TestEngine][] = [
  ['mysql', 'sqlite'],
  ['postgres', 'postgres'],
];

describe.each(CASES)('migrate mod-certificate from %s into %s', (moodleEngine, attestEngine) => {
  let moodle: MoodleFixture;
  let attest: ScratchDatabase;
  let services: Services & { close(): Promise<void> };
  let tenant: Tenant;
  let app: Running;
  let before: string;
  let common: string[];

  beforeAll(async () => {
    moodle = await moodleDatabase(moodleEngine);
    await fillSite(moodle);
    before = await moodle.checksum();
    attest = await scratchDatabase(attestEngine);
    services = await openServices({ databaseUrl: attest.url, baseUrl: 'https://attest.test', render: { size: 1 } });
    tenant = await createTenant(services, { slug: uniqueSlug('campus'), name: 'Campus', settings: { locale: 'fr' } });
    app = await startApp(services);
    common = [
      '--from',
      moodle.url,
      '--moodledata',
      moodle.moodledata,
      '--moodle-code',
      moodle.moodleCode,
      '--tenant',
      tenant.slug,
      '--database',
      attest.url,
    ];
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await services?.close();
    await attest?.drop();
    await moodle?.drop();
  });

  it('says what it would do on a dry run, and writes nothing', async () => {
    const { code, report } = await migrate([...common, '--dry-run']);
    expect(code).toBe(4);
    expect(report.dryRun).toBe(true);
    expect(report.source.site).toBe('c3a1f0e2b7d94b1f8e1f7a0b2c9d4e5f');
    expect(report.certificates.map((c) => [c.instanceId, c.status])).toEqual([
      [1, 'would-import'],
      [2, 'would-import'],
      [3, 'would-import'],
      [4, 'not-imported'],
      [5, 'would-import'],
    ]);
    expect(report.issues).toMatchObject({ total: 12, imported: 0, pending: IMPORTED_ISSUES, newCode: 1 });
    const c = await counts(services);
    expect(c).toMatchObject({ templates: 0, certificates: 0, issues: 0, moodle_imports: 0 });
  }, 60_000);

  it('stops after --max-issues, and a second run imports the rest, each issue once', async () => {
    const first = await migrate([...common, '--max-issues', '3']);
    expect(first.report.stoppedEarly).toBe(true);
    expect(first.report.issues.imported).toBe(3);
    expect(first.report.instances.imported).toBe(4);
    expect((await counts(services)).issues).toBe(3);

    const second = await migrate(common);
    expect(second.code).toBe(4);
    expect(second.report.stoppedEarly).toBe(false);
    expect(second.report.instances).toMatchObject({ imported: 0, alreadyImported: 4, notImported: 1 });
    expect(second.report.issues).toMatchObject({ total: 12, imported: IMPORTED_ISSUES - 3, alreadyImported: 3, newCode: 1 });
    const c = await counts(services);
    expect(c.issues).toBe(IMPORTED_ISSUES);
    expect(c.documents).toBe(IMPORTED_ISSUES);
    expect(c.certificates).toBe(4);
    expect(c.template_versions).toBe(4);

    // What could not be mapped, and why: every case once.
    const reasons = second.report.unmapped.map((u) => `${u.kind} ${u.moodleId} ${u.reason}${u.field ? ` ${u.field}` : ''}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'instance 4 course-missing',
        'instance 1 image-missing printseal',
        'instance 5 template-warning certificatetype',
        'issue 4 user-deleted',
        'issue 5 user-missing',
        'issue 11 code-replaced',
        'issue 12 learner-has-document',
        'issue 4 instance-not-imported',
      ]),
    );
    expect(second.report.unmapped.find((u) => u.reason === 'instance-not-imported')).toMatchObject({ moodleId: 4, count: 1 });
    expect(reasons.filter((r) => r.includes('image-missing'))).toEqual(['instance 1 image-missing printseal']);
  }, 180_000);

  it('imports each issue with its code, date, learner and course as an LMS sends them', async () => {
    const db = services.storage.db;
    const certificates = await db.selectFrom('certificates').selectAll().where('tenant_id', '=', tenant.id).orderBy('course_id').execute();
    expect(certificates.map((c) => [c.name, c.course_id, c.activity_id]).sort()).toEqual([
      ['Activité SST', '2', '12'],
      ['Attestation Excel', '3', '11'],
      ['Certificat SST', '2', '10'],
      ['Type maison', '3', '14'],
    ]);
    const issues = await db.selectFrom('issues').selectAll().where('tenant_id', '=', tenant.id).execute();
    const byCode = new Map(issues.map((i) => [i.code, i]));
    expect([...byCode.keys()].filter((c) => legacyCode(c)).sort()).toEqual([...KEPT_CODES].sort());
    // The empty code got a new one of Attest's form.
    expect(issues.filter((i) => !legacyCode(i.code)).map((i) => normalizeCode(i.code) === i.code)).toEqual([true]);

    const camille = byCode.get(CODES.camille)!;
    expect(camille).toMatchObject({
      learner_id: '3',
      issued_on: '2025-09-03',
      created_at: '2025-09-03T08:00:00.000Z',
      state: 'issued',
      locked: 0,
    });
    const data = JSON.parse(camille.data) as Record<string, Record<string, unknown>>;
    expect(data.learner).toEqual({
      firstname: 'Camille',
      lastname: 'Martin',
      fullname: 'Camille Martin',
      email: 'camille@example.org',
      idnumber: 'E-42',
      username: 'cmartin',
      city: 'Lyon',
      country: 'FR',
      language: 'fr',
    });
    expect(data.course).toEqual({
      fullname: 'Sauveteur secouriste du travail',
      shortname: 'SST',
      idnumber: 'FOR-SST',
      summary: 'Gestes de premiers secours & prévention.',
      category: 'Santé et sécurité',
      startdate: '2025-09-01',
      enddate: '2025-09-02',
    });
    expect(data.grade).toEqual({ value: 15.5, max: 20, percent: 77.5, letter: 'C+', pass: 10 });
    expect(data.teachers).toEqual([{ name: 'Anne Bernard' }, { name: 'Julien Moreau' }]);
    expect(data.site).toEqual({ fullname: 'Campus Moodle', shortname: 'campus' });
    expect(data.certificate).toMatchObject({ code: CODES.camille, issued: '2025-09-03' });

    // Completion date, the activity's grade (with the course's own letters) and date graded.
    const excel = JSON.parse(byCode.get(CODES.camilleExcel)!.data) as Record<string, unknown>;
    expect(excel.completion).toEqual({ completed: true, date: '2025-10-15' });
    expect(excel.grade).toEqual({ activities: { '13': { value: 17, max: 20, percent: 85, letter: 'Acquis' } } });
    expect(byCode.get(CODES.camilleExcel)!.achieved_on).toBe('2025-10-15');
    const activity = JSON.parse(byCode.get(CODES.camilleActivity)!.data) as Record<string, unknown>;
    // printdate = course module 13: the date that activity was graded, as mod_certificate prints it.
    expect(activity.activities).toEqual({ '13': '2025-10-14' });
    // printgrade = minus a grade category: that category's grade, as the migrated template declares it.
    expect(activity.grade_category).toEqual({ value: 45, max: 50, percent: 90, letter: 'A-' });
    expect(JSON.parse(byCode.get(CODES.jules)!.data)).not.toHaveProperty('completion'); // no completion time: not completed
    const custom = JSON.parse(byCode.get(CODES.leaCustom)!.data) as Record<string, unknown>;
    expect(custom.outcomes).toEqual([{ name: 'Protéger', grade: '3' }]);
    expect((custom.learner as Record<string, unknown>).email).toBeUndefined(); // "not an address" is not sent

    // The audit trail says imported, by the operator.
    const audit = await db
      .selectFrom('audit')
      .select(['action', 'actor', 'details'])
      .where('subject_id', '=', camille.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['imported', 'system'],
      ['rendered', 'system'],
    ]);
    expect(JSON.parse(audit[0]!.details!)).toMatchObject({
      from: 'c3a1f0e2b7d94b1f8e1f7a0b2c9d4e5f',
      record: '1',
      code: CODES.camille,
      codeKept: true,
    });
  });

  it('verifies every old code through the public API, exactly as printed', async () => {
    for (const code of KEPT_CODES) {
      const r = await call(app.base, 'GET', `/api/v1/verify/${code}`);
      expect(r.status, code).toBe(200);
      expect(r.json.status, code).toBe('valid');
      expect(r.json.code).toBe(code);
    }
    const camille = await call(app.base, 'GET', `/api/v1/verify/${CODES.camille}`);
    expect(camille.json).toMatchObject({ learner: 'Camille Martin', course: 'Sauveteur secouriste du travail', issuedOn: '2025-09-03' });
    const page = await call(app.base, 'GET', `/verify/${CODES.camille}`);
    expect(page.status).toBe(200);
    // Unknown: a legacy-looking code no document has, the same code in another case, the codes not imported.
    for (const code of [
      'Zz9Yy8Xx7W',
      CODES.camille.toLowerCase(),
      CODES.camille.toUpperCase(),
      CODES.deleted,
      CODES.deletedCourse,
      CODES.duplicate,
    ]) {
      const r = await call(app.base, 'GET', `/api/v1/verify/${code}`);
      expect(r.status, code).toBe(404);
      expect(r.json.error?.code).toBe('VERIFICATION_CODE_UNKNOWN');
    }
  });

  it('made every document, and each can be made again', async () => {
    const db = services.storage.db;
    const issues = await db.selectFrom('issues').select(['code', 'pdf_sha256']).where('tenant_id', '=', tenant.id).execute();
    for (const i of issues) {
      const pdf = await services.storage.documents.read(db, i.pdf_sha256);
      expect(pdf, i.code).toBeDefined();
    }
    const pdf = (await services.storage.documents.read(db, issues.find((i) => i.code === CODES.camille)!.pdf_sha256))!;
    const text = pdftotext(writeTemp(pdf));
    expect(text).toContain('Camille Martin');
    expect(text).toContain(CODES.camille);
    const again = await regenerateIssue(services, { kind: 'system', tenantId: tenant.id }, CODES.camille, { reason: 'test' });
    expect(again).toMatchObject({ code: CODES.camille, revision: 2, issuedOn: '2025-09-03' });
  }, 60_000);

  it('changes nothing when run again, and never wrote to Moodle', async () => {
    const c = await counts(services);
    const third = await migrate(common);
    expect(third.code).toBe(4);
    expect(third.report.issues).toMatchObject({ imported: 0, alreadyImported: IMPORTED_ISSUES });
    expect(third.report.instances).toMatchObject({ imported: 0, alreadyImported: 4 });
    expect(await counts(services)).toEqual(c);
    expect(await moodle.checksum()).toBe(before);
  }, 60_000);

  it('keeps codes unique across tenants: a second tenant importing the same site gets none of its codes', async () => {
    const other = await createTenant(services, { slug: uniqueSlug('other'), name: 'Other', settings: { locale: 'en' } });
    const args = common.map((a) => (a === tenant.slug ? other.slug : a));
    const { code, report } = await migrate(args);
    expect(code).toBe(4);
    expect(report.issues.imported).toBe(1); // the issue that had no code, with a new one
    expect(report.unmapped.filter((u) => u.reason === 'code-taken').map((u) => u.moodleId)).toEqual([1, 2, 3, 6, 7, 8, 10]);
    const r = await call(app.base, 'GET', `/api/v1/verify/${CODES.camille}`);
    expect(r.json.learner).toBe('Camille Martin');
  }, 120_000);

  it('imports only for the operator, and refuses a code of no known form', async () => {
    const certificate = await services.storage.db
      .selectFrom('certificates')
      .select('id')
      .where('tenant_id', '=', tenant.id)
      .executeTakeFirstOrThrow();
    const input = {
      source: { site: 's', id: '1' },
      certificateId: certificate.id,
      learnerId: '900',
      issuedAt: new Date('2025-01-01T00:00:00Z'),
      data: {},
    };
    const token = { kind: 'token' as const, id: 'x', tenantId: tenant.id, name: 'lms', capabilities: new Set(ALL_CAPABILITIES) };
    expect(await importIssue(services, token, { ...input, code: 'Zz9Yy8Xx7W' }).catch((e: DomainError) => e.code)).toBe(
      'IMPORT_OPERATOR_ONLY',
    );
    const system = { kind: 'system' as const, tenantId: tenant.id };
    expect(await importIssue(services, system, { ...input, code: 'short' }).catch((e: DomainError) => e.code)).toBe('IMPORT_CODE_INVALID');
  });

  it('writes a text report and says what a wrong command line is', async () => {
    const io = captureIO();
    expect(await main(['migrate', 'mod-certificate', ...common, '--dry-run'], io)).toBe(4);
    expect(io.stdout()).toContain('certificates: 5 in Moodle');
    expect(io.stdout()).toContain('issue 4: user-deleted');
    const bad = captureIO();
    expect(
      await main(['migrate', 'mod-certificate', '--from', 'sqlite:/tmp/x', '--tenant', tenant.slug, '--database', attest.url], bad),
    ).toBe(2);
    expect(bad.stderr()).toContain('mysql://');
    const help = captureIO();
    expect(await main(['migrate', 'mod-certificate', '--help'], help)).toBe(0);
    expect(help.stdout()).toContain('Examples:');
  });
});

describe('legacy codes', () => {
  it('are accepted exactly as mod_certificate makes them, and loosen nothing about new codes', () => {
    expect(legacyCode('aB3dE5fG7h')).toBe('aB3dE5fG7h');
    expect(legacyCode(' aB3dE5fG7h ')).toBe('aB3dE5fG7h');
    for (const bad of ['aB3dE5fG7', 'aB3dE5fG7hX', 'aB3dE-fG7h', 'aB3dé5fG7h', '']) expect(legacyCode(bad), bad).toBeUndefined();
    // A new code keeps its own forgiving reading; a legacy code is never read as one, nor one as legacy.
    const fresh = newVerificationCode();
    expect(codeKey(fresh.toLowerCase().replace(/-/g, ''))).toBe(fresh);
    expect(legacyCode(fresh)).toBeUndefined();
    expect(normalizeCode('aB3dE5fG7h')).toBeUndefined();
    expect(codeKey('aB3dE5fG7h')).toBe('aB3dE5fG7h');
  });
});

describe('a run stopped by its signal in the middle of the issues', () => {
  let moodle: MoodleFixture;
  let attest: ScratchDatabase;
  let services: Services & { close(): Promise<void> };
  let tenant: Tenant;

  beforeAll(async () => {
    moodle = await moodleDatabase('postgres', 'm2_');
    await fillSite(moodle);
    attest = await scratchDatabase('sqlite');
    services = await openServices({ databaseUrl: attest.url, baseUrl: 'https://attest.test', render: { size: 1 } });
    tenant = await createTenant(services, { slug: uniqueSlug('stop'), name: 'Stop', settings: { locale: 'en' } });
  }, 60_000);
  afterAll(async () => {
    await services?.close();
    await attest?.drop();
    await moodle?.drop();
  });

  /** One run straight through the migration function, two issues rendered at a time, aborted after `after` issues went by. */
  async function run(after?: number): Promise<MigrationReport> {
    const source = await openMoodle(moodle.url, moodle.prefix);
    const stop = new AbortController();
    let seen = 0;
    try {
      return await migrateModCertificate(services, {
        moodle: source,
        tenant,
        actor: { kind: 'system', tenantId: tenant.id },
        moodledata: moodle.moodledata,
        moodleCode: moodle.moodleCode,
        concurrency: 2,
        pageSize: 4,
        signal: stop.signal,
        progress: () => ({
          tick: () => {
            if (after !== undefined && ++seen === after) stop.abort();
          },
          total: () => {},
          stop: () => {},
        }),
      });
    } finally {
      await source.close();
    }
  }

  it('keeps what it imported, and the next run imports each remaining issue once', async () => {
    const first = await run(3);
    expect(first.stoppedEarly).toBe(true);
    expect(first.issues.imported).toBeGreaterThanOrEqual(2);
    expect(first.issues.imported).toBeLessThan(IMPORTED_ISSUES);
    const second = await run();
    expect(second.stoppedEarly).toBe(false);
    expect(second.issues.imported + second.issues.alreadyImported).toBe(IMPORTED_ISSUES);
    expect(second.issues.alreadyImported).toBe(first.issues.imported);
    const rows = await services.storage.db.selectFrom('issues').select(['code', 'learner_id', 'certificate_id']).execute();
    expect(rows).toHaveLength(IMPORTED_ISSUES);
    expect(new Set(rows.map((r) => `${r.certificate_id}:${r.learner_id}`)).size).toBe(IMPORTED_ISSUES);
    expect(new Set(rows.map((r) => r.code)).size).toBe(IMPORTED_ISSUES);
  }, 120_000);
});
