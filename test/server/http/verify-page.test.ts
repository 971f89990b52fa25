import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
import { createCertificate } from '../../../server/domain/certificates';
import { createToken } from '../../../server/domain/tokens';
import { updateTenantSettings } from '../../../server/domain/tenants';
import {
  ENGINES,
  freshServices,
  learnerData,
  setupTenant,
  useRenderPool,
  type TenantFixture,
  type TestServices,
} from '../../support/storage';
import { call, list, startApp, type Answer, type Running } from '../../support/http';

/**
 * The verification page as the tenant presents it, read as HTML over HTTP on both engines: its brand
 * (name, logo, colour), the revocation reason when the tenant publishes it, the LinkedIn link of a valid
 * document, the in-page file check's wiring, and a policy that lets only the page's own stylesheet and
 * script run, whatever hostile names the tenant, the certificate and the learner carry.
 */
const pool = useRenderPool(1);

const HOSTILE_ORG = `Institut <script>alert("org")</script> & 'Fils'`;
const HOSTILE_CERTIFICATE = 'SST <img src=x onerror=alert(1)> & "co"';
const HOSTILE_LEARNER = '<b onmouseover=alert(2)>Ève</b>';
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a44a0000000049454e44ae426082',
  'hex',
).toString('base64');
const LOGO = `data:image/png;base64,${PNG}`;

/** Every start tag of the page: escaped values never make one, so these are exactly the page's own. */
const tags = (html: string) => html.match(/<[a-z][^>]*>/gi) ?? [];
const unescape = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
const linkedInHref = (html: string) => {
  const m = /<a class="linkedin" href="([^"]+)"/.exec(html);
  return m ? new URL(unescape(m[1]!)) : undefined;
};

function expectOnlyOwnCode(page: Answer): void {
  const policy = page.headers.get('content-security-policy') ?? '';
  for (const tag of tags(page.text)) {
    expect(tag, 'no inline handler').not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag, 'no style attribute').not.toMatch(/\sstyle\s*=/i);
  }
  const styles = [...page.text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  expect(styles).toHaveLength(1);
  expect(policy).toContain(`style-src 'sha256-${createHash('sha256').update(styles[0]!).digest('base64')}'`);
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).toContain("default-src 'none'");
  const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
  for (const attrs of scripts) {
    const nonce = /^ nonce="([A-Za-z0-9+/=]{22,})"$/.exec(attrs)?.[1];
    expect(nonce, `script ${attrs}`).toBeDefined();
    expect(policy).toContain(`script-src 'nonce-${nonce}'`);
  }
  if (scripts.length === 0) expect(policy).toContain("script-src 'none'");
}

