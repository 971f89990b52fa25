import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { imageFromData } from '../../../templates/assets';
import { DiagnosticError } from '../../../variables/diagnostics';
import { deflateSync, crc32 } from 'node:zlib';
import { findPersona } from '../../../variables/personas';
import { pdffonts, run, writeTemp } from '../pdf/helpers';

const require = createRequire(import.meta.url);
const lora = join(dirname(require.resolve('@expo-google-fonts/noto-serif/package.json')), '700Bold', 'NotoSerif_700Bold.ttf');
const learner = findPersona('camille-martin')!.data;

/** Words with their boxes, from poppler: where things really are on the page. */
function words(pdf: Uint8Array): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = run('pdftotext', ['-bbox', writeTemp(pdf), '-']);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]!,
  }));
}

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
    const { template, diagnostics } = await compileTemplate(text, { loadAsset: (f) => (f === 'brand.ttf' ? readFileSync(lora) : undefined) });
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

  it('shrinks a long name to fit its box on one line, and keeps a short one at its size', async () => {
    const text = `---\nname: T\n---\n<page><text x="10mm" y="10mm" width="100mm" size="30" fit="shrink">{{ learner.fullname }}</text></page>`;
    const { template } = await compileTemplate(text);
    const long = findPersona('long-name')!.data;
    for (const data of [learner, long]) {
      const w = words(renderDocument(template!, data).pdf!);
      const ys = new Set(w.map((x) => Math.round(x.yMin)));
      expect(ys.size).toBe(1);
      expect(Math.max(...w.map((x) => x.xMax)) * (25.4 / 72)).toBeLessThanOrEqual(110.5);
    }
    const short = words(renderDocument(template!, learner).pdf!)[0]!;
    expect(short.yMax - short.yMin).toBeGreaterThan(25);
  });
});

describe('pages', () => {
  it('take their size from the front matter, and a <page> may change size, orientation or margins', async () => {
    const text = `---\nname: T\npage: { size: A4, orientation: landscape, margin: 10mm }\n---\n<page><text x="0" y="0" width="50mm">one</text></page>\n<page size="A5" orientation="portrait"><text x="0" y="0" width="50mm">two</text></page>\n<page size="100mm 50mm"><text x="0" y="0" width="50mm">three</text></page>`;
    const { template, diagnostics } = await compileTemplate(text);
    expect(diagnostics).toEqual([]);
    const r = renderDocument(template!, learner);
    const info = run('pdfinfo', ['-f', '1', '-l', '3', writeTemp(r.pdf!)]);
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    // A4 landscape; A5 portrait; 100 × 50 mm keeps the front matter's landscape orientation.
    expect(sizes).toEqual([[842, 595], [420, 595], [283, 142]]);
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
    const names = pdffonts(writeTemp(renderDocument(template!, learner).pdf!)).map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort();
    expect(names).toEqual(['NotoSerif-Bold', 'NotoSerif-Regular']);
  });
});

describe('images from the data', () => {
  const text = `---\nname: T\n---\n<page>{% if certifier.signature %}<image x="10mm" y="10mm" width="40mm" src="{{ certifier.signature }}"/>{% endif %}</page>`;
  const seal = readFileSync(join(dirname(require.resolve('../../../templates/files.ts')), 'examples', 'assets', 'seal.png'));

  it('a signature sent as a data: URL is drawn, decoded once per distinct image', async () => {
    const { template } = await compileTemplate(text);
    const data = { ...learner, certifier: { ...(learner.certifier as object), signature: `data:image/png;base64,${seal.toString('base64')}` } };
    const r = renderDocument(template!, data);
    expect(r.diagnostics).toEqual([]);
    const list = run('pdfimages', ['-list', writeTemp(r.pdf!)]);
    expect(list).toMatch(/\s240\s+240\s+rgb/);
  });

  it('a corrupt one is an error at the element, not a crash', async () => {
    const { template } = await compileTemplate(text);
    const broken = Buffer.from(seal);
    broken.fill(7, 30, 90);
    const data = { ...learner, certifier: { ...(learner.certifier as object), signature: `data:image/png;base64,${broken.toString('base64')}` } };
    const r = renderDocument(template!, data);
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['ASSET_IMAGE_CORRUPT', 4]]);
  });

  const signed = (signature: string) => ({ ...learner, certifier: { ...(learner.certifier as object), signature } });

  it('is small-capped: over 1 MB the data is refused when bound, and at the element if it got that far', async () => {
    const { template } = await compileTemplate(text);
    const big = `data:image/png;base64,${Buffer.concat([seal, Buffer.alloc(1_100_000)]).toString('base64')}`;
    const r = renderDocument(template!, signed(big));
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.path])).toEqual([['BIND_IMAGE_TOO_LARGE', 'certifier.signature']]);
    const refused = (() => {
      try {
        imageFromData(big);
      } catch (e) {
        return (e as DiagnosticError).diagnostics[0]?.code;
      }
      return undefined;
    })();
    expect(refused).toBe('DATA_IMAGE_TOO_LARGE');
  });

  it('goes through the same bounds as assets: a decompression bomb is refused at the element', async () => {
    const { template } = await compileTemplate(text);
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const head = Buffer.alloc(4);
      head.writeUInt32BE(data.length);
      const tail = Buffer.alloc(4);
      tail.writeUInt32BE(crc32(body));
      return Buffer.concat([head, body, tail]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(1000, 0);
    ihdr.writeUInt32BE(1000, 4);
    ihdr.set([8, 2, 0, 0, 0], 8);
    // 1000×1000 RGB declares 3 MB of rows; the 40 KB stream inflates to 40 MB.
    const bomb = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(40_000_000), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
    expect(bomb.length).toBeLessThan(1_000_000);
    const r = renderDocument(template!, signed(`data:image/png;base64,${bomb.toString('base64')}`));
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['ASSET_IMAGE_SIZE_MISMATCH', 4]]);
  });

  it('has a smaller pixel cap than assets: a small file declaring 5 megapixels is refused at the element', async () => {
    const { template } = await compileTemplate(text);
    const flat = new PNG({ width: 2500, height: 2000 });
    flat.data.fill(255);
    const bytes = PNG.sync.write(flat);
    expect(bytes.length).toBeLessThan(100_000);
    const r = renderDocument(template!, signed(`data:image/png;base64,${bytes.toString('base64')}`));
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['ASSET_IMAGE_TOO_LARGE', 4]]);
    expect(r.diagnostics[0]!.message).toContain('at most 4 megapixels');
  });

  it('is decoded once by content: the same bytes written two ways are one prepared image', () => {
    const plain = seal.toString('base64');
    const wrapped = plain.replace(/.{76}/g, '$&\n');
    expect(imageFromData(`data:image/png;base64,${wrapped}`)).toBe(imageFromData(`data:image/png;base64,${plain}`));
  });
});
