import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../server/domain/context';
import { previewTemplate } from '../../../server/domain/preview';
import { createTemplate, publishTemplate, validateSource } from '../../../server/domain/templates';
import { createTenant } from '../../../server/domain/tenants';
import type { Diagnostic } from '../../../variables/diagnostics';
import { actorWith, domainFailure, freshServices, uniqueSlug, useRenderPool, type TestServices } from '../../support/storage';

/**
 * Publishing, validating and previewing say what the render worker found in the language they are given
 * (English when none is): the same codes, other words.
 */
const pool = useRenderPool(1);

const source = (text: string) =>
  `---\nname: Langue\nlocale: fr\n---\n<page>\n  <text x="20mm" y="20mm" width="150mm">${text}</text>\n</page>\n`;
const broken = source('{{ learner.fulname }}, achevé le {{ completion.date }}');

const messages = (diagnostics: readonly Diagnostic[]): Record<string, string> =>
  Object.fromEntries(diagnostics.map((d) => [d.code, d.message]));

describe('diagnostics from the render workers in the language asked', () => {
  let s: TestServices;
  let designer: Actor;

  beforeAll(async () => {
    s = await freshServices('sqlite', { pool: pool() });
    const tenant = await createTenant(s, { slug: uniqueSlug(), name: 'Langue', settings: { completion_tracking: false } });
    designer = actorWith(tenant.id, ['templates:edit', 'templates:publish', 'templates:preview']);
  });

  it('refuses a publication in French when asked, in English otherwise, with the same codes', async () => {
    const t = await createTemplate(s, designer, { name: 'Refus', source: broken });
    const fr = await domainFailure(() => publishTemplate(s, designer, t.id, { language: 'fr' }));
    const en = await domainFailure(() => publishTemplate(s, designer, t.id));
    const frDetails = fr.extra.details as { errors: Diagnostic[]; warnings: Diagnostic[] };
    const enDetails = en.extra.details as { errors: Diagnostic[]; warnings: Diagnostic[] };
    expect(messages(frDetails.errors)).toEqual({
      UNKNOWN_PROPERTY: '"fulname" n’est pas une propriété de learner. Vouliez-vous dire "fullname" ?',
    });
    expect(messages(enDetails.errors)).toEqual({ UNKNOWN_PROPERTY: '"fulname" is not a property of learner. Did you mean "fullname"?' });
    expect(frDetails.warnings.map((d) => d.code)).toEqual(enDetails.warnings.map((d) => d.code));
    expect(messages(frDetails.warnings).OPTIONAL_WITHOUT_DEFAULT).toContain('est facultatif et peut manquer');
  });

  it('says a Liquid that does not parse in French too (the analyzer never sees it)', async () => {
    const t = await createTemplate(s, designer, { name: 'Bloc', source: source('{% if learner.fullname %}Bravo') });
    const fr = await domainFailure(() => publishTemplate(s, designer, t.id, { language: 'fr' }));
    const en = await domainFailure(() => publishTemplate(s, designer, t.id, { language: 'en' }));
    const [frError] = (fr.extra.details as { errors: Diagnostic[] }).errors;
    const [enError] = (en.extra.details as { errors: Diagnostic[] }).errors;
    expect([frError!.code, enError!.code]).toEqual(['LIQUID_SYNTAX', 'LIQUID_SYNTAX']);
    expect(frError!.message).toContain('n’est jamais fermé : ajoutez {% endif %}');
    expect(enError!.message).toContain('is never closed: add {% endif %}');
  });

  it('publishes with its warnings in French when asked', async () => {
    const t = await createTemplate(s, designer, { name: 'Avertie', source: source('Délivré le {{ certificate.issued }}') });
    const { warnings } = await publishTemplate(s, designer, t.id, { language: 'fr' });
    expect(warnings.map((d) => d.code)).toEqual(['DATE_PRINTED_RAW']);
    expect(warnings[0]!.message).toContain('ce qui n’est pas l’écriture des dates en français');
  });

  it('validates and previews in the language asked', async () => {
    const fr = messages(await validateSource(s, designer, broken, { language: 'fr' }));
    const en = messages(await validateSource(s, designer, broken));
    expect(Object.keys(fr)).toEqual(Object.keys(en));
    expect(fr.UNKNOWN_PROPERTY).toContain('Vouliez-vous dire');
    expect(en.UNKNOWN_PROPERTY).toContain('Did you mean');

    const preview = await previewTemplate(s, designer, { source: broken, language: 'fr' });
    expect(preview.pdf).toBeUndefined();
    expect(messages(preview.diagnostics).UNKNOWN_PROPERTY).toContain('Vouliez-vous dire');
    expect(messages((await previewTemplate(s, designer, { source: broken })).diagnostics).UNKNOWN_PROPERTY).toContain('Did you mean');
  });
});
