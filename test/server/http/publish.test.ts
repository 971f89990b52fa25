import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../../server/domain/tenants';
import { createToken } from '../../../server/domain/tokens';
import { freshServices, uniqueSlug, useRenderPool, type TestServices } from '../../support/storage';
import { call, list, startApp, type Json, type Running } from '../../support/http';

/**
 * Publishing over HTTP: what blocks it (errors) and what would reach every issued document (warnings) come
 * as two lists, and the caller reads the answer in its language.
 */
const pool = useRenderPool(1);

const french = (text: string) =>
  `---\nname: Publish\nlocale: fr\n---\n<page>\n  <text x="20mm" y="20mm" width="150mm">${text}</text>\n</page>\n`;

describe('publishTemplate over HTTP', () => {
  let services: TestServices;
  let app: Running;
  let token: string;

  beforeAll(async () => {
    services = await freshServices('sqlite', { pool: pool() });
    app = await startApp(services);
    const tenant = await createTenant(services, { slug: uniqueSlug(), name: 'Publish', settings: { completion_tracking: false } });
    token = (
      await createToken(
        services,
        { kind: 'system', tenantId: tenant.id },
        { name: 'designer', capabilities: ['templates:edit', 'templates:publish', 'templates:preview'] },
      )
    ).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const draft = async (source: string): Promise<string> => {
    const created = await call(app.base, 'POST', '/api/v1/templates', { token, body: { name: 'Publish', source } });
    expect(created.status).toBe(201);
    return String(created.json.id);
  };
  const codes = (items: Json[]): string[] => items.map((d) => String(d.code)).sort();

  it('answers 201 with the warnings when nothing blocks', async () => {
    const id = await draft(french('Délivré le {{ certificate.issued }}'));
    const r = await call(app.base, 'POST', `/api/v1/templates/${id}/publish`, { token });
    expect(r.status).toBe(201);
    expect((r.json.version as Json).number).toBe(1);
    const [warning] = list(r.json.warnings);
    expect(warning).toMatchObject({ code: 'DATE_PRINTED_RAW', severity: 'warning', fixes: [{ replacement: ' | date: "long"' }] });
  });

  it('answers 422 with the errors and the warnings apart, in French for a French caller', async () => {
    const id = await draft(french('Délivré le {{ certificate.issued }}, achevé le {{ completion.date | date: "longg" }}'));
    for (const [language, title] of [
      ['fr-FR,fr;q=0.9', 'Le modèle contient des erreurs'],
      ['en', 'The template has errors'],
    ] as const) {
      const r = await call(app.base, 'POST', `/api/v1/templates/${id}/publish`, { token, headers: { 'accept-language': language } });
      expect(r.status).toBe(422);
      const error = r.json.error as Json;
      expect(error.code).toBe('TEMPLATE_HAS_ERRORS');
      expect(String(error.message)).toContain(title);
      const details = error.details as Json;
      expect(codes(list(details.errors))).toEqual(['DATE_FORMAT_UNKNOWN']);
      expect(list(details.errors)[0]).toMatchObject({ severity: 'error', fixes: [{ replacement: '"long"' }] });
      expect(codes(list(details.warnings))).toEqual(['DATE_PRINTED_RAW', 'OPTIONAL_WITHOUT_DEFAULT']);
    }
    const template = await call(app.base, 'GET', `/api/v1/templates/${id}`, { token });
    expect(template.json.versions).toEqual([]);
  });
});
