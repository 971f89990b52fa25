import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestDocument, setLocked } from '../../../server/domain/issues';
import { createToken, listTokens, revokeToken } from '../../../server/domain/tokens';
import { DEFAULT_ROLES, type Capability } from '../../../server/domain/capabilities';
import { MOODLE_LINK_MINUTES } from '../../../server/domain/moodle-ws/get-certificate-file-url';
import { tenantScope } from '../../../server/domain/scope';
import { startApp, type Running } from '../../support/http';
import { httpBuildQuery, MoodleRestClient } from '../../support/moodle-rest-client';
import { freshServices, learnerData, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';

const pool = useRenderPool(1);

/**
 * The endpoint as a Moodle site meets it: a client that encodes like PHP and reads Moodle's answers, against
 * the real server on a port.
 */
describe('the Moodle REST endpoint', () => {
  let s: TestServices;
  let fx: TenantFixture;
  let other: TenantFixture;
  let app: Running;
  const tokens: Record<string, string> = {};
  const codes: Record<string, string> = {};
  const client = (name: string | undefined) => new MoodleRestClient(app.base, name === undefined ? undefined : (tokens[name] ?? name));
  const cert = () => ({ pdcidsource: 'id', pdcid: fx.certificate.id });

  beforeAll(async () => {
    s = await freshServices('sqlite', { pool: pool() });
    fx = await setupTenant(s, { courseId: '42' });
    other = await setupTenant(s, { courseId: '42' });
    const make = async (name: string, capabilities: readonly Capability[], tenant = fx) =>
      (tokens[name] = (await createToken(s, tenant.system, { name, capabilities: [...capabilities] })).token);
    await make('lms', DEFAULT_ROLES.lms!);
    await make('manager', [...DEFAULT_ROLES.manager!, 'certificate:view']);
    await make('learner', DEFAULT_ROLES.learner!);
    await make('other', DEFAULT_ROLES.admin!, other);
    await make('revoked', DEFAULT_ROLES.admin!);
    for (const [id, username] of [
      ['201', 'amartin'],
      ['202', 'bdurand'],
    ] as const) {
      const data = learnerData({
        learner: { ...(learnerData().learner as object), username, email: `${username}@example.org`, idnumber: `N-${id}` },
      });
      codes[id] = (await requestDocument(s, fx.lms, { certificateId: fx.certificate.id, learnerId: id, data, available: true })).issue.code;
      s.clock.advance(1000);
    }
    app = await startApp(s);
    await revokeToken(s, fx.system, (await listTokens(s, fx.system)).find((t) => t.name === 'revoked')!.id);
  });
  afterAll(() => app?.close());

  it('encodes parameters as PHP’s http_build_query does', () => {
    expect(httpBuildQuery({ a: 'x y', uids: ['1', 'é'], s: { k: true, n: null }, t: '~*' })).toBe(
      'a=x+y&uids%5B0%5D=1&uids%5B1%5D=%C3%A9&s%5Bk%5D=1&t=%7E%2A',
    );
  });

  it('answers get_certificates, over POST and GET', async () => {
    for (const method of ['POST', 'GET'] as const) {
      const list = await client('lms').value<{ id: string; courseid: string; name: string }[]>(
        'mod_pdcertificate_get_certificates',
        { cidsource: 'id', cid: '42' },
        { method },
      );
      expect(list).toEqual([expect.objectContaining({ id: fx.certificate.id, courseid: '42', name: 'Sauveteur secouriste du travail' })]);
    }
  });

  it('answers get_certificate_info and get_certificate_users_info with form-encoded lists', async () => {
    const info = await client('manager').value<Record<string, unknown>>('mod_pdcertificate_get_certificate_info', {
      ...cert(),
      uidsource: 'username',
      uid: 'amartin',
    });
    expect(info).toMatchObject({ userid: '201', username: 'amartin', useridnumber: 'N-201', issuecode: codes['201'], locked: false });
    const list = await client('manager').value<Record<string, unknown>[]>('mod_pdcertificate_get_certificate_users_info', {
      ...cert(),
      uidsource: 'idnumber',
      uids: ['N-202', 'N-201'],
    });
    expect(list.map((i) => i.userid)).toEqual(['202', '201']);
  });

  it('answers get_certificate_infos from the caller’s cursor', async () => {
    const c = client('manager');
    const first = await c.value<{ userid: string; id: string }[]>('mod_pdcertificate_get_certificate_infos', {
      cidsource: 'id',
      cid: '42',
    });
    expect(first.map((i) => i.userid)).toEqual(['201', '202']);
    expect(await c.value('mod_pdcertificate_get_certificate_infos', { cidsource: 'id', cid: '42' })).toEqual([]);
    const after = await c.value<{ userid: string }[]>('mod_pdcertificate_get_certificate_infos', {
      cidsource: 'id',
      cid: '42',
      issuedfrom: first[0]!.id,
    });
    expect(after.map((i) => i.userid)).toEqual(['202']);
  });

  it('answers get_certificate_file_url with a link that opens the PDF until it expires, and never a locked one', async () => {
    const url = await client('lms').value<string>('mod_pdcertificate_get_certificate_file_url', { ...cert(), uidsource: 'id', uid: '201' });
    expect(url.startsWith(`${app.base}/d/${fx.tenant.slug}/`)).toBe(true);
    const pdf = await fetch(url);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    await setLocked(s, fx.system, [codes['201']!], true, 'unpaid');
    expect((await fetch(url)).status).toBe(423);
    const refused = await client('lms').exception('mod_pdcertificate_get_certificate_file_url', { ...cert(), uidsource: 'id', uid: '201' });
    expect(refused).toMatchObject({ exception: 'moodle_exception', errorcode: 'DOCUMENT_LOCKED' });
    await setLocked(s, fx.system, [codes['201']!], false, 'paid');
    expect((await fetch(url)).status).toBe(200);

    s.clock.advance(MOODLE_LINK_MINUTES * 60_000 + 1000);
    expect((await fetch(url)).status).toBe(403);
  });

  it('refuses forged, missing, revoked, operator and other tenants’ tokens as Moodle does', async () => {
    const invalid = { exception: 'moodle_exception', errorcode: 'invalidtoken', message: 'Invalid token - token not found' };
    for (const token of [undefined, 'att_forged_secret', tokens.lms!.slice(0, -2) + 'xx', 'revoked', 'atop_something'])
      expect(await client(token).exception('mod_pdcertificate_get_certificates', { cidsource: 'id', cid: '42' })).toEqual(invalid);
    // A server serving only other tenants (attest serve --tenant) knows no token of this one.
    s.scope = tenantScope([other.tenant]);
    try {
      expect(await client('lms').exception('mod_pdcertificate_get_certificates', { cidsource: 'id', cid: '42' })).toEqual(invalid);
    } finally {
      delete s.scope;
    }
    // A token of another tenant sees that tenant only: this tenant's certificate is not there.
    expect(
      await client('other').exception('mod_pdcertificate_get_certificate_info', { ...cert(), uidsource: 'id', uid: '201' }),
    ).toMatchObject({
      exception: 'moodle_exception',
      errorcode: 'missingmodule',
    });
  });

  it('refuses a learner’s token reading others’ issues, with required_capability_exception', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['mod_pdcertificate_get_certificate_info', { ...cert(), uidsource: 'id', uid: '202' }],
      ['mod_pdcertificate_get_certificate_users_info', { ...cert(), uidsource: 'id', uids: ['202'] }],
      ['mod_pdcertificate_get_certificate_infos', { cidsource: 'id', cid: '42' }],
    ];
    for (const [fn, params] of calls)
      expect(await client('learner').exception(fn, params as Record<string, string>)).toMatchObject({
        exception: 'required_capability_exception',
        errorcode: 'nopermissions',
        message: 'Sorry, but you do not currently have permissions to do that (issues:manage).',
      });
  });

  it('refuses a token naming a person’s own documents (learner ids "person:…")', async () => {
    expect(
      await client('learner').exception('mod_pdcertificate_get_certificate_file_url', {
        ...cert(),
        uidsource: 'id',
        uid: 'person:someone',
      }),
    ).toMatchObject({ exception: 'invalid_parameter_exception', errorcode: 'invalidparameter' });
  });

  it('says an unknown function as Moodle says it', async () => {
    expect(await client('lms').exception('core_webservice_get_site_info')).toMatchObject({
      exception: 'dml_missing_record_exception',
      errorcode: 'invalidrecord',
      message: "Can't find data record in database table external_functions.",
    });
  });

  it('lists every problem of malformed parameters in invalid_parameter_exception', async () => {
    const raw = `wstoken=${tokens.manager}&wsfunction=mod_pdcertificate_get_certificate_users_info&moodlewsrestformat=json&pdcidsource=id&pdcid=${fx.certificate.id}&uidsource=id&uids%5B0%5D=201&uids=202&uids%5Bx=3&bogus=1`;
    const e = await client('manager').exception('mod_pdcertificate_get_certificate_users_info', {}, { rawBody: raw });
    expect(e).toMatchObject({
      exception: 'invalid_parameter_exception',
      errorcode: 'invalidparameter',
      message: 'Invalid parameter value detected',
    });
    expect(e.problems?.map((p) => [p.path, p.code])).toEqual([
      ['uids', 'MOODLE_FORM_CONFLICT'],
      ['uids[x', 'MOODLE_FORM_NAME'],
      ['bogus', 'UNRECOGNIZED_KEYS'],
    ]);
    expect(e.debuginfo).toContain('uids => ');
    const keyed = await client('manager').exception('mod_pdcertificate_get_certificate_users_info', {
      ...cert(),
      uidsource: 'id',
      uids: { a: '201' },
    });
    expect(keyed.problems?.map((p) => [p.path, p.code])).toEqual([['uids', 'INVALID_TYPE']]);
    const missing = await client('manager').exception('mod_pdcertificate_get_certificate_info', {});
    expect(missing.problems?.map((p) => p.path).sort()).toEqual(['pdcid', 'pdcidsource', 'uid', 'uidsource']);
  });

  it('answers hostile parameters with a Moodle exception, never an internal error (seeded)', async () => {
    let seed = 20261201;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const names = ['pdcidsource', 'pdcid', 'uidsource', 'uid', 'uids', 'cidsource', 'cid', 'issuedfrom', '__proto__', 'constructor', 'x'];
    const keys = ['', '[0]', '[]', '[a]', '[0][0]', '[', ']', '[0', '[1][2][3][4][5][6]', '%5B0%5D'];
    const values = [
      '',
      'id',
      'cmid',
      'idnumber',
      'username',
      '201',
      'N-201',
      fx.certificate.id,
      '%E9',
      '%',
      'x'.repeat(300),
      'person:x',
      '0',
      'last',
      '<b>',
    ];
    const functions = [
      'get_certificates',
      'get_certificate_file_url',
      'get_certificate_info',
      'get_certificate_users_info',
      'get_certificate_infos',
    ];
    for (let i = 0; i < 150; i++) {
      const pairs = Array.from(
        { length: rand(8) },
        () => `${names[rand(names.length)]}${keys[rand(keys.length)]}=${values[rand(values.length)]}`,
      );
      const raw = [
        `wstoken=${tokens.manager}`,
        `moodlewsrestformat=json`,
        `wsfunction=mod_pdcertificate_${functions[rand(functions.length)]}`,
        ...pairs,
      ].join('&');
      const a = await client('manager').call('x', {}, { rawBody: raw });
      expect(a.status, raw).toBe(200);
      if (!a.ok) expect(a.error.errorcode, raw).not.toBe('INTERNAL');
    }
  });

  it('speaks XML, Moodle’s default format, for answers and exceptions', async () => {
    const ok = await client('lms').call<string>('mod_pdcertificate_get_certificates', { cidsource: 'id', cid: '42' }, { format: 'xml' });
    expect(ok.text).toContain('<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE>\n<MULTIPLE>\n<SINGLE>\n<KEY name="id"><VALUE>');
    expect(ok.text).toContain('<KEY name="name"><VALUE>Sauveteur secouriste du travail</VALUE>\n</KEY>');
    const bad = await client('forged').call<string>('mod_pdcertificate_get_certificates', {}, { format: 'xml' });
    expect(bad.status).toBe(200);
    expect(bad.text).toBe(
      '<?xml version="1.0" encoding="UTF-8" ?>\n<EXCEPTION class="moodle_exception">\n<ERRORCODE>invalidtoken</ERRORCODE>\n<MESSAGE>Invalid token - token not found</MESSAGE>\n</EXCEPTION>\n',
    );
  });

  it('takes only form-encoded bodies (and answers in XML when the format it would have read is in the body)', async () => {
    const e = await client('lms').call<string>(
      'mod_pdcertificate_get_certificates',
      {},
      {
        rawBody: '{"moodlewsrestformat":"json"}',
        contentType: 'application/json',
        format: 'xml',
      },
    );
    expect(e.text).toContain('<ERRORCODE>MOODLE_BODY_NOT_FORM</ERRORCODE>');
    const put = await fetch(`${app.base}/webservice/rest/server.php?moodlewsrestformat=json`, { method: 'PUT' });
    expect([put.status, ((await put.json()) as { errorcode: string }).errorcode]).toEqual([200, 'MOODLE_METHOD_NOT_ALLOWED']);
  });

  it('refuses a body over its limit, still as a Moodle exception (XML: the format asked for in it is never read)', async () => {
    const e = await client('lms').call<string>(
      'mod_pdcertificate_get_certificates',
      {},
      { rawBody: `pad=${'x'.repeat(300_000)}`, format: 'xml' },
    );
    expect(e.status).toBe(200);
    expect(e.text).toContain('<ERRORCODE>BODY_TOO_LARGE</ERRORCODE>');
  });

  it('slows an address that keeps sending unknown tokens', async () => {
    process.env.ATTEST_MOODLE_WS_FAILURES_PER_MINUTE = '3';
    const limited = await startApp(s);
    delete process.env.ATTEST_MOODLE_WS_FAILURES_PER_MINUTE;
    try {
      const guess = new MoodleRestClient(limited.base, 'att_guess_guess');
      for (let i = 0; i < 4; i++) expect((await guess.exception('mod_pdcertificate_get_certificates')).errorcode).toBe('invalidtoken');
      // Even the right token waits now: the address is guessing.
      expect((await new MoodleRestClient(limited.base, tokens.lms).exception('mod_pdcertificate_get_certificates')).errorcode).toBe(
        'RATE_LIMITED',
      );
    } finally {
      await limited.close();
      s.baseUrl = app.base;
    }
  });
});
