import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PdfDocument, prepareFont } from '../../../templates/pdf/index';
import { loadFont, pdffonts, pdftotext, qpdfCheck, run, shape, writeTemp } from './helpers';

function certificate(documentId: string, name = 'Élodie Müller-Łukasiewicz') {
  const garamond = loadFont('garamond');
  const sans = loadFont('sansBold');
  const dejavu = loadFont('dejavu');
  const doc = new PdfDocument({
    documentId,
    creationDate: new Date(Date.UTC(2026, 0, 31, 12, 30, 5)),
    info: { title: 'Attestation de formation — Élodie', author: 'Centre Ωmega', keywords: ['formation', 'sécurité'], lang: 'fr-FR' },
  });
  const page = doc.addPage(842, 595);
  const c = page.content;
  c.showGlyphs(sans, 28, 60, 520, shape(sans, 'ATTESTATION DE FORMATION', 28));
  c.showGlyphs(garamond, 20, 60, 470, shape(garamond, name, 20));
  c.showGlyphs(garamond, 16, 60, 440, shape(garamond, 'The official office staff', 16));
  c.showGlyphs(dejavu, 14, 60, 400, shape(dejavu, 'Ελληνικά Русский', 14));
  c.save().fillColor([0.1, 0.2, 0.6]).opacity(0.4).rect(40, 40, 762, 10).fill().restore();
  c.save().strokeColor([0, 0, 0]).lineWidth(0.5).dash([2, 1]).lineCap(1).moveTo(40, 60).lineTo(802, 60).stroke().restore();
  page.addLink({ x: 60, y: 100, width: 200, height: 20 }, 'https://verify.example.org/c/ABC-123?n=é');
  return doc;
}

