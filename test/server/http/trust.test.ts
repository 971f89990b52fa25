import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES, DEFAULT_ROLES } from '../../../server/domain/capabilities';
import { createAdministrator, createPerson, type Person } from '../../../server/domain/people';
import { createToken } from '../../../server/domain/tokens';
import { createCertificate, type Certificate } from '../../../server/domain/certificates';
import { seedDemoTenant } from '../../../server/domain/demo';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  uniqueSlug,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

/**
 * Whose word counts (DESIGN.md), over HTTP on both engines: a learner who signs in cannot certify
 * themself, what the LMS said is kept and evaluated for them, the organisation printed is the tenant's,
 * and one person is one learner.
 */
const pool = useRenderPool(1);

const ORGANIZATION = { name: 'Institut Lumière', address: '3 quai Claude Bernard, 69007 Lyon', registration_number: '84 69 99999 69' };

describe.each(ENGINES)('trusted learner data over HTTP (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let strict: Certificate;
  let admin: string;
  let lms: string;
  let lmsTokenId: string;
  const password = 'learner password 1';
  const text = (bytes: Uint8Array) => pdftotext(writeTemp(bytes)).replace(/\s+/g, ' ');
  const issuesOf = (certificateId: string) =>
    services.storage.db.selectFrom('issues').select(['learner_id', 'code']).where('certificate_id', '=', certificateId).execute();

  /** A person with the default learner role, signed in through the API as a browser would. */
  async function signedIn(
    username: string,
  ): Promise<{ person: Person; cookie: string; as: (method: string, path: string, body?: unknown) => ReturnType<typeof call> }> {
    const person = await createPerson(services, t.system, { username, displayName: `Learner ${username}`, password, roles: ['learner'] });
    const session = await call(app.base, 'POST', '/api/v1/session', { body: { tenant: t.tenant.slug, username, password } });
    expect(session.status, session.text).toBe(200);
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    const as = (method: string, path: string, body?: unknown) =>
      call(app.base, method, path, { cookie, headers: { 'x-attest-csrf': '1' }, ...(body !== undefined ? { body } : {}) });
    return { person, cookie, as };
  }
  const linkTo = (person: Person, learnerId: string) =>
    call(app.base, 'PUT', `/api/v1/people/${person.id}/learner`, { token: admin, body: { learner_id: learnerId } });
  const lmsAsks = (certificate: Certificate, learnerId: string, data: Record<string, unknown>, available = true) =>
    call(app.base, 'POST', `/api/v1/certificates/${certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learnerId, available, data },
    });

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { organization: ORGANIZATION } });
    strict = await createCertificate(services, t.system, {
      name: 'Habilitation',
      templateVersionId: t.version.id,
      courseId: 'course-2',
      settings: { min_grade_percent: 80 },
    });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    const made = await createToken(services, t.system, { name: 'Moodle', capabilities: [...DEFAULT_ROLES.lms!] });
    lms = made.token;
    lmsTokenId = made.info.id;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('refuses a learner’s own data, whatever it claims, and says what is missing when nothing is held', async () => {
    const { person, as } = await signedIn('mallory');
    const forged = learnerData({
      learner: { firstname: 'Mallory', lastname: 'Forge' },
      completion: { completed: true, date: '2026-01-01' },
      grade: { value: 100, max: 100 },
      organization: { name: 'Harvard University' },
    });
    for (const learnerId of ['mallory', person.id, `person:${person.id}`]) {
      const r = await as('POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
        learner_id: learnerId,
        available: true,
        data: forged,
      });
      expect(r.status, r.text).toBe(403);
      expect(r.json.error?.code).toBe('LEARNER_DATA_FROM_LMS');
    }
    const nothing = await as('POST', `/api/v1/certificates/${t.certificate.id}/issues/from-record`, {});
    expect(nothing.status, nothing.text).toBe(403);
    expect(nothing.json.error?.code).toBe('LEARNER_RECORD_MISSING');
    expect(list(nothing.json.error?.reasons)).toEqual([
      {
        code: 'LEARNER_RECORD_MISSING',
        message:
          'Attest ne détient aucun dossier de cet apprenant pour ce certificat : la plateforme n’a pas encore transmis son achèvement, sa note et son cours, et aucun responsable ne les a saisis.',
      },
    ]);
    expect(await issuesOf(t.certificate.id)).toEqual([]);
    // Managers see that the learner asked, and why nothing came of it.
    const refusals = await call(app.base, 'GET', `/api/v1/refusals?learner=${encodeURIComponent(`person:${person.id}`)}`, { token: admin });
    expect(list(refusals.json as never).map((x) => list(x.reasons).map((r) => r.code))).toEqual([['LEARNER_RECORD_MISSING']]);
  });

  it('evaluates what the LMS sent for the learner: refused the same way, then issued with the LMS’s values', async () => {
    const { person, as } = await signedIn('camille.m');
    expect((await linkTo(person, 'moodle-1001')).json).toEqual({ personId: person.id, learnerId: 'moodle-1001', linked: true });

    // The LMS reports 12 / 20 where 80 % is needed: refused, and the record is kept.
    const low = await lmsAsks(strict, 'moodle-1001', learnerData({ grade: { value: 12, max: 20 } }));
    expect(low.status).toBe(403);
    expect(list(low.json.error?.reasons).map((r) => r.code)).toEqual(['GRADE_TOO_LOW']);
    const mine = await as('POST', `/api/v1/certificates/${strict.id}/issues/from-record`, {});
    expect(mine.status, mine.text).toBe(403);
    expect(mine.json.error?.code).toBe('DELIVERY_REFUSED');
    expect(mine.json.error?.reasons).toEqual(low.json.error?.reasons);
    // Sending better numbers of her own changes nothing.
    const forged = await as('POST', `/api/v1/certificates/${strict.id}/issues`, {
      learner_id: 'moodle-1001',
      available: true,
      data: learnerData({ grade: { value: 20, max: 20 } }),
    });
    expect(forged.json.error?.code).toBe('LEARNER_DATA_FROM_LMS');

    // The LMS records the passing grade (ahead of any request); her own request then issues the document.
    const passing = learnerData({ learner: { firstname: 'Camille', lastname: 'Marchand' }, grade: { value: 17, max: 20 } });
    const entered = await call(app.base, 'PUT', `/api/v1/certificates/${strict.id}/learner-records`, {
      token: lms,
      body: { learner_id: 'moodle-1001', available: true, data: passing },
    });
    expect(entered.status, entered.text).toBe(200);
    expect(entered.json).toMatchObject({ learnerId: 'moodle-1001', available: true, suppliedBy: `token:${lmsTokenId}` });
    const issued = await as('POST', `/api/v1/certificates/${strict.id}/issues/from-record`, {});
    expect(issued.status, issued.text).toBe(201);
    expect(issued.json.issue).toMatchObject({ learnerId: 'moodle-1001', achievedOn: '2026-02-03', issuedOn: '2026-03-10' });
    const pdf = await as('GET', String(issued.json.document));
    expect(pdf.status).toBe(200);
    const printed = text(pdf.bytes);
    expect(printed).toContain('Camille Marchand');
    expect(printed).toContain('17,0 / 20');
    expect(printed).not.toContain('20,0 / 20');
    // Every printed fact traces back to its supplier.
    const audit = await call(app.base, 'GET', `/api/v1/issues/${String(issued.json.issue?.code)}/audit`, { token: admin });
    const eligible = list(audit.json as never).find((e) => String(e.action) === 'eligible');
    expect(eligible).toMatchObject({ actor: `person:${person.id}`, details: { dataSuppliedBy: `token:${lmsTokenId}` } });
    const record = await call(app.base, 'GET', `/api/v1/certificates/${strict.id}/learner-records?learner=moodle-1001`, { token: admin });
    expect(record.json).toMatchObject({ suppliedBy: `token:${lmsTokenId}`, data: { grade: { value: 17, max: 20 } } });
  });

  it('keeps only records that fit the template, entered by suppliers, and audits a manager’s entry', async () => {
    const { as } = await signedIn('eve');
    const self = await as('PUT', `/api/v1/certificates/${t.certificate.id}/learner-records`, {
      learner_id: 'moodle-4004',
      available: true,
      data: learnerData(),
    });
    expect([self.status, self.json.error?.code]).toEqual([403, 'CAPABILITY_REQUIRED']);
    const bad = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/learner-records`, {
      token: admin,
      body: { learner_id: 'moodle-4004', available: true, data: learnerData({ grade: { value: 'lots' } }) },
    });
    expect([bad.status, bad.json.error?.code]).toEqual([422, 'DATA_INVALID']);
    expect(list(bad.json.error?.problems).map((p) => p.path)).toEqual(['data.grade.value']);
    const none = await call(app.base, 'GET', `/api/v1/certificates/${t.certificate.id}/learner-records?learner=moodle-4004`, {
      token: admin,
    });
    expect([none.status, none.json.error?.code]).toEqual([404, 'LEARNER_RECORD_NOT_FOUND']);
    const good = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/learner-records`, {
      token: admin,
      body: { learner_id: 'moodle-4004', available: false, unavailable_reason: 'group B', data: learnerData() },
    });
    expect(good.json).toMatchObject({ available: false, unavailableReason: 'group B' });
    const entries = await services.storage.db
      .selectFrom('audit')
      .select(['action', 'subject_type'])
      .where('tenant_id', '=', t.tenant.id)
      .where('subject_id', '=', `${t.certificate.id}:moodle-4004`)
      .execute();
    expect(entries).toEqual([{ action: 'entered', subject_type: 'learner-record' }]);
    // Evaluated as entered: unavailable, with the reason the manager gave.
    const asked = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues/from-record`, {
      token: lms,
      body: { learner_id: 'moodle-4004' },
    });
    expect(list(asked.json.error?.reasons)).toEqual([
      { code: 'NOT_AVAILABLE', message: 'Ce certificat n’est pas accessible à l’apprenant (group B).' },
    ]);
  });

  it('prints the tenant’s organisation, never one sent in the data, and says it was set aside', async () => {
    const r = await lmsAsks(t.certificate, 'moodle-2002', {
      ...learnerData(),
      organization: { name: 'Harvard University', address: 'Cambridge, MA' },
    });
    expect(r.status, r.text).toBe(201);
    expect(list(r.json.warnings)).toContainEqual(
      expect.objectContaining({ code: 'ORGANIZATION_FROM_SETTINGS', path: 'data.organization' }),
    );
    const pdf = await call(app.base, 'GET', String(r.json.document), { token: lms });
    const printed = text(pdf.bytes);
    expect(printed).toContain('Institut Lumière');
    expect(printed).toContain('3 quai Claude Bernard');
    expect(printed).not.toContain('Harvard');
    const verified = await call(app.base, 'GET', `/api/v1/verify/${String(r.json.issue?.code)}`);
    expect(verified.json.organization).toBe('Institut Lumière');
    const record = await call(app.base, 'GET', `/api/v1/certificates/${t.certificate.id}/learner-records?learner=moodle-2002`, {
      token: admin,
    });
    expect(record.json.data?.organization).toBeUndefined();
  });

  it('takes the organisation’s logo from the settings only, as an image every template can draw', async () => {
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082',
      'hex',
    ).toString('base64');
    const logo = `data:image/png;base64,${png}`;
    const bad = await call(app.base, 'PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { organization: { ...ORGANIZATION, logo: 'javascript:alert(1)' } },
    });
    expect(bad.status).toBe(422);
    expect(list(bad.json.error?.problems).map((p) => [p.path, p.code])).toEqual([['organization.logo', 'LOGO_INVALID']]);
    const good = await call(app.base, 'PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { organization: { ...ORGANIZATION, logo } },
    });
    expect(good.status, good.text).toBe(200);
    try {
      const r = await lmsAsks(t.certificate, 'moodle-logo', {
        ...learnerData(),
        organization: { name: 'Elsewhere', logo: 'data:image/png;base64,AAAA' },
      });
      expect(r.status, r.text).toBe(201);
      const row = await services.storage.db
        .selectFrom('issues')
        .select('data')
        .where('code', '=', String(r.json.issue?.code))
        .executeTakeFirstOrThrow();
      expect((JSON.parse(row.data) as { organization: unknown }).organization).toEqual({ ...ORGANIZATION, logo });
    } finally {
      await call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body: { organization: ORGANIZATION } });
    }
  });

  it('one person is one learner: neither their username nor their id reaches a second document', async () => {
    const { person, as } = await signedIn('dana.k');
    // A manager enters the record of a person who is no LMS learner: they are learner person:<id>.
    const own = `person:${person.id}`;
    const entered = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/learner-records`, {
      token: admin,
      body: { learner_id: own, available: true, data: learnerData() },
    });
    expect(entered.status, entered.text).toBe(200);
    const first = await as('POST', `/api/v1/certificates/${t.certificate.id}/issues/from-record`, {});
    expect(first.status, first.text).toBe(201);
    expect(first.json.issue?.learnerId).toBe(own);
    const again = await as('POST', `/api/v1/certificates/${t.certificate.id}/issues/from-record`, { learner_id: own });
    expect([again.status, again.json.issue?.code]).toEqual([200, first.json.issue?.code]);
    for (const other of ['dana.k', person.id]) {
      const r = await as('POST', `/api/v1/certificates/${t.certificate.id}/issues/from-record`, { learner_id: other });
      expect([r.status, r.json.error?.code]).toEqual([403, 'OTHER_LEARNER']);
    }
    expect((await issuesOf(t.certificate.id)).filter((i) => [own, 'dana.k', person.id].includes(i.learner_id))).toHaveLength(1);
  });

  it('a person called "42" is not LMS learner 42, and an LMS cannot name a person', async () => {
    const theirs = await lmsAsks(t.certificate, '42', learnerData());
    expect(theirs.status, theirs.text).toBe(201);
    const code = String(theirs.json.issue?.code);
    const { person, as } = await signedIn('42');
    for (const [method, path, body] of [
      ['GET', `/api/v1/issues/${code}`, undefined],
      ['GET', `/api/v1/issues/${code}/document`, undefined],
      ['POST', `/api/v1/issues/${code}/links`, {}],
      ['POST', `/api/v1/certificates/${t.certificate.id}/issues/from-record`, { learner_id: '42' }],
    ] as const) {
      const r = await as(method, path, body);
      expect([r.status, r.json.error?.code], `${method} ${path}`).toEqual([403, 'OTHER_LEARNER']);
      expect(r.text).not.toContain('Camille');
    }
    const reserved = await lmsAsks(t.certificate, `person:${person.id}`, learnerData());
    expect([reserved.status, reserved.json.error?.code]).toEqual([422, 'LEARNER_ID_RESERVED']);
    const link = await linkTo(person, `person:${person.id}`);
    expect([link.status, link.json.error?.code]).toEqual([422, 'LEARNER_ID_RESERVED']);
    // Once a manager says this person is LMS learner 42, that document is theirs.
    expect((await linkTo(person, '42')).status).toBe(200);
    expect((await as('GET', `/api/v1/issues/${code}`)).status).toBe(200);
    // And no second person can be linked to the same learner.
    const twin = await createPerson(services, t.system, { username: 'forty-two', displayName: 'Twin', roles: ['learner'] });
    const taken = await linkTo(twin, '42');
    expect([taken.status, taken.json.error?.code]).toEqual([409, 'LEARNER_ALREADY_LINKED']);
  });

  it('prints no administrator as signatory or teacher: only those a manager named', async () => {
    const fresh = await setupTenant(services, { settings: { organization: ORGANIZATION } });
    await createAdministrator(services, fresh.tenant.id, 'boss', 'administrator password');
    const roles = await call(app.base, 'GET', '/api/v1/roles', {
      token: (await createToken(services, fresh.system, { name: 'a', capabilities: ['tenant:manage'] })).token,
    });
    const adminRole = list(roles.json as never).find((r) => String(r.name) === 'admin')!;
    expect(list(adminRole.capabilities)).not.toContain('certificate:signing-authority');
    expect(list(adminRole.capabilities)).not.toContain('certificate:printed-as-teacher');
    const token = (await createToken(services, fresh.system, { name: 'lms', capabilities: [...DEFAULT_ROLES.lms!] })).token;
    const { certifier: _c, teachers: _t, ...data } = learnerData();
    const ask = (learner: string) =>
      call(app.base, 'POST', `/api/v1/certificates/${fresh.certificate.id}/issues`, {
        token,
        body: { learner_id: learner, available: true, data },
      });
    const unsigned = await ask('u1');
    expect(unsigned.status, unsigned.text).toBe(201);
    expect(text((await call(app.base, 'GET', String(unsigned.json.document), { token })).bytes)).not.toContain('Administrator');
    await createPerson(services, fresh.system, { username: 'claire', displayName: 'Claire Signataire', roles: ['signatory'] });
    const signed = await ask('u2');
    expect(text((await call(app.base, 'GET', String(signed.json.document), { token })).bytes)).toContain('Claire Signataire');
  });

  it('the demo tenant prints its named signatory and its own organisation, not the administrator', async () => {
    const seed = (await seedDemoTenant(services, uniqueSlug('demo')))!;
    const { certifier: _c, teachers: _t, ...data } = learnerData();
    const r = await call(app.base, 'POST', `/api/v1/certificates/${seed.certificates[0]!.id}/issues`, {
      token: seed.lmsToken,
      body: { learner_id: 'demo-1', available: true, data },
    });
    expect(r.status, r.text).toBe(201);
    const printed = text((await call(app.base, 'GET', String(r.json.document), { token: seed.lmsToken })).bytes);
    expect(printed).toContain('Claire Dubois');
    expect(printed).toContain('Institut Exemple');
    expect(printed).not.toContain('Administrator');
  }, 60_000);

  it('keeps the issue date and the achievement date apart, and both through regeneration', async () => {
    services.clock.set('2026-04-20T10:00:00.000Z');
    const r = await lmsAsks(t.certificate, 'moodle-3003', learnerData({ completion: { completed: true, date: '2026-04-02' } }));
    expect(r.json.issue).toMatchObject({ issuedOn: '2026-04-20', achievedOn: '2026-04-02' });
    const code = String(r.json.issue?.code);
    expect(text((await call(app.base, 'GET', String(r.json.document), { token: lms })).bytes)).toContain('le 20 avril 2026');
    services.clock.set('2026-05-01T10:00:00.000Z');
    const regen = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, { token: admin, body: { reason: 'typo' } });
    expect(regen.json).toMatchObject({ code, issuedOn: '2026-04-20', achievedOn: '2026-04-02', revision: 2 });
    expect(text((await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).bytes)).toContain('le 20 avril 2026');
    services.clock.set('2026-03-10T09:00:00.000Z');
  });

  it('lists learners:supply-data among the capabilities, in the API and the README index', async () => {
    const caps = await call(app.base, 'GET', '/api/v1/capabilities');
    const supply = list(caps.json as never).find((c) => String(c.name) === 'learners:supply-data');
    expect(supply?.en).toContain('LMS');
    expect(supply?.fr).toContain('plateforme');
    expect(DEFAULT_ROLES.learner).not.toContain('learners:supply-data');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/\| `learners:supply-data` \| — \| .+ \| `enterLearnerRecord` \| admin, manager, lms \|/);
  });
});
