import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { trialRenders } from '../../../templates/check';
import { compileTemplate } from '../../../templates/compile';

/**
 * Issue 17, archival: the trial renders at publication tell the designer what a certificate asking for
 * PDF/A would refuse (here a background whose font is not embedded), as a warning: the template stays
 * publishable, since archival is the certificate's setting.
 */
const source = `---
name: Over a standard-14 background
locale: en
page: { size: A4, orientation: landscape }
background: { asset: frame, page: 1 }
assets:
  frame: frame.pdf
---
<page><text x="20mm" y="20mm" width="200mm">{{ learner.fullname }}</text></page>
`;

describe('trial renders and PDF/A', () => {
  it('warn, naming the font, when the background cannot be part of a PDF/A document', async () => {
    const frame = await PDFDocument.create();
    frame.addPage([842, 595]).drawText('Frame', { font: await frame.embedFont(StandardFonts.TimesRoman), x: 20, y: 20 });
    const bytes = await frame.save();
    const compiled = await compileTemplate(source, { loadAsset: () => bytes });
    expect(compiled.template, JSON.stringify(compiled.diagnostics)).toBeDefined();
    const found = trialRenders(compiled.template!);
    const archival = found.filter((d) => d.code === 'ARCHIVAL_BACKGROUND_NOT_CONFORMING');
    expect(archival).toHaveLength(1);
    expect(archival[0]!.severity).toBe('warning');
    expect(archival[0]!.message).toContain('Times-Roman without embedding it');
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
  }, 60_000);
});