describe('PdfDocument', () => {
  it('writes a file qpdf accepts, whose text poppler extracts (accents, Greek, Cyrillic, ligatures)', () => {
    const path = writeTemp(certificate('doc-1').save());
    expect(qpdfCheck(path)).toContain('No syntax or stream encoding errors');
    const text = pdftotext(path);
    expect(text).toContain('ATTESTATION DE FORMATION');
    expect(text).toContain('Élodie Müller-Łukasiewicz');
    expect(text).toContain('The official office staff');
    expect(text).toContain('Ελληνικά Русский');
  });

  it('really draws a ligature glyph for "ffi" and still extracts it as f f i', () => {
    const garamond = loadFont('garamond');
    const glyphs = shape(garamond, 'office', 16);
    const lig = glyphs.find((g) => g.text === 'ffi');
    expect(lig).toBeDefined();
    const doc = new PdfDocument({ documentId: 'lig' });
    doc.addPage(200, 100).content.showGlyphs(garamond, 16, 10, 50, glyphs);
    const path = writeTemp(doc.save());
    expect(pdftotext(path).trim()).toBe('office');
  });

  it('embeds every font as a CID TrueType subset with a ToUnicode map', () => {
    const path = writeTemp(certificate('doc-fonts').save());
    const fonts = pdffonts(path);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ''))).toEqual(['NotoSans-Bold', 'EBGaramond-Regular', 'DejaVuSans']);
    for (const f of fonts) {
      expect(f).toMatchObject({ type: 'CID TrueType', emb: true, sub: true, uni: true });
      expect(f.name).toMatch(/^[A-Z]{6}\+/);
    }
  });

  it('gives byte-identical files for identical calls, and a different /ID for a different document id', () => {
    const a = certificate('issue-42').save();
    const b = certificate('issue-42').save();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = Buffer.from(certificate('issue-43').save()).toString('latin1');
    const idOf = (s: string) => /\/ID \[<([0-9A-F]{32})>/.exec(s)?.[1];
    const idA = idOf(Buffer.from(a).toString('latin1'));
    expect(idA).toMatch(/^[0-9A-F]{32}$/);
    expect(idOf(c)).toMatch(/^[0-9A-F]{32}$/);
    expect(idOf(c)).not.toBe(idA);
  });

  it('writes /Info as UTF-16 where needed, dates from creationDate, /Producer Attest and the catalog /Lang', () => {
    const path = writeTemp(certificate('info').save());
    const info = run('pdfinfo', ['-isodates', path]);
    expect(info).toMatch(/Title:\s+Attestation de formation — Élodie/);
    expect(info).toMatch(/Author:\s+Centre Ωmega/);
    expect(info).toMatch(/Keywords:\s+formation, sécurité/);
    expect(info).toMatch(/Producer:\s+Attest/);
    expect(info).toMatch(/CreationDate:\s+2026-01-31T12:30:05Z/);
    expect(run('qpdf', ['--show-object=1', path])).toContain('/Lang (fr-FR)');
    const expanded = writeTemp(new Uint8Array(), 'info-qdf.pdf');
    run('qpdf', ['--qdf', '--object-streams=disable', path, expanded]);
    expect(readFileSync(expanded, 'latin1')).toContain('/URI (https://verify.example.org/c/ABC-123?n=%C3%A9)');
  });

  it('writes no date at all without a creationDate (there is no clock)', () => {
    const doc = new PdfDocument({ documentId: 'nodate' });
    doc.addPage(100, 100);
    const s = Buffer.from(doc.save()).toString('latin1');
    expect(s).not.toContain('CreationDate');
    expect(s).toContain('/Producer (Attest)');
  });

  it('shares one ExtGState per opacity and one font per prepared font across pages', () => {
    const garamond = loadFont('garamond');
    const doc = new PdfDocument({ documentId: 'multi' });
    for (let i = 0; i < 3; i++) {
      const page = doc.addPage(300, 200);
      page.content.opacity(0.5).rect(0, 0, 10, 10).fill().opacity(0.25, 1);
      page.content.showGlyphs(garamond, 12, 10, 100, shape(garamond, `Page ${i + 1}`, 12));
    }
    const path = writeTemp(doc.save());
    qpdfCheck(path);
    const s = Buffer.from(doc.save()).toString('latin1');
    expect(s.match(/\/Type \/ExtGState/g)).toHaveLength(2);
    expect(s.match(/\/Subtype \/Type0/g)).toHaveLength(1);
    expect(pdftotext(path)).toMatch(/Page 1[\s\S]*Page 2[\s\S]*Page 3/);
    expect(run('pdfinfo', [path])).toMatch(/Pages:\s+3/);
  });

  it('positions glyphs by their advances: letter-spacing through Tc and kerning through TJ', () => {
    const garamond = loadFont('garamond');
    const glyphs = shape(garamond, 'AVATAR', 20);
    const spaced = glyphs.map((g) => ({ ...g, advance: g.advance + 3 }));
    const doc = new PdfDocument({ documentId: 'spacing' });
    const page = doc.addPage(400, 200);
    page.content.showGlyphs(prepareFont(garamond), 20, 10, 150, glyphs);
    page.content.showGlyphs(garamond, 20, 10, 100, spaced, { characterSpacing: 3 });
    page.content.showGlyphs(garamond, 20, 10, 50, spaced);
    const path = writeTemp(doc.save());
    qpdfCheck(path);
    // pdftotext -bbox gives each word's box: the three lines must have the widths their advances say.
    const bbox = run('pdftotext', ['-bbox', path, '-']);
    const lines = new Map<string, { min: number; max: number }>();
    for (const m of bbox.matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>[AVTR]+</g)) {
      const line = lines.get(m[2]!) ?? { min: Infinity, max: -Infinity };
      lines.set(m[2]!, { min: Math.min(line.min, Number(m[1])), max: Math.max(line.max, Number(m[3])) });
    }
    // Top to bottom: plain, Tc, TJ.
    const widths = [...lines].sort((a, b) => Number(a[0]) - Number(b[0])).map(([, l]) => l.max - l.min);
    expect(widths).toHaveLength(3);
    const plain = widths[0]!;
    expect(widths[1]! - plain).toBeCloseTo(15, 0); // five gaps of 3 pt inside the word
    expect(widths[2]! - plain).toBeCloseTo(15, 0);
  });
});
