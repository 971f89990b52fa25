import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { findPersona } from '../../../variables/personas';
import { run, writeTemp } from '../pdf/helpers';

const learner = findPersona('camille-martin')!.data;

describe('pages', () => {
  it('take their size from the front matter, and a <page> may change size, orientation or margins', async () => {
    const text = `---\nname: T\npage: { size: A4, orientation: landscape, margin: 10mm }\n---\n<page><text x="0" y="0" width="50mm">one</text></page>\n<page size="A5" orientation="portrait"><text x="0" y="0" width="50mm">two</text></page>\n<page size="100mm 50mm"><text x="0" y="0" width="50mm">three</text></page>`;
    const { template, diagnostics } = await compileTemplate(text);
    expect(diagnostics).toEqual([]);
    const r = renderDocument(template!, learner);
    const info = run('pdfinfo', ['-f', '1', '-l', '3', writeTemp(r.pdf!)]);
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [
      Math.round(Number(m[1])),
      Math.round(Number(m[2])),
    ]);
    // A4 landscape; A5 portrait; 100 × 50 mm keeps the front matter's landscape orientation.
    expect(sizes).toEqual([
      [842, 595],
      [420, 595],
      [283, 142],
    ]);
  });

  it('refuses page sizes and margins it cannot read, at the front matter field', async () => {
    const bad = await compileTemplate(`---\nname: T\npage: { size: A44, margin: wide }\n---\n<page></page>`);
    expect(bad.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['SOURCE_INVALID_FIELD', 'page.size'],
      ['SOURCE_INVALID_FIELD', 'page.margin'],
    ]);
    expect(bad.diagnostics[0]!.message).toContain('Did you mean "A4"?');
    const tight = await compileTemplate(`---\nname: T\npage: { size: 20mm 20mm, margin: 10mm }\n---\n<page></page>`);
    expect(tight.diagnostics[0]?.message).toContain('no room');
  });
});
