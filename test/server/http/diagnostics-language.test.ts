import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { freshServices, uniqueSlug, useRenderPool, type TestServices } from '../../support/storage';
import { call, list, startApp, type Json, type Running } from '../../support/http';

/**
 * The diagnostics the server's render workers find (publishing, validation, previews) are written in the
 * caller's language, as the editor's own live checks are; codes stay the same in every language. One
 * worker: the same template asked in French and then in English meets the same worker's cache. Without
 * an Accept-Language that prefers French or English, the caller's tenant's language, as for every error.
 */
const pool = useRenderPool(1);

const withErrors = (marker: string) =>
  `---\nname: Langue ${marker}\nlocale: fr\n---\n<page>\n  <text x="20mm" y="20mm" width="150mm">{{ learner.fulname }} {{ completion.date | date: "longg" }}</text>\n</page>\n`;

const FRENCH_PROPERTY = '"fulname" n’est pas une propriété de learner. Vouliez-vous dire "fullname" ?';
const ENGLISH_PROPERTY = '"fulname" is not a property of learner. Did you mean "fullname"?';

describe('server diagnostics in the caller’s language', () => {
  let services: TestServices;
  let app: Running;
  let token: string;
  let frenchTenantToken: string;

  beforeAll(async () => {
    services = await freshServices('sqlite', { pool: pool() });
    app = await startApp(services);
    const capabilities = ['templates:edit', 'templates:publish', 'templates:preview'] as const;
    const english = await createTenant(services, {
      slug: uniqueSlug(),
      name: 'Language',
      settings: { completion_tracking: false, locale: 'en' },
    });
    token = (await createToken(services, { kind: 'system', tenantId: english.id }, { name: 'designer', capabilities: [...capabilities] }))
      .token;
    const french = await createTenant(services, {
      slug: uniqueSlug(),
      name: 'Langue',
      settings: { completion_tracking: false, locale: 'fr' },
    });
    frenchTenantToken = (
      await createToken(services, { kind: 'system', tenantId: french.id }, { name: 'conceptrice', capabilities: [...capabilities] })
    ).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const draft = async (source: string, as = token): Promise<string> => {
    const created = await call(app.base, 'POST', '/api/v1/templates', { token: as, body: { name: 'Langue', source } });
    expect(created.status).toBe(201);
    return String(created.json.id);
  };
  const byCode = (items: Json[]): Record<string, string> => Object.fromEntries(items.map((d) => [String(d.code), String(d.message)]));

  it('refuses a publication with its errors and warnings in French for a French caller, then in English for an English one', async () => {
    const id = await draft(withErrors('publish'));
    const publish = (headers: Record<string, string>) => call(app.base, 'POST', `/api/v1/templates/${id}/publish`, { token, headers });

    const fr = await publish({ 'accept-language': 'fr' });
    expect(fr.status).toBe(422);
    const frError = fr.json.error as Json;
    expect(frError.code).toBe('TEMPLATE_HAS_ERRORS');
    const frDetails = frError.details as Json;
    const frErrors = byCode(list(frDetails.errors));
    expect(Object.keys(frErrors).sort()).toEqual(['DATE_FORMAT_UNKNOWN', 'UNKNOWN_PROPERTY']);
    expect(frErrors.UNKNOWN_PROPERTY).toBe(FRENCH_PROPERTY);
    expect(frErrors.DATE_FORMAT_UNKNOWN).toContain('n’est pas un format de date');
    expect(byCode(list(frDetails.warnings)).OPTIONAL_WITHOUT_DEFAULT).toContain('est facultatif et peut manquer');
    expect(byCode(list(frDetails.diagnostics)).UNKNOWN_PROPERTY).toBe(FRENCH_PROPERTY);

    // The same version, the same worker: what it compiled for the French caller is not what the English one reads.
    for (const headers of [{ 'accept-language': 'en-GB,en;q=0.9' }, {}] as Record<string, string>[]) {
      const en = await publish(headers);
      expect(en.status).toBe(422);
      const enDetails = (en.json.error as Json).details as Json;
      const enErrors = byCode(list(enDetails.errors));
      expect(Object.keys(enErrors).sort()).toEqual(['DATE_FORMAT_UNKNOWN', 'UNKNOWN_PROPERTY']);
      expect(enErrors.UNKNOWN_PROPERTY).toBe(ENGLISH_PROPERTY);
      expect(byCode(list(enDetails.warnings)).OPTIONAL_WITHOUT_DEFAULT).toContain('is optional and may be missing');
    }
  });

  it('answers a preview’s diagnostics in the caller’s language, the tenant’s (English) without a header', async () => {
    const id = await draft(withErrors('preview'));
    const preview = (headers: Record<string, string>) =>
      call(app.base, 'POST', `/api/v1/templates/${id}/preview`, { token, headers, body: { persona: 'camille-martin' } });
    const fr = await preview({ 'accept-language': 'fr-CA,fr;q=0.8,en;q=0.5' });
    expect(fr.status).toBe(200);
    expect(fr.json.pdf).toBeNull();
    expect(byCode(list(fr.json.diagnostics)).UNKNOWN_PROPERTY).toBe(FRENCH_PROPERTY);
    const en = await preview({});
    expect(en.status).toBe(200);
    expect(byCode(list(en.json.diagnostics)).UNKNOWN_PROPERTY).toBe(ENGLISH_PROPERTY);

    // A source being typed (the editor's live preview) too.
    const typed = await call(app.base, 'POST', `/api/v1/templates/${id}/preview`, {
      token,
      headers: { 'accept-language': 'fr' },
      body: { source: withErrors('typed') },
    });
    expect(byCode(list(typed.json.diagnostics)).UNKNOWN_PROPERTY).toBe(FRENCH_PROPERTY);
  });

  it('validates a source in the caller’s language', async () => {
    const validate = (headers: Record<string, string>) =>
      call(app.base, 'POST', '/api/v1/validate', { token, headers, body: { source: withErrors('validate') } });
    const fr = await validate({ 'accept-language': 'fr' });
    expect(fr.status).toBe(200);
    expect(byCode(list(fr.json.diagnostics)).UNKNOWN_PROPERTY).toBe(FRENCH_PROPERTY);
    const en = await validate({});
    expect(byCode(list(en.json.diagnostics)).UNKNOWN_PROPERTY).toBe(ENGLISH_PROPERTY);
  });

  it('follows a French tenant’s language when the caller sends no Accept-Language, and the header when it does', async () => {
    const id = await draft(withErrors('tenant'), frenchTenantToken);
    const publish = (headers: Record<string, string>) =>
      call(app.base, 'POST', `/api/v1/templates/${id}/publish`, { token: frenchTenantToken, headers });
    const tenantLanguage = await publish({});
    expect(byCode(list(((tenantLanguage.json.error as Json).details as Json).errors)).UNKNOWN_PROPERTY).toBe(FRENCH_PROPERTY);
    const asked = await publish({ 'accept-language': 'en' });
    expect(byCode(list(((asked.json.error as Json).details as Json).errors)).UNKNOWN_PROPERTY).toBe(ENGLISH_PROPERTY);
  });
});
