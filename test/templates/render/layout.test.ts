import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { findPersona } from '../../../variables/personas';
import { pdffonts, words, writeTemp } from '../pdf/helpers';

const require = createRequire(import.meta.url);
const lora = join(dirname(require.resolve('@expo-google-fonts/noto-serif/package.json')), '700Bold', 'NotoSerif_700Bold.ttf');
const learner = findPersona('camille-martin')!.data;

describe('layout, measured on the PDF', () => {
  it('puts text where the markup says, in millimetres from the top-left corner', async () => {
    const text = `---\nname: T\npage: { size: A4, orientation: landscape }\n---\n<page>\n<text x="20mm" y="30mm" width="100mm" size="12">Gauche</text>\n<text x="0" y="100mm" width="297mm" align="center" size="20">{{ learner.fullname }}</text>\n<text x="150mm" y="150mm" width="100mm" align="right" size="12">Droite</text>\n</page>`;
    const { template } = await compileTemplate(text);
    const r = renderDocument(template!, learner);
    const w = words(r.pdf!);
    const mm = (pt: number) => (pt * 25.4) / 72;
    const left = w.find((x) => x.text === 'Gauche')!;
    expect(mm(left.xMin)).toBeCloseTo(20, 0);
    expect(mm(left.yMin)).toBeGreaterThan(29);
    expect(mm(left.yMin)).toBeLessThan(32);
    const first = w.find((x) => x.text === 'Camille')!;
    const last = w.find((x) => x.text === 'Martin')!;
    expect(mm((first.xMin + last.xMax) / 2)).toBeCloseTo(297 / 2, 0);
    expect(mm(w.find((x) => x.text === 'Droite')!.xMax)).toBeCloseTo(250, 0);
  });

  it('uses a font uploaded as an asset for a role, subset and embedded', async () => {
    const text = `---\nname: T\nfonts:\n  title: { family: brand }\nassets:\n  brand: brand.ttf\n---\n<page><text x="10mm" y="10mm" width="150mm" font="title" size="20">Brand {{ learner.fullname }}</text></page>`;
    const { template, diagnostics } = await compileTemplate(text, {
      loadAsset: (f) => (f === 'brand.ttf' ? readFileSync(lora) : undefined),
    });
    expect(diagnostics).toEqual([]);
    const r = renderDocument(template!, learner);
    expect(pdffonts(writeTemp(r.pdf!)).map((f) => f.name)).toEqual([expect.stringMatching(/^[A-Z]{6}\+NotoSerif-Bold$/)]);
  });

  it('refuses a WOFF2 font asset with a clear error instead of crashing later', async () => {
    const text = `---\nname: T\nassets:\n  brand: brand.woff2\n---\n<page></page>`;
    const woff2 = Buffer.concat([Buffer.from('wOF2'), Buffer.alloc(60)]);
    const { template, diagnostics } = await compileTemplate(text, { loadAsset: () => woff2 });
    expect(template).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['FONT_UNSUPPORTED_FORMAT']);
    expect(diagnostics[0]!.range?.start.line).toBe(4);
  });
});

describe('custom font families', () => {
  it('several font files make one family: <b> picks the bold file', async () => {
    const dir = dirname(require.resolve('@expo-google-fonts/noto-serif/package.json'));
    const files: Record<string, Uint8Array> = {
      'brand.ttf': readFileSync(join(dir, '400Regular', 'NotoSerif_400Regular.ttf')),
      'brand-bold.ttf': readFileSync(join(dir, '700Bold', 'NotoSerif_700Bold.ttf')),
    };
    const text = `---\nname: T\nfonts:\n  body: { family: Brand }\nassets:\n  brand: { path: brand.ttf, type: font, family: Brand }\n  brand-bold: { path: brand-bold.ttf, type: font, family: Brand, weight: 700 }\n---\n<page><text x="10mm" y="10mm" width="150mm">Plain <b>bold</b></text></page>`;
    const { template, diagnostics } = await compileTemplate(text, { loadAsset: (f) => files[f] });
    expect(diagnostics).toEqual([]);
    const names = pdffonts(writeTemp(renderDocument(template!, learner).pdf!))
      .map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))
      .sort();
    expect(names).toEqual(['NotoSerif-Bold', 'NotoSerif-Regular']);
  });
});
