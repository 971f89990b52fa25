import { afterEach, describe, expect, it, vi } from 'vitest';
import { PdfDocument, prepareFont } from '../../../templates/pdf/index';
import { loadFont, pdffonts, pdftotext, qpdfCheck, shape, writeTemp } from './helpers';

afterEach(() => vi.restoreAllMocks());

describe('font subsets', () => {
  it('reuses the ready base subset: a document with only base glyphs never calls the subsetter', () => {
    const garamond = loadFont('garamond');
    prepareFont(garamond);
    const spy = vi.spyOn(garamond.font, 'createSubset');
    const names: string[] = [];
    for (const name of ['Zoé Dupont', 'Łukasz Ąbć — « Sécurité » 100 €', 'office ffl']) {
      const doc = new PdfDocument({ documentId: name });
      doc.addPage(300, 100).content.showGlyphs(garamond, 14, 10, 50, shape(garamond, name, 14));
      const path = writeTemp(doc.save());
      names.push(pdffonts(path)[0]!.name);
      expect(pdftotext(path).trim()).toBe(name);
    }
    expect(spy).not.toHaveBeenCalled();
    // The same subset (named after its glyph set) in every document.
    expect(new Set(names).size).toBe(1);
  });

  it('makes a larger subset for a glyph outside the base, caches it, and the text still extracts', () => {
    const dejavu = loadFont('dejavu');
    prepareFont(dejavu);
    const spy = vi.spyOn(dejavu.font, 'createSubset');
    const text = 'Ἀθῆναι Ёлка ⅓';
    const render = (id: string) => {
      const doc = new PdfDocument({ documentId: id });
      doc.addPage(300, 100).content.showGlyphs(dejavu, 14, 10, 50, shape(dejavu, text, 14));
      return doc.save();
    };
    const path = writeTemp(render('a'));
    expect(spy).toHaveBeenCalledTimes(1);
    render('b');
    expect(spy).toHaveBeenCalledTimes(1); // the larger subset is cached too
    qpdfCheck(path);
    expect(pdftotext(path).trim()).toBe(text);
    expect(pdffonts(path)[0]).toMatchObject({ emb: true, sub: true, uni: true });
  });

  it('grows the subset by whole scripts, so every Cyrillic or Greek name shares one cached subset', () => {
    const garamond = loadFont('garamond');
    prepareFont(garamond);
    const spy = vi.spyOn(garamond.font, 'createSubset');
    const names = ['Дмитрий Шостакович', 'Анастасия Кузнецова', 'Юрий Гагарин', 'Ελένη Παπαδοπούλου', 'Αλέξανδρος Νικολάου'];
    const subsets = new Map<string, string>();
    for (const name of names) {
      const doc = new PdfDocument({ documentId: name });
      doc.addPage(300, 100).content.showGlyphs(garamond, 14, 10, 50, shape(garamond, name, 14));
      const path = writeTemp(doc.save());
      expect(pdftotext(path).trim()).toBe(name);
      subsets.set(name, pdffonts(path)[0]!.name);
    }
    // One subset for Cyrillic, one for Greek: the subsetter ran twice for five names.
    expect(spy).toHaveBeenCalledTimes(2);
    expect(new Set([...subsets.values()].slice(0, 3)).size).toBe(1);
    expect(new Set([...subsets.values()].slice(3)).size).toBe(1);
  });

  it('gives pointed Hebrew words of different letters one shared subset', () => {
    const dejavu = loadFont('hebrew');
    prepareFont(dejavu);
    const spy = vi.spyOn(dejavu.font, 'createSubset');
    for (const word of ['שָׁלוֹם', 'בְּרֵאשִׁית', 'נוֹעָה']) {
      const doc = new PdfDocument({ documentId: word });
      doc.addPage(300, 100).content.showGlyphs(dejavu, 14, 10, 50, shape(dejavu, word, 14, 'rtl'));
      qpdfCheck(writeTemp(doc.save()));
    }
    expect(spy.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it("keeps a template's static text in its own base, so documents of that template skip the subsetter", () => {
    const dejavu = loadFont('dejavu');
    const staticText = 'Сертификат об окончании';
    const prepared = prepareFont(dejavu, staticText);
    expect(prepareFont(dejavu, staticText)).toBe(prepared);
    const spy = vi.spyOn(dejavu.font, 'createSubset');
    const doc = new PdfDocument({ documentId: 'ru' });
    doc.addPage(400, 100).content.showGlyphs(prepared, 14, 10, 50, shape(dejavu, staticText, 14));
    const path = writeTemp(doc.save());
    expect(spy).not.toHaveBeenCalled();
    expect(pdftotext(path).trim()).toBe(staticText);
  });

  it('draws right-to-left words (Hebrew, Arabic with joined forms) that extract as their letters', () => {
    const hebrew = loadFont('hebrew');
    const dejavu = loadFont('dejavu');
    const doc = new PdfDocument({ documentId: 'rtl' });
    const page = doc.addPage(300, 200);
    page.content.showGlyphs(hebrew, 18, 10, 150, shape(hebrew, 'שלום', 18, 'rtl'));
    const salam = shape(dejavu, 'سلام', 18, 'rtl');
    expect(salam.some((g) => g.text === 'لا')).toBe(true); // the lam-alef ligature
    page.content.showGlyphs(dejavu, 18, 10, 80, salam);
    page.content.showGlyphs(dejavu, 18, 10, 30, shape(dejavu, 'مرحبا', 18, 'rtl'));
    const path = writeTemp(doc.save());
    qpdfCheck(path);
    const text = pdftotext(path);
    expect(text).toContain('שלום');
    expect(text).toContain('سلام');
    expect(text).toContain('مرحبا');
  });

  it('maps a character outside the BMP through a surrogate pair', () => {
    const dejavu = loadFont('dejavu');
    const glyphs = shape(dejavu, 'A', 12).map((g) => ({ ...g, text: '𝒜' })); // a ToUnicode override
    const doc = new PdfDocument({ documentId: 'astral' });
    doc.addPage(100, 100).content.showGlyphs(dejavu, 12, 10, 50, glyphs);
    const path = writeTemp(doc.save());
    expect(Buffer.from(doc.save()).includes(Buffer.from('ToUnicode'))).toBe(true);
    expect(pdftotext(path).trim()).toBe('𝒜');
  });

  it('names a subset after its glyph set: same set, same tag; another set, another tag', () => {
    const dejavu = loadFont('dejavu');
    const tagFor = (text: string) => {
      const doc = new PdfDocument({ documentId: 'tag' });
      doc.addPage(100, 100).content.showGlyphs(dejavu, 12, 10, 50, shape(dejavu, text, 12));
      return pdffonts(writeTemp(doc.save()))[0]!.name;
    };
    expect(tagFor('abc')).toBe(tagFor('xyz')); // both inside the base
    expect(tagFor('Ωmega')).toBe(tagFor('Ωmega'));
    expect(tagFor('Ωmega')).not.toBe(tagFor('abc'));
  });
});
