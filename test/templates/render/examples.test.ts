import { beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { compileTemplateFile, bundledExamples } from '../../../templates/files';
import { renderDocument } from '../../../templates/render';
import type { CompiledTemplate } from '../../../templates/compile';
import { personas, findPersona } from '../../../variables/personas';
import { previewData } from '../../../variables/samples';
import { pdffonts, pdftotext, qpdfCheck, run, writeTemp } from '../pdf/helpers';

const compiled = new Map<string, CompiledTemplate>();

beforeAll(async () => {
  for (const file of bundledExamples()) {
    const r = await compileTemplateFile(file);
    expect(
      r.diagnostics.filter((d) => d.severity !== 'info'),
      basename(file),
    ).toEqual([]);
    compiled.set(basename(file, '.liquid'), r.template!);
  }
});

const names = (p: (typeof personas)[number]) => String((p.data.learner as { fullname?: string } | undefined)?.fullname ?? '');
const words = (s: string) =>
  s
    .normalize('NFC')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));

describe('the bundled examples', () => {
  it('are the three models the product promises', () => {
    expect([...compiled.keys()].sort()).toEqual(['attestation-fr', 'diploma-background', 'transcript-en']);
  });

  for (const example of ['attestation-fr', 'diploma-background', 'transcript-en']) {
    describe(example, () => {
      for (const persona of personas) {
        it(`renders a valid PDF for ${persona.id}, with the learner's name as real text`, () => {
          const r = renderDocument(compiled.get(example)!, previewData(compiled.get(example)!.declared, persona.data));
          expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(r.pdf).toBeDefined();
          const path = writeTemp(r.pdf!, `${example}-${persona.id}.pdf`);
          qpdfCheck(path);
          const text = pdftotext(path).normalize('NFC');
          // Bidi and shaping can reorder words in extraction; each word of the name must be there.
          // pdftotext joins a name wrapped after a hyphen ("Hohenzollern-" + "Sigmaringen"): compare without hyphens.
          const flat = text.replace(/\s+/g, ' ').replace(/-/g, '');
          for (const w of words(names(persona))) expect(flat).toContain(w.replace(/-/g, ''));
          const fonts = pdffonts(path);
          expect(fonts.length).toBeGreaterThan(0);
          for (const f of fonts) expect(f).toMatchObject({ emb: true, sub: true, uni: true });
          expect(r.pageCount).toBe(example === 'transcript-en' ? 2 : 1);
        });
      }
    });
  }

  it('prints a name that looks like markup or Liquid exactly as written', () => {
    const persona = findPersona('markup')!;
    const r = renderDocument(compiled.get('attestation-fr')!, persona.data);
    const text = pdftotext(writeTemp(r.pdf!)).replace(/\s+/g, ' ');
    const name = names(persona);
    expect(name).toMatch(/[<{]/);
    for (const w of words(name)) expect(text).toContain(w);
  });

  it('draws emoji from the bundled emoji face', () => {
    const r = renderDocument(compiled.get('attestation-fr')!, findPersona('emoji')!.data);
    expect(r.diagnostics.filter((d) => d.code === 'FONT_GLYPH_MISSING')).toEqual([]);
    expect(pdffonts(writeTemp(r.pdf!)).some((f) => /NotoEmoji/.test(f.name))).toBe(true);
  });

  it('warns, with the code point and the place in the template, about a character no bundled font has', () => {
    const base = findPersona('camille-martin')!.data;
    const data = { ...base, learner: { ...(base.learner as object), fullname: 'Camille \u1820 Martin' } };
    const r = renderDocument(compiled.get('attestation-fr')!, data);
    const missing = r.diagnostics.filter((d) => d.code === 'FONT_GLYPH_MISSING');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing[0]!.message).toContain('U+1820');
    expect(missing[0]!.range?.start.line).toBeGreaterThan(20);
  });

  it('shrinks a 110-character name into its box instead of overflowing', () => {
    const persona = findPersona('long-name')!;
    expect(names(persona).length).toBeGreaterThanOrEqual(100);
    for (const example of compiled.keys()) {
      const r = renderDocument(compiled.get(example)!, previewData(compiled.get(example)!.declared, persona.data));
      expect(
        r.diagnostics.filter((d) => d.code === 'LAYOUT_TEXT_OVERFLOW'),
        example,
      ).toEqual([]);
    }
  });

  it('repeats the transcript header on the page the table flows onto', () => {
    const r = renderDocument(
      compiled.get('transcript-en')!,
      previewData(compiled.get('transcript-en')!.declared, findPersona('oliver-bennett')!.data),
    );
    const path = writeTemp(r.pdf!);
    const page2 = run('pdftotext', ['-f', '2', '-l', '2', '-enc', 'UTF-8', path, '-']);
    const page1 = run('pdftotext', ['-f', '1', '-l', '1', '-enc', 'UTF-8', path, '-']);
    for (const page of [page1, page2]) expect(page).toMatch(/Module[\s\S]*Hours[\s\S]*Grade/);
    expect(page2).toContain('Total');
    expect(page1).not.toContain('Total');
  });

  it('draws the background PDF under the diploma', () => {
    const r = renderDocument(compiled.get('diploma-background')!, findPersona('oliver-bennett')!.data);
    const path = writeTemp(r.pdf!, 'diploma.pdf');
    run('pdftoppm', ['-r', '30', '-png', '-singlefile', path, path.replace(/\.pdf$/, '')]);
    const png = PNG.sync.read(readFileSync(path.replace(/\.pdf$/, '.png')));
    // The frame's outer teal rule sits 18pt in from the edge: at 30 dpi, 7–8 px.
    let teal = 0;
    for (let y = 0; y < png.height; y++) {
      for (const x of [7, 8]) {
        const i = (y * png.width + x) * 4;
        if (png.data[i]! < 120 && png.data[i + 2]! > png.data[i]!) teal++;
      }
    }
    expect(teal).toBeGreaterThan(png.height / 2);
  });

  it('gives the same bytes for the same data, and a different /ID for another certificate', () => {
    const template = compiled.get('attestation-fr')!;
    const data = findPersona('camille-martin')!.data;
    const a = renderDocument(template, data).pdf!;
    const b = renderDocument(template, data).pdf!;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const other = { ...data, certificate: { ...(data.certificate as object), code: 'OTHER-CODE-0001' } };
    const c = renderDocument(template, other).pdf!;
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('writes the metadata of the front matter, with Liquid rendered', () => {
    const r = renderDocument(compiled.get('attestation-fr')!, findPersona('camille-martin')!.data);
    const info = run('pdfinfo', [writeTemp(r.pdf!)]);
    expect(info).toMatch(/Title:\s+Attestation de formation — Sauveteur secouriste/);
    expect(info).toMatch(/Author:\s+Institut Exemple de Formation/);
    expect(info).toMatch(/CreationDate:.*2026/);
  });

  it('marks previews SPECIMEN on every page', () => {
    const r = renderDocument(
      compiled.get('transcript-en')!,
      previewData(compiled.get('transcript-en')!.declared, findPersona('oliver-bennett')!.data),
      { specimen: true },
    );
    const text = pdftotext(writeTemp(r.pdf!));
    // Letter-spaced, so extraction may space the letters out.
    expect(text.replace(/ /g, '').match(/SPECIMEN/g)?.length).toBe(2);
  });
});
