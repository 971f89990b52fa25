import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { PDFDocument } from '@cantoo/pdf-lib';
import { compileTemplate } from '../../../templates/compile';
import { renderDocument } from '../../../templates/render';
import { EXAMPLES_DIR, readAssetFile } from '../../../templates/files';
import { prepareFont } from '../../../templates/pdf';
import { findPersona } from '../../../variables/personas';
import type { Diagnostic } from '../../../variables/diagnostics';

/** Each code the render pipeline can give, with a case that gives it and a close one that must not. */
const learner = findPersona('camille-martin')!.data;
const png = readFileSync(join(EXAMPLES_DIR, 'assets', 'seal.png'));
const frame = readFileSync(join(EXAMPLES_DIR, 'assets', 'guilloche-frame.pdf'));

async function codes(front: string, body: string, assets: Record<string, Uint8Array> = {}): Promise<string[]> {
  const text = `---\nname: T\n${front}---\n${body}`;
  const compiled = await compileTemplate(text, { loadAsset: (f) => assets[f] ?? readAssetFile(EXAMPLES_DIR, f) });
  const all: Diagnostic[] = [...compiled.diagnostics];
  if (compiled.template) all.push(...renderDocument(compiled.template, learner).diagnostics);
  return all.map((d) => d.code);
}

describe('asset codes', () => {
  it('ASSET_UNSUPPORTED: a GIF is not a PNG, JPEG, PDF, TTF or OTF', async () => {
    expect(await codes('assets:\n  a: a.gif\n', '<page/>', { 'a.gif': Buffer.from('GIF89a\x01\x00\x01\x00') })).toEqual([
      'ASSET_UNSUPPORTED',
    ]);
    expect(await codes('assets:\n  a: a.png\n', '<page/>', { 'a.png': png })).toEqual([]);
  });

  it('ASSET_TOO_LARGE: more than 20 MB', async () => {
    const big = Buffer.alloc(20_000_001);
    big.set(png.subarray(0, 8));
    expect(await codes('assets:\n  a: a.png\n', '<page/>', { 'a.png': big })).toEqual(['ASSET_TOO_LARGE']);
  });

  it('ASSET_WRONG_TYPE: declared as one kind, used as another', async () => {
    expect(await codes('assets:\n  a: { path: a.png, type: pdf }\n', '<page/>', { 'a.png': png })).toEqual(['ASSET_WRONG_TYPE']);
    expect(await codes('assets:\n  a: { path: a.png, type: image }\n', '<page/>', { 'a.png': png })).toEqual([]);
    expect(await codes('assets:\n  f: f.pdf\n', '<page><image x="0" y="0" width="10mm" src="f"/></page>', { 'f.pdf': frame })).toEqual([
      'ASSET_WRONG_TYPE',
    ]);
  });

  it('ASSET_PDF_TOO_MANY_PAGES: a background PDF of more than 50 pages', async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 51; i++) doc.addPage([100, 100]);
    const many = await doc.save();
    expect(await codes('assets:\n  bg: bg.pdf\n', '<page/>', { 'bg.pdf': many })).toEqual(['ASSET_PDF_TOO_MANY_PAGES']);
    expect(await codes('assets:\n  bg: bg.pdf\n', '<page/>', { 'bg.pdf': frame })).toEqual([]);
  });

  it('ASSET_FONT_UNSUPPORTED: a font whose glyphs are neither TrueType nor CFF outlines', () => {
    const require = createRequire(import.meta.url);
    const bytes = Buffer.from(readFileSync(join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf')));
    // Rename the glyf table in the table directory: the font still parses, but has no outlines we can embed.
    const tables = bytes.readUInt16BE(4);
    for (let i = 0; i < tables; i++)
      if (bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'glyf') bytes.write('zzzz', 12 + 16 * i, 'latin1');
    const font = fontkit.create(bytes) as Font;
    expect(() => prepareFont({ key: 'no-outlines', font, bytes })).toThrow(expect.objectContaining({ code: 'ASSET_FONT_UNSUPPORTED' }));
  });
});

describe('layout codes', () => {
  it('LAYOUT_PAGE_INVALID: a <page> whose margins leave no room', async () => {
    expect(await codes('', '<page size="20mm 20mm" margin="15mm"/>')).toEqual(['LAYOUT_PAGE_INVALID']);
    expect(await codes('', '<page size="20mm 20mm" margin="5mm"/>')).toEqual([]);
  });

  it('LAYOUT_QR_TOO_LONG: more than a QR code can hold', async () => {
    expect(await codes('', `<page><qr x="0" y="0" size="20mm" value="${'x'.repeat(3000)}"/></page>`)).toEqual(['LAYOUT_QR_TOO_LONG']);
    expect(await codes('', `<page><qr x="0" y="0" size="20mm" value="${'x'.repeat(300)}"/></page>`)).toEqual([]);
  });

  it('LAYOUT_TABLE_COLUMNS: columns that do not add up to the table are scaled (warning) or useless (error)', async () => {
    const table = (columns: string) =>
      `<page><table x="0" y="0" width="100mm" columns="${columns}"><tr><td>a</td><td>b</td></tr></table></page>`;
    expect(await codes('', table('30mm 30mm'))).toEqual(['LAYOUT_TABLE_COLUMNS']);
    expect(await codes('', table('0mm 0mm'))).toEqual(['LAYOUT_TABLE_COLUMNS']);
    expect(await codes('', table('50% 50%'))).toEqual([]);
  });

  it('LAYOUT_TABLE_TOO_MANY_CELLS: a row with more cells than columns', async () => {
    expect(
      await codes('', '<page><table x="0" y="0" width="100mm" columns="50% 50%"><tr><td>a</td><td>b</td><td>c</td></tr></table></page>'),
    ).toEqual(['LAYOUT_TABLE_TOO_MANY_CELLS']);
  });

  it('LAYOUT_TABLE_ROW_TOO_TALL: one row taller than a whole page', async () => {
    const long = 'word '.repeat(900);
    const body = (text: string) => `<page size="A6"><table x="5mm" y="5mm" width="40mm"><tr><td>${text}</td></tr></table></page>`;
    expect(await codes('', body(long))).toContain('LAYOUT_TABLE_ROW_TOO_TALL');
    expect(await codes('', body('short'))).toEqual([]);
  });
});

describe('liquid codes', () => {
  it('LIQUID_RENDER: an error that only shows when the template runs, placed at its tag', async () => {
    const text = `---\nname: T\npartials:\n  known: "<text x='0' y='0' width='1in'>k</text>"\n---\n<page>{% assign p = "unknown" %}{% render p %}</page>`;
    const compiled = await compileTemplate(text);
    const r = renderDocument(compiled.template!, learner);
    expect(r.diagnostics.find((d) => d.code === 'LIQUID_RENDER')?.range?.start.line).toBe(6);
    expect(r.pdf).toBeUndefined();
  });
});
