import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createPerson } from '../../../server/domain/people';
import { setRoleCapabilities } from '../../../server/domain/roles';
import { createToken } from '../../../server/domain/tokens';
import { runNotificationsOnce } from '../../../server/jobs/notifications';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';
import { startSmtp, type Smtp } from './smtp';

/**
 * Mail, end to end over HTTP on both engines, to a real SMTP server on loopback whose messages are parsed
 * back: the document attached (opened as a PDF) or linked, in the learner's language or the tenant's,
 * teachers and listed addresses told of the award, a locked document mailed only once unlocked, SMTP
 * refusals deferred (451) or failed (550) with the server's answer, and a resend that works.
 */
const pool = useRenderPool(1);
const RETRY = { firstDelayMs: 1000, maxAttempts: 3, maxDelayMs: 60_000 };
const round = (services: TestServices) => runNotificationsOnce(services, { mail: { retry: RETRY, timeoutMs: 5000 } });

describe.each(ENGINES)('mail (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let smtp: Smtp;
  const previous = process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;

  const ask = (learner: string, persona = 'camille-martin', email = `${learner.toLowerCase()}@example.org`) => {
    const data = learnerData({}, persona);
    data.learner = { ...(data.learner as object), email };
    return call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data },
    });
  };
  const mailOf = async (code: string) => list((await call(app.base, 'GET', `/api/v1/issues/${code}/mail`, { token: admin })).json);
  const to = (address: string) => smtp.messages.filter((m) => JSON.stringify(m.to).includes(address));

  beforeAll(async () => {
    process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { delivery_lock: true, locale: 'fr' } });
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'learners:supply-data', 'certificate:retrieve-own'],
      })
    ).token;
    await setRoleCapabilities(services, t.system, 'teacher', ['certificate:printed-as-teacher']);
    await createPerson(services, t.system, {
      username: 'jmoreau',
      displayName: 'Julien Moreau',
      email: 'julien@example.org',
      roles: ['teacher'],
    });
    smtp = await startSmtp({ user: 'attest', pass: 'smtp-secret-1' });
  }, 60_000);
  afterAll(async () => {
    if (previous === undefined) delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    else process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = previous;
    await smtp?.close();
    await app?.close();
  });

  it('keeps the SMTP password write-only', async () => {
    const set = await call(app.base, 'PUT', '/api/v1/tenant/mail', {
      token: admin,
      body: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'attest', password: 'smtp-secret-1', from: 'formation@example.org' },
    });
    expect(set.status).toBe(200);
    expect(set.json.settings?.passwordSet).toBe(true);
    expect(set.text).not.toContain('smtp-secret-1');
    const got = await call(app.base, 'GET', '/api/v1/tenant/mail', { token: admin });
    expect(got.json.settings).toMatchObject({
      host: '127.0.0.1',
      port: smtp.port,
      user: 'attest',
      from: 'formation@example.org',
      passwordSet: true,
    });
    expect(got.text).not.toContain('smtp-secret-1');
    expect((await call(app.base, 'GET', '/api/v1/tenant/mail', { token: lms })).status).toBe(403);
  });

  it('checks the mail templates with the analyzer and lists every problem', async () => {
    const bad = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: {
        learner: 'attachment',
        others: ['not an address'],
        templates: { en: { document: { subject: 'Hi {{ learner.fulname }}', text: '{% if %}' } } },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error?.code).toBe('MAIL_SETTINGS_INVALID');
    expect(list(bad.json.error?.problems).map((p) => p.path)).toEqual(['others[0]']);
    const badWords = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: { learner: 'attachment', templates: { en: { document: { subject: 'Hi {{ learner.fulname }}', text: '{% if %}' } } } },
    });
    expect(badWords.status).toBe(422);
    const problems = list(badWords.json.error?.problems);
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['templates.en.document.subject', 'TEMPLATE_INVALID'],
      ['templates.en.document.text', 'TEMPLATE_INVALID'],
    ]);
    expect(String(problems[0]!.message)).toContain('Did you mean "fullname"?');
    const ok = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: {
        learner: 'attachment',
        teachers: true,
        others: ['rh@example.org'],
        templates: {
          en: {
            document: {
              subject: 'Your certificate, {{ learner.firstname | default: "" }}',
              text: 'Dear {{ learner.fullname }}, your code is {{ certificate.code | default: "" }}.',
              html: '<p>Dear <b>{{ learner.fullname }}</b></p>',
            },
          },
        },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.teachers).toBe(true);
    expect((await call(app.base, 'GET', `/api/v1/certificates/${t.certificate.id}/mail`, { token: admin })).json.others).toEqual([
      'rh@example.org',
    ]);
  });

  it('tells teachers and listed addresses at once, and mails a locked document only once unlocked', async () => {
    const asked = await ask('L1');
    expect(asked.json.issue?.locked).toBe(true);
    const code = String(asked.json.issue?.code);
    // Two workers at once: each message goes once.
    await Promise.all([round(services), round(services)]);
    expect(to('l1@example.org')).toHaveLength(0);
    const teacher = to('julien@example.org');
    expect(teacher).toHaveLength(1);
    expect(teacher[0]!.subject).toBe('Attestation délivrée à Camille Martin'); // the tenant's language
    expect(teacher[0]!.attachments).toHaveLength(0);
    expect(to('rh@example.org')).toHaveLength(1);
    expect(smtp.logins.length).toBeGreaterThan(0);
    const before = await mailOf(code);
    expect(before.map((m) => [m.kind, m.recipient, m.status]).sort()).toEqual([
      ['other', 'rh@example.org', 'sent'],
      ['teacher', 'julien@example.org', 'sent'],
    ]);
    expect(String(before[0]!.smtpResponse)).toMatch(/^250/);

    expect((await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } })).status).toBe(200);
    await round(services);
    const mine = to('l1@example.org');
    expect(mine).toHaveLength(1);
    const m = mine[0]!;
    expect(m.subject).toMatch(/^Votre attestation/); // the learner's language (fr), the default words
    expect(m.text).toContain('Bonjour Camille Martin');
    expect(m.text).toContain(code);
    expect(m.html).toContain('<p>Bonjour Camille Martin,</p>');
    expect(m.from?.value[0]).toEqual({ name: 'Institut de test', address: 'formation@example.org' });
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]!.contentType).toBe('application/pdf');
    // Named as a download is (domain/file-names.ts): the certificate's name and the code, without a pattern.
    expect(m.attachments[0]!.filename).toBe(`Sauveteur secouriste du travail ${code}.pdf`);
    expect(pdftotext(writeTemp(new Uint8Array(m.attachments[0]!.content)))).toContain('Camille Martin');
    // Locked and unlocked again: it went already, it does not go twice.
    await call(app.base, 'POST', '/api/v1/issues/lock', { token: admin, body: { codes: [code] } });
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } });
    await round(services);
    expect(to('l1@example.org')).toHaveLength(1);
  });

  it('writes in the learner’s language with the certificate’s own words, values as text', async () => {
    const code = String((await ask('L2', 'oliver-bennett', 'oliver@example.org')).json.issue?.code);
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } });
    await round(services);
    const m = to('oliver@example.org')[0]!;
    expect(m.subject).toBe('Your certificate, Oliver');
    expect(m.text?.trim()).toBe(`Dear Oliver Bennett, your code is ${code}.`);
    expect(m.html).toContain('<b>Oliver Bennett</b>');
  });

  it('prints learner values as text: escaped in HTML, never run as Liquid', async () => {
    const code = String((await ask('L-markup', 'markup', 'markup@example.org')).json.issue?.code);
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } });
    await round(services);
    const m = to('markup@example.org')[0]!;
    expect(m.text).toContain('<b>{{ 7*7 }}</b> & {% raw %}');
    expect(m.html).toContain('&lt;b&gt;{{ 7*7 }}&lt;/b&gt; &amp; {% raw %}');
    expect(m.html).not.toContain('<b>{{');
    // The greeting line is the learner's value as typed; a verification code may well contain "49" elsewhere.
    expect(m.text?.split('\n')[0]).toBe('Bonjour <b>{{ 7*7 }}</b> & {% raw %},');
    expect(m.text).not.toMatch(/\b49\b/);
  });

  it('defers on 451 and fails on 550 with the SMTP answer, and a resend works', async () => {
    smtp.refuseWith(451);
    const code = String((await ask('L3')).json.issue?.code);
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } });
    await round(services);
    const learner = () => mailOf(code).then((all) => all.find((x) => String(x.kind) === 'learner')!);
    let m = await learner();
    expect(m.status).toBe('deferred');
    expect(String(m.smtpResponse)).toMatch(/^451/);
    expect(String(m.smtpResponse)).toContain('try again later');
    expect(m.attempts).toBe(1);
    // Not before its time; then a 550 is final.
    smtp.refuseWith(550);
    await round(services);
    expect((await learner()).attempts).toBe(1);
    services.clock.advance(1000);
    await round(services);
    m = await learner();
    expect(m.status).toBe('failed');
    expect(String(m.smtpResponse)).toMatch(/^550/);
    expect(m.nextAttemptAt).toBeNull();
    services.clock.advance(3_600_000);
    await round(services);
    expect((await learner()).attempts).toBe(2);

    smtp.refuseWith(0);
    const resent = await call(app.base, 'POST', `/api/v1/mail-messages/${String(m.id)}/resend`, { token: admin });
    expect(resent.status).toBe(200);
    expect(resent.json.status).toBe('queued');
    await round(services);
    m = await learner();
    expect(m.status).toBe('sent');
    expect(to('l3@example.org')).toHaveLength(1);
  });

  it('sends a signed link instead of the file when asked, and the link opens the document', async () => {
    await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, { token: admin, body: { learner: 'link' } });
    const code = String((await ask('L4')).json.issue?.code);
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } });
    await round(services);
    const m = to('l4@example.org')[0]!;
    expect(m.attachments).toHaveLength(0);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/d\/[^\s]+)/.exec(m.text ?? '')?.[1];
    expect(link).toContain(`/${code}?expires=`);
    const doc = await fetch(link!);
    expect(doc.status).toBe(200);
    expect(pdftotext(writeTemp(new Uint8Array(await doc.arrayBuffer())))).toContain('Camille Martin');
  });

  it('refuses private SMTP hosts by default, bad settings, missing capabilities and other tenants’ ids', async () => {
    delete process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS;
    try {
      for (const host of ['127.0.0.1', 'localhost', '10.0.0.5', '169.254.169.254']) {
        const r = await call(app.base, 'PUT', '/api/v1/tenant/mail', { token: admin, body: { host, from: 'a@example.org' } });
        expect([host, r.status, r.json.error?.problems?.[0]?.code]).toEqual([host, 422, 'URL_PRIVATE']);
      }
    } finally {
      process.env.ATTEST_ALLOW_PRIVATE_RECEIVERS = '1';
    }
    const bad = await call(app.base, 'PUT', '/api/v1/tenant/mail', {
      token: admin,
      body: { host: '', port: 70000, from: 'nope', extra: 1 },
    });
    expect(bad.status).toBe(422);
    expect(
      list(bad.json.error?.problems)
        .map((p) => p.path)
        .sort(),
    ).toEqual(['extra', 'from', 'host', 'port']);

    const long = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: {
        templates: { fr: { document: { subject: 'x', text: 'y'.repeat(200_000) } } },
        others: Array.from({ length: 30 }, (_, i) => `a${i}@example.org`),
      },
    });
    expect(long.status).toBe(422);
    expect(list(long.json.error?.problems).map((p) => [p.path, p.code])).toEqual([
      ['others', 'TOO_BIG'],
      ['templates.fr.document.text', 'TOO_BIG'],
    ]);
    const code = String((await ask('L5')).json.issue?.code);
    await call(app.base, 'POST', '/api/v1/issues/unlock', { token: admin, body: { codes: [code] } });
    const msg = (await mailOf(code))[0]!;
    const viewer = (await createToken(services, t.system, { name: 'viewer', capabilities: ['certificate:view'] })).token;
    expect((await call(app.base, 'GET', `/api/v1/issues/${code}/mail`, { token: viewer })).status).toBe(403);
    expect((await call(app.base, 'POST', `/api/v1/mail-messages/${String(msg.id)}/resend`, { token: viewer })).status).toBe(403);
    expect((await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, { token: viewer, body: {} })).status).toBe(403);

    const other = await setupTenant(services);
    const stranger = (await createToken(services, other.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    expect((await call(app.base, 'GET', `/api/v1/issues/${code}/mail`, { token: stranger })).status).toBe(404);
    expect((await call(app.base, 'POST', `/api/v1/mail-messages/${String(msg.id)}/resend`, { token: stranger })).status).toBe(404);
    expect((await call(app.base, 'GET', `/api/v1/certificates/${t.certificate.id}/mail`, { token: stranger })).status).toBe(404);
    expect((await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, { token: stranger, body: {} })).status).toBe(404);
    expect((await call(app.base, 'GET', '/api/v1/tenant/mail', { token: stranger })).json.settings).toBeNull();
  });
});
