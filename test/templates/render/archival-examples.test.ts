import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileTemplateFile, bundledExamples } from '../../../templates/files';
import { renderDocument } from '../../../templates/render';
import type { CompiledTemplate } from '../../../templates/compile';
import { archivalConformance } from '../../../templates/pdf';
import { personas } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { pdftotext, writeTemp } from '../pdf/helpers';
import { checkPdfA } from '../pdf/pdfa';

/**
 * Issue 17, archival: every bundled example with every sample learner, written as PDF/A-3b, passes every
 * check a tool here can make (test/templates/pdf/pdfa.ts) and still gives the learner's name back.
 */
const compiled = new Map<string, CompiledTemplate>();
beforeAll(async () => {
  for (const file of bundledExamples()) compiled.set(basename(file, '.liquid'), (await compileTemplateFile(file)).template!);
});

describe('the bundled examples as PDF/A-3b', () => {
  for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
    it(`${example}: every sample learner`, () => {
      const template = compiled.get(example)!;
      for (const persona of personas) {
        const data = previewData(template.declared, persona.data);
        const r = renderDocument(template, data, { archival: true });
        expect(r.pdf, `${example} ${persona.id}: ${JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))}`).toBeDefined();
        expect(archivalConformance(r.pdf!)).toBe('PDF/A-3b');
        const path = writeTemp(r.pdf!, `pdfa-${example}-${persona.id}.pdf`);
        checkPdfA(path);
        const name = String((persona.data.learner as { fullname?: string } | undefined)?.fullname ?? '');
        const text = pdftotext(path).normalize('NFC').replace(/\s+/g, ' ').replace(/-/g, '');
        for (const w of name
          .normalize('NFC')
          .split(/\s+/)
          .filter((w) => /[\p{L}\p{N}]/u.test(w)))
          expect(text, `${example} ${persona.id}`).toContain(w.replace(/-/g, ''));
      }
    }, 120_000);
  }
});
