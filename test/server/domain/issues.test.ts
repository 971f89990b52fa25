import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import {
  listIssues,
  listRefusals,
  getIssue,
  issueAudit,
  requestDocument,
  retrieveDocument,
  regenerateIssue,
} from '../../../server/domain/issues';
import { createCertificate, type Certificate } from '../../../server/domain/certificates';
import { DomainError } from '../../../server/domain/errors';
import { sha256Hex } from '../../../server/domain/hashing';
import type { Services } from '../../../server/domain/context';
import { openStorage } from '../../../server/storage/database';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';
import {
  ENGINES,
  actorWith,
  domainFailure,
  failure,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(1);

const CODE = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/;

describe.each(ENGINES)('requesting a learner’s document (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  const request = (learnerId: string, data = learnerData(), available = true, certificate?: Certificate) =>
    requestDocument(s, fx.lms, { certificateId: (certificate ?? fx.certificate).id, learnerId, data, available });
  const issueRows = (learnerId: string) =>
    s.storage.db.selectFrom('issues').selectAll().where('tenant_id', '=', fx.tenant.id).where('learner_id', '=', learnerId).execute();
  const auditCount = async () =>
    Number(
      (
        await s.storage.db
          .selectFrom('audit')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenant_id', '=', fx.tenant.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const certificate = (settings: Record<string, unknown>, name = 'Certificate') =>
    createCertificate(s, fx.system, { name, templateVersionId: fx.version.id, courseId: 'course-1', settings });

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s);
  });

  it('issues the document once: rendered, stored, hashed, with the learner’s name in the PDF', async () => {
    const first = await request('camille');
    expect(first.created).toBe(true);
    const issue = first.issue;
    expect(issue.code).toMatch(CODE);
    expect(issue).toMatchObject({
      learnerId: 'camille',
      certificateId: fx.certificate.id,
      state: 'issued',
      locked: false,
      revision: 1,
      issuedOn: '2026-03-10',
      achievedOn: '2026-02-03',
      expiresOn: null,
      templateVersionId: fx.version.id,
    });

    const file = await retrieveDocument(s, fx.lms, issue.code, 'api');
    expect(Buffer.from(file.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    expect(file.sha256).toBe(sha256Hex(file.pdf));
    expect(file.sha256).toBe(issue.sha256);
    const text = pdftotext(writeTemp(file.pdf));
    expect(text).toContain('Camille Martin');
    expect(text).toContain(issue.code);
    expect(text).toContain(`https://attest.test/verify/${issue.code}`);

    const again = await request('camille');
    expect(again.created).toBe(false);
    expect(again.issue.code).toBe(issue.code);
    expect(await issueRows('camille')).toHaveLength(1);

    const audit = await issueAudit(s, fx.admin, issue.code);
    expect(audit.map((a) => a.action)).toEqual(['eligible', 'issued', 'rendered', 'delivered']);
    expect(audit.every((a) => a.actor === `token:${fx.lms.kind === 'token' ? fx.lms.id : ''}`)).toBe(true);
    expect(audit[2]!.details).toMatchObject({ revision: 1, sha256: issue.sha256, templateVersion: 1 });
  });

  it('converges 50 identical concurrent requests on exactly one issue', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => request('concurrent')));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.issue.code)).size).toBe(1);
    const rows = await issueRows('concurrent');
    expect(rows).toHaveLength(1);
    const docs = await s.storage.db.selectFrom('documents').select('revision').where('issue_id', '=', rows[0]!.id).execute();
    expect(docs).toEqual([{ revision: 1 }]);
  });

  it('converges on one issue across processes too: the database’s unique constraint decides', async () => {
    // A second instance of the module (its own in-flight map) on its own connection stands for another
    // server process: only the (certificate, learner) constraint can keep the two from issuing twice.
    vi.resetModules();
    const other = await import('../../../server/domain/issues');
    expect(other.requestDocument).not.toBe(requestDocument);
    const storage = await openStorage(s.url);
    try {
      const s2: Services = { storage, renderer: s.renderer, now: s.now, baseUrl: s.baseUrl };
      const input = { certificateId: fx.certificate.id, learnerId: 'two-processes', data: learnerData(), available: true };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? other.requestDocument(s2, fx.lms, input) : requestDocument(s, fx.lms, input))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.issue.code)).size).toBe(1);
      const rows = await issueRows('two-processes');
      expect(rows).toHaveLength(1);
      expect(await s.storage.db.selectFrom('documents').select('revision').where('issue_id', '=', rows[0]!.id).execute()).toHaveLength(1);
      expect(
        await s.storage.db
          .selectFrom('audit')
          .select('action')
          .where('subject_id', '=', rows[0]!.id)
          .where('action', '=', 'issued')
          .execute(),
      ).toHaveLength(1);
    } finally {
      await storage.close();
    }
  });

  it('lists every data problem with its path (DATA_INVALID) and stores nothing', async () => {
    const data = learnerData();
    const d = data as {
      grade: Record<string, unknown>;
      completion: Record<string, unknown>;
      learner: Record<string, unknown>;
      course: Record<string, unknown>;
    };
    d.grade.value = 'x';
    d.completion.date = 'not a date';
    d.learner.email = 42;
    d.course.timespent = 'long';
    const before = await auditCount();
    const e = await domainFailure(() => request('bad-data', data));
    expect(e.kind).toBe('invalid');
    expect(e.code).toBe('DATA_INVALID');
    const paths = (e.extra.problems ?? []).map((p) => p.path).sort();
    expect(paths).toEqual(['data.completion.date', 'data.course.timespent', 'data.grade.value', 'data.learner.email']);
    for (const p of e.extra.problems ?? []) expect(p.message.length).toBeGreaterThan(5);
    expect(await issueRows('bad-data')).toHaveLength(0);
    expect(await listRefusals(s, fx.admin, { learnerId: 'bad-data' })).toEqual([]);
    expect(await auditCount()).toBe(before);
  });

  it('refuses with reason codes in the tenant’s language, records the refusal, and clears it once issued', async () => {
    const notYet = learnerData({ completion: { completed: false, date: null } });
    const e = await domainFailure(() => request('refused', notYet, false));
    expect(e.kind).toBe('refused');
    expect(e.code).toBe('DELIVERY_REFUSED');
    expect(e.extra.reasons).toEqual([
      { code: 'COURSE_NOT_COMPLETED', message: 'Le cours n’est pas encore achevé.' },
      { code: 'NOT_AVAILABLE', message: 'Ce certificat n’est pas accessible à l’apprenant.' },
    ]);
    expect(await issueRows('refused')).toHaveLength(0);
    let refusals = await listRefusals(s, fx.admin, { learnerId: 'refused' });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ certificateId: fx.certificate.id, learnerId: 'refused', at: s.now().toISOString() });
    expect(refusals[0]!.reasons.map((r) => r.code)).toEqual(['COURSE_NOT_COMPLETED', 'NOT_AVAILABLE']);

    // A later refusal replaces the earlier one: one row per learner and certificate.
    s.clock.advance(60_000);
    await domainFailure(() => request('refused', learnerData(), false));
    refusals = await listRefusals(s, fx.admin, { learnerId: 'refused' });
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.reasons.map((r) => r.code)).toEqual(['NOT_AVAILABLE']);
    expect(refusals[0]!.at).toBe(s.now().toISOString());

    const issued = await request('refused');
    expect(issued.created).toBe(true);
    expect(await listRefusals(s, fx.admin, { learnerId: 'refused' })).toEqual([]);
  });

  it('refuses an unavailable certificate, with the LMS’s reason', async () => {
    const e = await domainFailure(() =>
      requestDocument(s, fx.lms, {
        certificateId: fx.certificate.id,
        learnerId: 'hidden',
        data: learnerData(),
        available: false,
        unavailableReason: 'groupe B',
      }),
    );
    expect(e.kind).toBe('refused');
    expect(e.extra.reasons).toEqual([{ code: 'NOT_AVAILABLE', message: 'Ce certificat n’est pas accessible à l’apprenant (groupe B).' }]);
  });

  it('applies the certificate’s own rules: grade, time spent and window, all reported together', async () => {
    // The persona has 77.5 % and 840 minutes; the test clock says 2026-03-10.
    const strict = await certificate({ min_grade_percent: 80, min_time_spent_minutes: 900, window_end: '2026-03-01' }, 'Strict');
    const e = await domainFailure(() => request('strict', learnerData(), true, strict));
    expect(e.extra.reasons?.map((r) => r.code)).toEqual(['GRADE_TOO_LOW', 'TIME_SPENT_TOO_SHORT', 'WINDOW_CLOSED']);
    expect(e.extra.reasons?.[0]?.message).toBe('La note du cours (77,5 %) est inférieure aux 80 % exigés.');

    const noGrade = learnerData();
    delete noGrade.grade;
    const course = { ...(noGrade.course as Record<string, unknown>) };
    delete course.timespent;
    noGrade.course = course;
    const missing = await domainFailure(() => request('strict-missing', noGrade, true, strict));
    expect(missing.extra.reasons?.map((r) => r.code)).toEqual(['GRADE_MISSING', 'TIME_SPENT_MISSING', 'WINDOW_CLOSED']);

    const fair = await certificate(
      { min_grade_percent: 75, min_time_spent_minutes: 840, window_start: '2026-03-10', window_end: '2026-03-10' },
      'Fair',
    );
    expect((await request('strict', learnerData(), true, fair)).created).toBe(true);

    const later = await certificate({ window_start: '2026-03-11' }, 'Later');
    expect((await domainFailure(() => request('strict', learnerData(), true, later))).extra.reasons?.map((r) => r.code)).toEqual([
      'WINDOW_NOT_OPEN',
    ]);
    s.clock.advance(24 * 3600_000);
    expect((await request('strict', learnerData(), true, later)).created).toBe(true);
  });

  it('does not ask for completion when the tenant does not track it', async () => {
    const other = await setupTenant(s, { settings: { completion_tracking: false, locale: 'en' } });
    const data = learnerData({ completion: { completed: false, date: null } });
    const r = await requestDocument(s, other.lms, { certificateId: other.certificate.id, learnerId: 'u', data, available: true });
    expect(r.created).toBe(true);
    expect(r.issue.issuedOn).toBe(s.now().toISOString().slice(0, 10));
    const e = await domainFailure(() =>
      requestDocument(s, other.lms, { certificateId: other.certificate.id, learnerId: 'v', data, available: false }),
    );
    expect(e.extra.reasons).toEqual([{ code: 'NOT_AVAILABLE', message: 'This certificate is not available to the learner.' }]);
  });

  it('lists issues by page and filter, for staff only', async () => {
    const other = await setupTenant(s);
    const codes: string[] = [];
    for (const learner of ['p1', 'p2', 'p3'])
      codes.push(
        (
          await requestDocument(s, other.lms, {
            certificateId: other.certificate.id,
            learnerId: learner,
            data: learnerData(),
            available: true,
          })
        ).issue.code,
      );
    const page1 = await listIssues(s, other.admin, { limit: 2 });
    expect(page1.issues).toHaveLength(2);
    expect(page1.next).toBe(page1.issues[1]!.code);
    const page2 = await listIssues(s, other.admin, { limit: 2, after: page1.next! });
    expect(page2.next).toBeNull();
    expect([...page1.issues, ...page2.issues].map((i) => i.code)).toEqual([...codes].sort());
    expect((await listIssues(s, other.admin, { learnerId: 'p2' })).issues.map((i) => i.code)).toEqual([codes[1]]);
    expect((await domainFailure(() => listIssues(s, other.lms, {}))).kind).toBe('forbidden');
    expect((await domainFailure(() => listRefusals(s, other.lms, {}))).kind).toBe('forbidden');
  });

  it('needs certificate:apply to ask', async () => {
    const viewer = actorWith(fx.tenant.id, ['certificate:view']);
    const e = await domainFailure(() =>
      requestDocument(s, viewer, { certificateId: fx.certificate.id, learnerId: 'x', data: learnerData(), available: true }),
    );
    expect(e.kind).toBe('forbidden');
  });

  describe('delivery modes', () => {
    it('staff only: a learner’s token sees the state, never the file; staff get it', async () => {
      const staffOnly = await certificate({ delivery: 'staff' }, 'Staff only');
      const { issue } = await request('staffed', learnerData(), true, staffOnly);
      const e = await domainFailure(() => retrieveDocument(s, fx.lms, issue.code, 'api'));
      expect(e.kind).toBe('forbidden');
      expect(e.code).toBe('STAFF_DELIVERY_ONLY');
      expect(e.extra.reasons).toEqual([{ code: 'STAFF_DELIVERY_ONLY', message: 'Ce document est remis uniquement par l’équipe.' }]);
      expect(e.extra.details?.state).toMatchObject({ code: issue.code, state: 'issued', locked: false });
      expect((await getIssue(s, fx.lms, issue.code)).delivery).toBe('staff');
      // Refusing the file is not a delivery.
      expect((await getIssue(s, fx.admin, issue.code)).firstDeliveredAt).toBeNull();

      const staff = actorWith(fx.tenant.id, ['issues:manage']);
      const file = await retrieveDocument(s, staff, issue.code, 'api');
      expect(pdftotext(writeTemp(file.pdf))).toContain('Camille Martin');
      expect(file.issue.firstDeliveryChannel).toBe('staff');
    });

    it('without retrieve-own a learner sees the state only (RETRIEVE_OWN_MISSING)', async () => {
      const { issue } = await request('no-retrieve');
      const applyOnly = actorWith(fx.tenant.id, ['certificate:view', 'certificate:apply']);
      const e = await domainFailure(() => retrieveDocument(s, applyOnly, issue.code, 'api'));
      expect(e.kind).toBe('forbidden');
      expect(e.code).toBe('RETRIEVE_OWN_MISSING');
      const state = await getIssue(s, applyOnly, issue.code);
      expect(state).toMatchObject({ code: issue.code, state: 'issued', firstDeliveredAt: null });
    });

    it('records the first delivery once, with its time and channel', async () => {
      const { issue } = await request('delivered');
      const firstAt = s.now().toISOString();
      const a = await retrieveDocument(s, fx.lms, issue.code, 'api');
      expect(a.issue.firstDeliveredAt).toBe(firstAt);
      expect(a.issue.firstDeliveryChannel).toBe('api');
      expect(a.disposition).toBe('attachment');
      s.clock.advance(3600_000);
      await retrieveDocument(s, fx.lms, issue.code, 'api');
      await retrieveDocument(s, fx.admin, issue.code, 'api');
      const after = await getIssue(s, fx.admin, issue.code);
      expect(after.firstDeliveredAt).toBe(firstAt);
      expect(after.firstDeliveryChannel).toBe('api');
      const delivered = (await issueAudit(s, fx.admin, issue.code)).filter((x) => x.action === 'delivered');
      expect(delivered).toHaveLength(1);
      expect(delivered[0]).toMatchObject({ at: firstAt, details: { channel: 'api' } });
    });

    it('inline delivery is shown in the browser', async () => {
      const inline = await certificate({ delivery: 'inline' }, 'Inline');
      const { issue } = await request('inline', learnerData(), true, inline);
      expect((await retrieveDocument(s, fx.lms, issue.code, 'api')).disposition).toBe('inline');
    });
  });

  describe('transactions', () => {
    const failDocuments = async (on: boolean) => {
      const db = s.storage.db;
      if (s.storage.engine === 'sqlite') {
        if (on)
          await sql`CREATE TRIGGER test_fail_documents BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'documents refused by the test'); END`.execute(
            db,
          );
        else await sql`DROP TRIGGER test_fail_documents`.execute(db);
      } else if (on) {
        await sql`CREATE FUNCTION test_fail_documents() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'documents refused by the test'; END $$`.execute(
          db,
        );
        await sql`CREATE TRIGGER test_fail_documents BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION test_fail_documents()`.execute(
          db,
        );
      } else {
        await sql`DROP TRIGGER test_fail_documents ON documents`.execute(db);
        await sql`DROP FUNCTION test_fail_documents()`.execute(db);
      }
    };

    it('leaves nothing of an issue when storing its document fails midway', async () => {
      const before = await auditCount();
      await failDocuments(true);
      try {
        const e = await failure(() => request('midway'));
        expect(e).toBeInstanceOf(Error);
        expect(e).not.toBeInstanceOf(DomainError);
        expect(String((e as Error).message)).toContain('documents refused by the test');
      } finally {
        await failDocuments(false);
      }
      expect(await issueRows('midway')).toHaveLength(0);
      expect(await auditCount()).toBe(before);
      const orphans = await s.storage.db
        .selectFrom('documents')
        .leftJoin('issues', 'issues.id', 'documents.issue_id')
        .select('documents.issue_id')
        .where('issues.id', 'is', null)
        .execute();
      expect(orphans).toEqual([]);

      // Nothing stuck either: the same request succeeds once storage works again.
      const r = await request('midway');
      expect(r.created).toBe(true);
      expect(await issueRows('midway')).toHaveLength(1);
    });

    it('keeps the previous revision whole when a regeneration fails midway', async () => {
      const { issue } = await request('regen-midway');
      const before = await auditCount();
      await failDocuments(true);
      try {
        await failure(() => regenerateIssue(s, fx.admin, issue.code, { reason: 'test' }));
      } finally {
        await failDocuments(false);
      }
      const [row] = await issueRows('regen-midway');
      expect(row).toMatchObject({ revision: 1, pdf_sha256: issue.sha256 });
      expect(await auditCount()).toBe(before);
      const file = await retrieveDocument(s, fx.lms, issue.code, 'api');
      expect(file.sha256).toBe(issue.sha256);
    });
  });
});
