import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../server/domain/context';
import { createTemplate, getTemplate, publishTemplate, updateTemplate } from '../../../server/domain/templates';
import { createTenant } from '../../../server/domain/tenants';
import { ENGINES, actorWith, domainFailure, freshServices, uniqueSlug, useRenderPool, type TestServices } from '../../support/storage';

const pool = useRenderPool(1);

const french = (text: string) =>
  `---\nname: Publish\nlocale: fr\n---\n<page>\n  <text x="20mm" y="20mm" width="150mm">${text}</text>\n</page>\n`;

type Found = { code: string; severity: string }[];

describe.each(ENGINES)('publishing lists warnings apart from the errors that block it (%s)', (engine) => {
  let s: TestServices;
  let designer: Actor;

  beforeAll(async () => {
    s = await freshServices(engine, { pool: pool() });
    const tenant = await createTenant(s, { slug: uniqueSlug(), name: 'Publish', settings: { completion_tracking: false } });
    designer = actorWith(tenant.id, ['templates:edit', 'templates:publish', 'templates:preview']);
  });

  it('publishes despite warnings and says them, since every issued document would show them', async () => {
    const t = await createTemplate(s, designer, { name: 'Raw date', source: french('Délivré le {{ certificate.issued }}') });
    const { version, warnings } = await publishTemplate(s, designer, t.id);
    expect(version.number).toBe(1);
    expect((warnings as Found).map((d) => [d.code, d.severity])).toEqual([['DATE_PRINTED_RAW', 'warning']]);
  });

  it('refuses errors, listing them and the warnings in two lists, and makes no version', async () => {
    const t = await createTemplate(s, designer, {
      name: 'Both',
      source: french('Délivré le {{ certificate.issued }}, achevé le {{ completion.date | date: "longg" }}'),
    });
    const e = await domainFailure(() => publishTemplate(s, designer, t.id));
    expect(e.code).toBe('TEMPLATE_HAS_ERRORS');
    const details = e.extra.details as { errors: Found; warnings: Found; diagnostics: Found };
    expect(details.errors.map((d) => d.code)).toEqual(['DATE_FORMAT_UNKNOWN']);
    expect(details.errors.every((d) => d.severity === 'error')).toBe(true);
    expect(details.warnings.map((d) => d.code).sort()).toEqual(['DATE_PRINTED_RAW', 'OPTIONAL_WITHOUT_DEFAULT']);
    expect(details.warnings.every((d) => d.severity !== 'error')).toBe(true);
    expect(details.diagnostics).toHaveLength(details.errors.length + details.warnings.length);
    expect((await getTemplate(s, designer, t.id)).versions).toEqual([]);
    // The fix the analyzer proposes makes it publishable; the warnings stay warnings.
    await updateTemplate(s, designer, t.id, {
      source: french('Délivré le {{ certificate.issued }}, achevé le {{ completion.date | date: "long" }}'),
    });
    const published = await publishTemplate(s, designer, t.id);
    expect((published.warnings as Found).map((d) => d.code).sort()).toEqual(['DATE_PRINTED_RAW', 'OPTIONAL_WITHOUT_DEFAULT']);
  });
});
