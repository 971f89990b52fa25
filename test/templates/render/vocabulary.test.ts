import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { EXAMPLES_DIR, readAssetFile } from '../../../templates/files';
import { VOCABULARY } from '../../../templates/markup/vocabulary';
import { findPersona } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { qpdfCheck, writeTemp } from '../pdf/helpers';

/**
 * Every example the docs and the editor show for an element renders, as written, into a valid PDF with no
 * problem at all: the documentation cannot promise what the renderer does not do.
 */
const FRONT = `---
name: Vocabulary example
page: { size: A4, orientation: landscape }
fonts:
  title: { family: serif, weight: 700 }
  name: { family: script }
assets:
  seal: assets/seal.png
variables:
  modules:
    type: list<object>
    fields:
      title: string
      hours: number
---
`;

describe('the vocabulary examples', () => {
  for (const [element, spec] of Object.entries(VOCABULARY)) {
    const example = (spec as { example?: string }).example;
    if (!example) continue;
    it(`<${element}> renders as documented`, async () => {
      const body = example.trimStart().startsWith('<page')
        ? example
        : `<page>\n${element === 'td' || element === 'th' || element === 'tr' ? `<table x="10mm" y="10mm" width="100mm">${element === 'tr' ? example : `<tr>${example}</tr>`}</table>` : example}\n</page>`;
      const compiled = await compileTemplate(FRONT + body, { loadAsset: (f) => readAssetFile(EXAMPLES_DIR, f) });
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const data = previewData(compiled.template!.declared, findPersona('camille-martin')!.data);
      const r = renderDocument(compiled.template!, data);
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      qpdfCheck(writeTemp(r.pdf!, `vocabulary-${element}.pdf`));
    });
  }
});
