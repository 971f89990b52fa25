import { beforeAll, describe, expect, it } from 'vitest';
import { requestDocument, revokeIssue, setLocked, getIssue } from '../../../server/domain/issues';
import { retrieveByLink } from '../../../server/domain/links';
import { createCertificate } from '../../../server/domain/certificates';
import { createPerson } from '../../../server/domain/people';
import { DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { DomainError } from '../../../server/domain/errors';
import { getCertificates } from '../../../server/domain/moodle-ws/get-certificates';
import { getCertificateInfo } from '../../../server/domain/moodle-ws/get-certificate-info';
import { getCertificateUsersInfo } from '../../../server/domain/moodle-ws/get-certificate-users-info';
import { getCertificateInfos } from '../../../server/domain/moodle-ws/get-certificate-infos';
import { getCertificateFileUrl, MOODLE_LINK_MINUTES } from '../../../server/domain/moodle-ws/get-certificate-file-url';
import { moodleFunctionNamed } from '../../../server/domain/moodle-ws';
import type { Actor } from '../../../server/domain/context';
import {
  ENGINES,
  actorWith,
  domainFailure,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';

const pool = useRenderPool(1);

const learner = (over: Record<string, unknown>) => learnerData({ learner: { ...(learnerData().learner as object), ...over } });

describe.each(ENGINES)('mod_pdcertificate web service functions (%s)', (engine) => {
  let s: TestServices;
  let fx: TenantFixture;
  let other: TenantFixture;
  let manager: Actor;
  const sourcesOf = (cmid: string) => ({ pdcidsource: 'cmid' as const, pdcid: cmid });

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    fx = await setupTenant(s, { courseId: '42' });
    other = await setupTenant(s, { courseId: '42' });
    manager = actorWith(fx.tenant.id, DEFAULT_ROLES.manager!, 'manager');
    await createPerson(s, fx.system, { username: 'claire', displayName: 'Claire Dubois', roles: ['signatory'] });
    // The certificate of the fixture is on course 42 with no activity; this one is activity 7 of it.
    const activity = await createCertificate(s, fx.system, {
      name: 'Habilitation électrique',
      templateVersionId: fx.version.id,
      courseId: '42',
      activityId: '7',
    });
    const ask = (certificateId: string, learnerId: string, data: Record<string, unknown>, available = true) =>
      requestDocument(s, fx.lms, {
        certificateId,
        learnerId,
        data,
        available,
        ...(available ? {} : { unavailableReason: 'not enrolled' }),
      });
    await ask(
      activity.id,
      '101',
      learner({ username: 'cmartin', email: 'camille@example.org', idnumber: 'E-1', fullname: 'Camille Martin' }),
    );
    s.clock.advance(60_000);
    await ask(activity.id, '102', learner({ username: 'jdupont', email: 'shared@example.org', idnumber: 'E-2', fullname: 'Jean Dupont' }));
    // Refused (not available): a record, no document.
    const refused = await domainFailure(() =>
      ask(activity.id, '103', learner({ username: 'lpetit', email: 'shared@example.org', idnumber: 'E-3', fullname: 'Léa Petit' }), false),
    );
    expect(refused.code).toBe('DELIVERY_REFUSED');
    s.clock.advance(60_000);
    await ask(
      fx.certificate.id,
      '101',
      learner({ username: 'cmartin', email: 'camille@example.org', idnumber: 'E-1', fullname: 'Camille Martin' }),
    );
    // Another tenant, same LMS ids: never seen from the first.
    await requestDocument(s, other.lms, { certificateId: other.certificate.id, learnerId: '101', data: learnerData(), available: true });
  });

  describe('get_certificates', () => {
    it('lists the certificates of a course named by id, shortname or idnumber, with the names the LMS sent', async () => {
      const byId = await getCertificates(s, fx.lms, { cidsource: 'id', cid: '42' });
      expect(byId.map((c) => c.name).sort()).toEqual(['Habilitation électrique', 'Sauveteur secouriste du travail']);
      const activity = byId.find((c) => c.name === 'Habilitation électrique')!;
      expect(activity).toMatchObject({
        courseid: '42',
        courseshortname: 'SST-2026-02',
        courseidnumber: 'FOR-SST-01',
        coursefullname: 'Sauveteur secouriste du travail (SST) — formation initiale',
        cmid: '7',
        pdcid: activity.id,
        pdcidnumber: '',
        certifier: 'Claire Dubois',
      });
      expect(await getCertificates(s, fx.lms, { cidsource: 'shortname', cid: 'SST-2026-02' })).toHaveLength(2);
      expect(await getCertificates(s, fx.lms, { cidsource: 'idnumber', cid: 'FOR-SST-01' })).toHaveLength(2);
    });

    it('refuses a course it does not know instead of answering every certificate, and keeps tenants apart', async () => {
      for (const [cidsource, cid] of [
        ['id', '43'],
        ['shortname', 'NOPE'],
        ['idnumber', ''],
      ] as const) {
        const e = await domainFailure(() => getCertificates(s, fx.lms, { cidsource, cid }));
        expect(e.code).toBe('MOODLE_COURSE_NOT_FOUND');
      }
      const all = await getCertificates(s, fx.lms, { cidsource: 'id', cid: '0' });
      expect(all).toHaveLength(2);
      expect(all.map((c) => c.id)).not.toContain(other.certificate.id);
    });

    it('needs certificate:view', async () => {
      const e = await domainFailure(() => getCertificates(s, actorWith(fx.tenant.id, ['issues:unlock']), { cidsource: 'id', cid: '42' }));
      expect(e.code).toBe('CAPABILITY_REQUIRED');
    });
  });

  describe('get_certificate_info and get_certificate_users_info', () => {
    it('names a learner by id, username, email or idnumber and says their issue', async () => {
      const infos = await Promise.all(
        (
          [
            ['id', '101'],
            ['username', 'cmartin'],
            ['email', 'camille@example.org'],
            ['idnumber', 'E-1'],
          ] as const
        ).map(([uidsource, uid]) => getCertificateInfo(s, manager, { ...sourcesOf('7'), uidsource, uid })),
      );
      for (const info of infos) expect(info).toEqual(infos[0]);
      const info = infos[0]!;
      const issue = await getIssue(s, fx.admin, info.issuecode!);
      expect(info).toMatchObject({
        courseid: '42',
        courseshortname: 'SST-2026-02',
        certname: 'Habilitation électrique',
        userid: '101',
        user: 'Camille Martin',
        username: 'cmartin',
        useridnumber: 'E-1',
        userroles: '',
        timecreated: Math.floor(Date.parse(issue.createdAt) / 1000),
        timedelivered: 0,
        locked: false,
        authority: 'Claire Dubois',
        state: 'issued',
      });
      expect(info.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('says who has no document, who is unknown and who is ambiguous', async () => {
      expect(
        (await domainFailure(() => getCertificateInfo(s, manager, { ...sourcesOf('7'), uidsource: 'username', uid: 'lpetit' }))).code,
      ).toBe('MOODLE_NOT_ISSUED');
      expect(
        (await domainFailure(() => getCertificateInfo(s, manager, { ...sourcesOf('7'), uidsource: 'username', uid: 'nobody' }))).code,
      ).toBe('MOODLE_USER_NOT_FOUND');
      expect(
        (await domainFailure(() => getCertificateInfo(s, manager, { ...sourcesOf('7'), uidsource: 'email', uid: 'shared@example.org' })))
          .code,
      ).toBe('MOODLE_USER_AMBIGUOUS');
      expect((await domainFailure(() => getCertificateInfo(s, manager, { ...sourcesOf('8'), uidsource: 'id', uid: '101' }))).code).toBe(
        'CERTIFICATE_NOT_FOUND',
      );
      for (const name of ['Recyclage A', 'Recyclage B'])
        await createCertificate(s, fx.system, { name, templateVersionId: fx.version.id, courseId: '44', activityId: '99' });
      expect((await domainFailure(() => getCertificateInfo(s, manager, { ...sourcesOf('99'), uidsource: 'id', uid: '101' }))).code).toBe(
        'MOODLE_CERTIFICATE_AMBIGUOUS',
      );
      // Another tenant's certificate id names nothing here.
      expect(
        (
          await domainFailure(() =>
            getCertificateInfo(s, manager, { pdcidsource: 'id', pdcid: other.certificate.id, uidsource: 'id', uid: '101' }),
          )
        ).code,
      ).toBe('CERTIFICATE_NOT_FOUND');
    });

    it('answers a list of learners, those without a document with their partial record', async () => {
      const list = await getCertificateUsersInfo(s, manager, { ...sourcesOf('7'), uidsource: 'idnumber', uids: ['E-1', 'E-3', 'E-2'] });
      expect(list.map((i) => [i.userid, i.user, i.issuecode !== undefined])).toEqual([
        ['101', 'Camille Martin', true],
        ['103', 'Léa Petit', false],
        ['102', 'Jean Dupont', true],
      ]);
      expect(list[1]).toEqual({
        id: '',
        courseid: '42',
        courseidnumber: 'FOR-SST-01',
        courseshortname: 'SST-2026-02',
        certid: list[0]!.certid,
        certname: 'Habilitation électrique',
        certidnumber: '',
        userid: '103',
        user: 'Léa Petit',
        username: 'lpetit',
        useridnumber: 'E-3',
        userroles: '',
      });
    });

    it('needs issues:manage: an LMS or a learner’s token reads nobody’s issue this way', async () => {
      const learnerToken = actorWith(fx.tenant.id, DEFAULT_ROLES.learner!, 'learner');
      for (const actor of [fx.lms, learnerToken]) {
        for (const run of [
          () => getCertificateInfo(s, actor, { ...sourcesOf('7'), uidsource: 'id', uid: '101' }),
          () => getCertificateUsersInfo(s, actor, { ...sourcesOf('7'), uidsource: 'id', uids: ['101'] }),
          () => getCertificateInfos(s, actor, { cidsource: 'id', cid: '42', issuedfrom: '0' }),
        ])
          expect((await domainFailure(run)).code).toBe('CAPABILITY_REQUIRED');
      }
    });
  });

  describe('get_certificate_infos', () => {
    it('exports a course’s issues from a cursor per caller, touching no issue', async () => {
      const first = actorWith(fx.tenant.id, ['issues:manage'], 'export A');
      const second = actorWith(fx.tenant.id, ['issues:manage'], 'export B');
      const before = await getCertificateInfos(s, first, { cidsource: 'id', cid: '42', issuedfrom: '0' });
      expect(before.map((i) => i.userid)).toEqual(['101', '102', '101']);
      expect(before[0]).toMatchObject({
        certname: 'Habilitation électrique',
        username: 'cmartin',
        useridnumber: 'E-1',
        locked: false,
        authority: 'Claire Dubois',
        state: 'issued',
      });

      expect(await getCertificateInfos(s, first, { cidsource: 'id', cid: '42', issuedfrom: 'last' })).toHaveLength(3);
      expect(await getCertificateInfos(s, first, { cidsource: 'id', cid: '42', issuedfrom: 'last' })).toEqual([]);
      // The same course named otherwise is another cursor; another caller has its own.
      expect(await getCertificateInfos(s, first, { cidsource: 'shortname', cid: 'SST-2026-02', issuedfrom: 'last' })).toHaveLength(3);
      expect(await getCertificateInfos(s, second, { cidsource: 'id', cid: '42', issuedfrom: 'last' })).toHaveLength(3);

      s.clock.advance(60_000);
      const late = await requestDocument(s, fx.lms, {
        certificateId: fx.certificate.id,
        learnerId: '104',
        data: learnerData(),
        available: true,
      });
      const next = await getCertificateInfos(s, first, { cidsource: 'id', cid: '42', issuedfrom: 'last' });
      expect(next.map((i) => i.issuecode)).toEqual([late.issue.code]);
      // A caller keeping ids needs nothing stored: after an id, what came later.
      expect(
        (await getCertificateInfos(s, second, { cidsource: 'id', cid: '42', issuedfrom: before[2]!.id })).map((i) => i.userid),
      ).toEqual(['104']);
      // By Unix time: what was made since.
      const since = Math.floor(s.clock.now().getTime() / 1000);
      expect(
        (await getCertificateInfos(s, second, { cidsource: 'id', cid: '42', issuedfrom: String(since) })).map((i) => i.userid),
      ).toEqual(['104']);
      // Reading never delivered or changed anything.
      expect((await getIssue(s, fx.admin, before[0]!.issuecode)).firstDeliveredAt).toBeNull();
      // A revoked document says so (the module had no revocation to say).
      await revokeIssue(s, fx.admin, late.issue.code, 'issued in error');
      const again = await getCertificateInfos(s, second, { cidsource: 'id', cid: '42', issuedfrom: before[2]!.id });
      expect(again.map((i) => [i.userid, i.state])).toEqual([['104', 'revoked']]);
    });

    it('refuses a cursor that is no issue of the course', async () => {
      const e = await domainFailure(() => getCertificateInfos(s, manager, { cidsource: 'id', cid: '42', issuedfrom: 'not-an-issue' }));
      expect(e.code).toBe('MOODLE_PARAMETERS_INVALID');
      expect(e.extra.problems?.map((p) => [p.path, p.code])).toEqual([['issuedfrom', 'MOODLE_CURSOR_UNKNOWN']]);
    });
  });

  describe('get_certificate_file_url', () => {
    it('answers a signed link that opens the document until it expires', async () => {
      const url = await getCertificateFileUrl(s, fx.lms, { ...sourcesOf('7'), uidsource: 'username', uid: 'cmartin' });
      const u = new URL(url);
      const [, , tenant, code] = u.pathname.split('/');
      const input = { tenant: tenant!, code: code!, expires: u.searchParams.get('expires')!, sig: u.searchParams.get('sig')! };
      expect(Number(input.expires) * 1000).toBe(s.clock.now().getTime() + MOODLE_LINK_MINUTES * 60_000);
      const file = await retrieveByLink(s, input);
      expect(Buffer.from(file.pdf.subarray(0, 5)).toString()).toBe('%PDF-');
      s.clock.advance(MOODLE_LINK_MINUTES * 60_000 + 1000);
      expect((await domainFailure(() => retrieveByLink(s, input))).code).toBe('LINK_INVALID');
    });

    it('refuses a locked document, and a link made before the lock no longer opens', async () => {
      const url = await getCertificateFileUrl(s, fx.lms, { ...sourcesOf('7'), uidsource: 'id', uid: '102' });
      const info = await getCertificateInfo(s, manager, { ...sourcesOf('7'), uidsource: 'id', uid: '102' });
      await setLocked(s, fx.admin, [info.issuecode!], true, 'unpaid');
      const e = await domainFailure(() => getCertificateFileUrl(s, fx.lms, { ...sourcesOf('7'), uidsource: 'id', uid: '102' }));
      expect([e.kind, e.code]).toEqual(['locked', 'DOCUMENT_LOCKED']);
      const u = new URL(url);
      const [, , tenant, code] = u.pathname.split('/');
      const opened = await domainFailure(() =>
        retrieveByLink(s, { tenant: tenant!, code: code!, expires: u.searchParams.get('expires')!, sig: u.searchParams.get('sig')! }),
      );
      expect(opened.kind).toBe('locked');
      await setLocked(s, fx.admin, [info.issuecode!], false, 'paid');
    });

    it('needs retrieve-own (or issues:manage), and a document', async () => {
      const e = await domainFailure(() =>
        getCertificateFileUrl(s, actorWith(fx.tenant.id, ['certificate:view', 'certificate:apply']), {
          ...sourcesOf('7'),
          uidsource: 'id',
          uid: '101',
        }),
      );
      expect(e.code).toBe('CAPABILITY_REQUIRED');
      expect((await domainFailure(() => getCertificateFileUrl(s, fx.lms, { ...sourcesOf('7'), uidsource: 'id', uid: '103' }))).code).toBe(
        'MOODLE_NOT_ISSUED',
      );
    });
  });

  it('validates parameters before running, listing every problem', async () => {
    const fn = moodleFunctionNamed('mod_pdcertificate_get_certificate_users_info')!;
    const e = await domainFailure(() =>
      fn.invoke(s, manager, { pdcidsource: 'idnumber', uidsource: 'nickname', uids: ['1', ''], extra: 'x' }),
    );
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe('MOODLE_PARAMETERS_INVALID');
    expect(e.extra.problems?.map((p) => [p.path, p.code]).sort()).toEqual(
      [
        ['extra', 'UNRECOGNIZED_KEYS'],
        ['pdcid', 'INVALID_TYPE'],
        ['pdcidsource', 'MOODLE_CERTIFICATE_IDNUMBER'],
        ['uids[1]', 'TOO_SMALL'],
        ['uidsource', 'INVALID_VALUE'],
      ].sort(),
    );
  });
});
