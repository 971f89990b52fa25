import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_CAPABILITIES } from '../../../server/domain/capabilities';
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
import { pdftotext, writeTemp } from '../../templates/pdf/helpers';

/**
 * What the public and a link holder read, over HTTP on both engines: a revocation is public whatever the
 * lock, an unknown code is a 404 (JSON with a code, or a page), the page checks a PDF file with a plain
 * form, and a link never tells an anonymous holder more than the document's state word.
 */
const pool = useRenderPool(1);

describe.each(ENGINES)('what the verification page and links say (%s)', (engine) => {
  let services: TestServices;
  let app: Running;
  let t: TenantFixture;
  let admin: string;
  let lms: string;
  const ask = async (learner: string): Promise<string> => {
    const r = await call(app.base, 'POST', `/api/v1/certificates/${t.certificate.id}/issues`, {
      token: lms,
      body: { learner_id: learner, available: true, data: learnerData() },
    });
    expect(r.status, r.text).toBe(201);
    return String(r.json.issue?.code);
  };
  const revoke = async (code: string) =>
    expect(
      (await call(app.base, 'POST', `/api/v1/issues/${code}/revoke`, { token: admin, body: { reason: 'the learner cheated at the exam' } }))
        .status,
    ).toBe(200);
  /** What a browser sends when a person picks a file in the page's form and submits it. */
  const submitForm = async (code: string, file?: Uint8Array): Promise<Answer> => {
    const form = new FormData();
    form.append(
      'document',
      file ? new Blob([new Uint8Array(file)], { type: 'application/pdf' }) : new Blob([], { type: 'application/octet-stream' }),
      file ? 'certificate.pdf' : '',
    );
    const res = await fetch(`${app.base}/verify/${code}/document`, { method: 'POST', body: form });
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, bytes, text: Buffer.from(bytes).toString('utf8'), json: undefined as never };
  };

  beforeAll(async () => {
    services = await freshServices(engine, { pool: pool() });
    app = await startApp(services);
    t = await setupTenant(services);
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

  it('says a locked document is revoked once it is, without publishing what the lock hides', async () => {
    await updateTenantSettings(services, t.admin, { delivery_lock: true });
    const code = await ask('L-revoked-locked');
    expect((await call(app.base, 'GET', `/api/v1/verify/${code}`)).json).toEqual({ status: 'locked', code, locale: 'fr' });
    await revoke(code);
    const json = await call(app.base, 'GET', `/api/v1/verify/${code}`);
    expect(json.status).toBe(200);
    expect(json.json).toEqual({ status: 'revoked', code, certificate: t.certificate.name, revokedOn: '2026-03-10', locale: 'fr' });
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).toContain('data-status="revoked"');
    expect(page.text).toContain('Document révoqué');
    expect(page.text).not.toContain('Camille');
    await updateTenantSettings(services, t.admin, { delivery_lock: false });
  });

  it('answers a code no document has with 404: a code on the JSON routes, a page on the HTML one', async () => {
    for (const code of ['AAAAA-BBBBB-CCCCC-DDDDD', 'nonsense']) {
      const json = await call(app.base, 'GET', `/api/v1/verify/${code}`);
      expect(json.status).toBe(404);
      expect(json.json.error?.code).toBe('VERIFICATION_CODE_UNKNOWN');
      const upload = await call(app.base, 'POST', `/api/v1/verify/${code}/document`, {
        raw: new Uint8Array([37, 80, 68, 70]),
        headers: { 'content-type': 'application/pdf' },
      });
      expect(upload.status).toBe(404);
      expect(upload.json.error?.code).toBe('VERIFICATION_CODE_UNKNOWN');
      const page = await call(app.base, 'GET', `/verify/${code}`);
      expect(page.status).toBe(404);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.text).toContain('Aucun document ne porte ce code');
      expect(page.text).toContain(`value="${code}"`);
    }
    const english = await call(app.base, 'GET', '/verify/AAAAA-BBBBB-CCCCC-DDDDD', {
      headers: { 'accept-language': 'de-DE, en;q=0.8, fr;q=0.5' },
    });
    expect(english.status).toBe(404);
    expect(english.text).toContain('No document has this code');
    expect((await call(app.base, 'GET', '/verify?code=AAAAA-BBBBB-CCCCC-DDDDD')).status).toBe(404);
  });

  it('checks a PDF file from the page’s own form, with no script: the current document, an earlier version, or not this one', async () => {
    const code = await ask('L-form');
    const pdf = (await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).bytes;
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).toContain(`<form class="upload" method="post" action="/verify/${code}/document" enctype="multipart/form-data">`);
    expect(page.text).toContain('type="file"');
    expect(page.text).not.toMatch(/<script(?! nonce=)/i);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");

    const current = await submitForm(code, pdf);
    expect(current.status).toBe(200);
    expect(current.text).toContain('data-match="current"');
    expect(current.text).toContain('dans sa version en vigueur');
    expect(current.text).toContain('Document valide');
    const other = await submitForm(code, new TextEncoder().encode('%PDF-1.7 something else'));
    expect(other.text).toContain('data-match="none"');
    const nothing = await submitForm(code);
    expect(nothing.status).toBe(422);
    expect(nothing.text).toContain('Choisissez le fichier PDF à comparer.');
    expect((await submitForm('AAAAA-BBBBB-CCCCC-DDDDD', pdf)).status).toBe(404);
    // Made again from a new template version: the first file is now an earlier version.
    const draft = await call(app.base, 'GET', `/api/v1/templates/${t.templateId}`, { token: admin });
    const source = String(draft.json.source).replace('</page>', '<text x="10mm" y="5mm" width="80mm" size="6">v2</text></page>');
    expect((await call(app.base, 'PATCH', `/api/v1/templates/${t.templateId}`, { token: admin, body: { source } })).status).toBe(200);
    const published = await call(app.base, 'POST', `/api/v1/templates/${t.templateId}/publish`, { token: admin });
    const regenerated = await call(app.base, 'POST', `/api/v1/issues/${code}/regenerate`, {
      token: admin,
      body: { reason: 'new layout', template_version_id: published.json.version?.id },
    });
    expect(regenerated.json.revision).toBe(2);
    const superseded = await submitForm(code, pdf);
    expect(superseded.text).toContain('data-match="superseded"');
    expect(superseded.text).toContain('une version plus récente l’a remplacé');
    // A revoked document's copy is still recognised, under its revoked state.
    await revoke(code);
    const revoked = await submitForm(code, pdf);
    expect(revoked.text).toContain('data-status="revoked"');
    expect(revoked.text).toContain('data-match="superseded"');
  });

  it('prints the tenant’s public address in documents, and takes only a plain http(s) address for it', async () => {
    for (const bad of [
      'javascript:alert(1)',
      'ftp://certs.example.org',
      'https://admin:secret@certs.example.org',
      'https://certs.example.org/#x',
      'https://certs.example.org/?a=1',
    ]) {
      const refused = await call(app.base, 'PATCH', '/api/v1/tenant/settings', { token: admin, body: { public_base_url: bad } });
      expect(refused.status, bad).toBe(422);
      expect(list(refused.json.error?.problems).map((p) => p.code)).toContain('PUBLIC_BASE_URL_INVALID');
    }
    const set = await call(app.base, 'PATCH', '/api/v1/tenant/settings', {
      token: admin,
      body: { public_base_url: 'https://certs.example.org/institut/' },
    });
    expect(set.status, set.text).toBe(200);
    const code = await ask('L-public-url');
    const text = pdftotext(writeTemp((await call(app.base, 'GET', `/api/v1/issues/${code}/document`, { token: lms })).bytes)).replace(
      /\s+/g,
      '',
    );
    expect(text).toContain(`https://certs.example.org/institut/verify/${code}`);
    await updateTenantSettings(services, t.admin, { public_base_url: undefined });
  });

  it('offers no file check for a locked document', async () => {
    await updateTenantSettings(services, t.admin, { delivery_lock: true });
    const code = await ask('L-form-locked');
    await updateTenantSettings(services, t.admin, { delivery_lock: false });
    const page = await call(app.base, 'GET', `/verify/${code}`);
    expect(page.text).toContain('data-status="locked"');
    expect(page.text).not.toContain('type="file"');
  });

  it('refuses a download link that could never work, and tells a link holder only the state word', async () => {
    await updateTenantSettings(services, t.admin, { delivery_lock: true });
    const code = await ask('L-link');
    await updateTenantSettings(services, t.admin, { delivery_lock: false });
    const link = await call(app.base, 'POST', `/api/v1/issues/${code}/links`, { token: lms, body: {} });
    expect(link.status).toBe(201);
    const path = String(link.json.url).replace(/^https?:\/\/[^/]+/, '');
    const locked = await call(app.base, 'GET', path);
    expect(locked.status).toBe(423);
    expect(locked.json.error?.code).toBe('DOCUMENT_LOCKED');
    expect(locked.json.error?.details).toEqual({ state: 'locked' });
    expect(locked.text).not.toContain('L-link');

    await revoke(code);
    const revoked = await call(app.base, 'GET', path);
    expect(revoked.status).toBe(410);
    expect(revoked.json.error?.details).toEqual({ state: 'revoked' });
    expect(revoked.text).not.toContain('cheated');
    const again = await call(app.base, 'POST', `/api/v1/issues/${code}/links`, { token: lms, body: {} });
    expect(again.status).toBe(410);
    expect(again.json.error?.code).toBe('DOCUMENT_REVOKED');

    // Staff hand this certificate out: a link for the learner would be dead on arrival.
    const staffOnly = await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
      token: admin,
      body: { settings: { delivery: 'staff' } },
    });
    expect(staffOnly.status).toBe(200);
    const other = await ask('L-staff');
    for (const token of [lms, admin]) {
      const refused = await call(app.base, 'POST', `/api/v1/issues/${other}/links`, { token, body: {} });
      expect(refused.status).toBe(403);
      expect(refused.json.error?.code).toBe('STAFF_DELIVERY_ONLY');
      expect(list(refused.json.error?.reasons)[0]?.message).toBe('Ce document est remis uniquement par l’équipe.');
    }
    expect(
      (
        await call(app.base, 'PATCH', `/api/v1/certificates/${t.certificate.id}`, {
          token: admin,
          body: { settings: { delivery: 'download' } },
        })
      ).status,
    ).toBe(200);
    expect((await call(app.base, 'POST', `/api/v1/issues/${other}/links`, { token: lms, body: {} })).status).toBe(201);
  });
});