describe.each(ENGINES)('the verification page a tenant presents (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  let certificateId: string;
  const ask = async (learner: string, overrides: Record<string, unknown> = {}): Promise<string> => {
    const r = await call(app.base, 'POST', `/api/v1/certificates/${certificateId}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data: learnerData(overrides) },
    });
    expect(r.status, r.text).toBe(201);
    return String(r.json.issue?.code);
  };
  const revoke = async (code: string, reason: string) =>
    expect((await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: admin, body: { reason } })).status).toBe(200);

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services, { settings: { organization: { name: HOSTILE_ORG, logo: LOGO, colour: '#aa3300' } } });
    certificateId = (
      await createCertificate(services, t.system, {
        name: HOSTILE_CERTIFICATE,
        templateVersionId: t.version.id,
        courseId: 'course-1',
        settings: { validity_days: 365 },
      })
    ).id;
    admin = (await createToken(services, t.system, { name: 'admin', capabilities: [...ALL_CAPABILITIES] })).token;
    lms = (
      await createToken(services, t.system, {
        name: 'lms',
        capabilities: ['certificate:view', 'certificate:apply', 'certificate:retrieve-own', 'learners:supply-data'],
      })
    ).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('carries the tenant’s name, logo and colour, with every hostile name printed as text', async () => {
    const { fullname: _fullname, ...rest } = learnerData().learner as Record<string, unknown>;
    const learner = { ...rest, firstname: HOSTILE_LEARNER, lastname: 'Durand' };
    const code = await ask('L-brand', { learner });
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.status).toBe(200);
    const html = page.text;
    expect(html).toContain(`<header class="brand"><img src="${LOGO}" alt=""><span class="org" dir="auto">`);
    expect(html).toContain('Institut &lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt; &amp; &#39;Fils&#39;');
    expect(html).toContain('SST &lt;img src=x onerror=alert(1)&gt; &amp; &quot;co&quot;');
    expect(html).toContain('&lt;b onmouseover=alert(2)&gt;Ève&lt;/b&gt; Durand');
    expect(html).toContain('--accent:#aa3300');
    for (const raw of [HOSTILE_ORG, HOSTILE_CERTIFICATE, HOSTILE_LEARNER, '<script>alert', '<img src=x', '<b onmouseover'])
      expect(html).not.toContain(raw);
    expectOnlyOwnCode(page);
    // A fresh nonce each time: one seen once does not let a script in later.
    const again = await call(app.base, 'GET', `/verify/${code}`);
    expect(/nonce="([^"]+)"/.exec(again.text)?.[1]).not.toBe(/nonce="([^"]+)"/.exec(html)?.[1]);
    // An unknown code has no tenant: no brand, no script, the same strict policy.
    const unknown = await call(app.base, 'GET', '/verify/AAAAA-BBBBB-CCCCC-DDDDD');
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain('class="brand"');
    expectOnlyOwnCode(unknown);
  });

  it('refuses a colour that is not #rrggbb, listing the problem', async () => {
    const r = await call(app.base, 'PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { organization: { name: 'X', colour: 'red;}body{display:none' } },
    });
    expect(r.status).toBe(422);
    expect(list(r.json.error?.problems).map((p) => p.path)).toEqual(['organization.colour']);
  });

  it('offers a valid document to a LinkedIn profile: its name, issuer, months and this page’s address', async () => {
    const code = await ask('L-linkedin');
    const json = (await call(app.base, 'GET', `/api/v1/verify/${code}`)).json;
    const page = await call(app.base, 'GET', `/verify/${code}`);
    const url = linkedInHref(page.text);
    expect(url?.origin + url!.pathname).toBe('https://www.linkedin.com/profile/add');
    const issued = String(json.issuedOn);
    const expires = String(json.expiresOn);
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      startTask: 'CERTIFICATION_NAME',
      name: HOSTILE_CERTIFICATE,
      organizationName: HOSTILE_ORG,
      issueYear: issued.slice(0, 4),
      issueMonth: String(Number(issued.slice(5, 7))),
      expirationYear: expires.slice(0, 4),
      expirationMonth: String(Number(expires.slice(5, 7))),
      certUrl: `${services.baseUrl.replace(/\/+$/, '')}/verify/${code}`,
      certId: code,
    });
    expect(page.text).toContain('target="_blank" rel="noopener noreferrer">Ajouter à mon profil LinkedIn</a>');
    await revoke(code, 'issued by mistake');
    expect(linkedInHref((await call(app.base, 'GET', `/verify/${code}`)).text)).toBeUndefined();
  });

  it('says why a document was revoked only when the tenant publishes it, and never on a locked one', async () => {
    const reason = 'Fraude <constatée> à l’examen';
    const code = await ask('L-reason');
    await revoke(code, reason);
    const hidden = await call(app.base, 'GET', `/verify/${code}`);
    expect(hidden.text).toContain('data-status="revoked"');
    expect(hidden.text).not.toContain('Motif de la révocation');
    expect(hidden.text).not.toContain('constatée');
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.revocationReason).toBeUndefined();

    await updateTenantSettings(services, t.admin, {
      verification_shows: { learner_name: true, course: true, dates: true, revocation_reason: true },
    });
    const shown = await call(app.base, 'GET', `/verify/${code}`);
    expect(shown.text).toContain('<dt>Motif de la révocation</dt><dd dir="auto">Fraude &lt;constatée&gt; à l’examen</dd>');
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json.revocationReason).toBe(reason);

    await updateTenantSettings(services, t.admin, { delivery_lock: true });
    const locked = await ask('L-reason-locked');
    await revoke(locked, 'about Camille, privately');
    const lockedPage = await call(app.base, 'GET', `/verify/${locked}`);
    expect(lockedPage.text).toContain('data-status="revoked"');
    expect(lockedPage.text).not.toContain('privately');
    expect((await call(app.base, 'GET', `/api/v1/verify/${locked}`)).json.revocationReason).toBeUndefined();
    await updateTenantSettings(services, t.admin, {
      delivery_lock: false,
      verification_shows: { learner_name: true, course: true, dates: true },
    });
  });

  it('wires the in-page file check to the API’s verifyDocument, and keeps the plain form for browsers without script', async () => {
    const code = await ask('L-wiring');
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).toContain(`<form class="upload" method="post" action="/verify/${code}/document" enctype="multipart/form-data">`);
    expect(page.text).toContain(`<section class="check" data-api="/api/v1/verify/${code}/document"`);
    expect(page.text).toContain('data-say-current="Ce fichier est le document délivré sous ce code, dans sa version en vigueur."');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("form-action 'self'");
    expectOnlyOwnCode(page);
    // A locked document offers no check, so the page runs no script and may fetch nothing.
    await updateTenantSettings(services, t.admin, { delivery_lock: true });
    const locked = await ask('L-wiring-locked');
    await updateTenantSettings(services, t.admin, { delivery_lock: false });
    const lockedPage = await call(app.base, 'GET', `/verify/${locked}`);
    expect(lockedPage.text).not.toMatch(/<script/);
    expect(lockedPage.headers.get('content-security-policy')).toContain("connect-src 'none'");
    expectOnlyOwnCode(lockedPage);
  });
});
