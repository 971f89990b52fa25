import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createToken } from '../../../server/domain/tokens';
import { ENGINES, freshServices, setupTenant, useRenderPool, type TenantFixture, type TestServices } from '../../support/storage';
import { call, list, startApp, type Running } from '../../support/http';

/**
 * The preview of a certificate's mail over HTTP on both engines: the analyzer's findings per part in the
 * caller's language (an unknown variable with its "did you mean"), the words rendered with a sample learner
 * and the tenant's organisation (not the persona's) by the code that sends, the saved words or the defaults when none are
 * given, mail.link in link mode, a Liquid that does not parse (no rendering, the error at its part), and
 * who may ask.
 */
const pool = useRenderPool(1);

describe.each(ENGINES)('mail preview (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  const preview = (body: unknown, token = admin, language = 'en') =>
    call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/mail/preview`, {
      token,
      body,
      headers: { 'accept-language': language },
    });

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (await createToken(services, t.system, { name: 'lms', capabilities: ['certificate:apply'] })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('renders the words with a sample learner and lists the analyzer’s findings per part', async () => {
    const r = await preview({
      locale: 'en',
      persona: 'camille-martin',
      words: {
        subject: 'Well done {{ learner.fulname }}',
        text: 'Dear {{ learner.fullname }}, from {{ organization.name }}.',
        html: '<p>{{ learner.fullname }}</p>',
      },
    });
    expect(r.status, r.text).toBe(200);
    const diagnostics = list(r.json.diagnostics);
    expect(diagnostics.map((d) => [d.part, d.code, d.severity])).toEqual([['subject', 'UNKNOWN_PROPERTY', 'error']]);
    expect(String(diagnostics[0]!.message)).toContain('fullname');
    expect(diagnostics[0]!.range).toMatchObject({ start: { line: 1, column: 22 } });
    expect(r.json.rendered).toEqual({
      subject: 'Well done',
      text: 'Dear Camille Martin, from Organisme de formation.',
      html: '<p>Camille Martin</p>',
    });
    // In the caller's language.
    const fr = await preview({ words: { subject: '{{ learner.fulname }}', text: 'x' } }, admin, 'fr');
    expect(String(list(fr.json.diagnostics)[0]!.message)).toMatch(/inconnue|Vouliez-vous/);
  });

  it('previews the saved words, else the defaults, and sets mail.link in link mode', async () => {
    const defaults = await preview({ locale: 'fr', learner: 'link' });
    expect(defaults.status).toBe(200);
    expect(String(defaults.json.words?.subject)).toContain('Votre attestation');
    expect(String(defaults.json.rendered?.text)).toContain('https://attest.example.org/d/SAMPLE-LINK');
    expect(list(defaults.json.diagnostics).filter((d) => String(d.severity) === 'error')).toEqual([]);
    const saved = await call(app.base, 'PUT', `/api/v1/certificates/${t.certificate.id}/mail`, {
      token: admin,
      body: { learner: 'attachment', templates: { en: { award: { subject: 'Awarded to {{ learner.firstname }}', text: 'Yes.' } } } },
    });
    expect(saved.status, saved.text).toBe(200);
    const award = await preview({ locale: 'en', which: 'award', persona: 'camille-martin' });
    expect(award.json.rendered).toMatchObject({ subject: 'Awarded to Camille', text: 'Yes.' });
  });

  it('does not render a Liquid that does not parse, and names its part', async () => {
    const r = await preview({ words: { subject: 'Hi', text: '{% if %}' } });
    expect(r.status).toBe(200);
    expect(r.json.rendered).toBeNull();
    expect(list(r.json.diagnostics).map((d) => [d.part, d.severity])).toEqual([['text', 'error']]);
  });

  it('refuses an unknown persona, another tenant’s certificate, and a caller without certificate:view', async () => {
    expect((await preview({ persona: 'nobody' })).json.error?.code).toBe('PERSONA_UNKNOWN');
    expect((await preview({}, lms)).status).toBe(403);
    const elsewhere = await setupTenant(services);
    const r = await call(app.base, 'POST', `/api/v1/certificates/${elsewhere.certificate.id}/mail/preview`, { token: admin, body: {} });
    expect(r.status).toBe(404);
  });
});
