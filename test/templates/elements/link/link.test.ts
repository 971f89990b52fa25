import { describe, expect, it } from 'vitest';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFString, type PDFObject } from '@cantoo/pdf-lib';
import { compileTemplate } from '../../../../templates/compile';
import { renderDocument } from '../../../../templates/render';
import { EXAMPLES_DIR, readAssetFile } from '../../../../templates/files';
import { readUrl } from '../../../../templates/markup/values';
import { findPersona } from '../../../../variables/personas';
import { codes, parse, text } from '../../markup/helpers';
import { pdftotext, qpdfCheck, writeTemp } from '../../pdf/helpers';

const learner = findPersona('camille-martin')!.data;
const verification = (learner.certificate as { verification_url: string }).verification_url;
const MM = 72 / 25.4;
/** A4 portrait, the front matter's default. */
const PAGE_HEIGHT = 297 * MM;

interface Annotation {
  subtype: string | undefined;
  rect: number[];
  border: number[];
  action: string | undefined;
  uri: string | undefined;
}

/** The link annotations of each page, read back from the file by pdf-lib. */
async function annotations(pdf: Uint8Array): Promise<Annotation[][]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().map((page) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    if (!annots) return [];
    return annots.asArray().map((ref) => {
      const a = doc.context.lookup(ref, PDFDict);
      const numbers = (o: PDFObject | undefined) => (o instanceof PDFArray ? o.asArray().map((n) => (n as PDFNumber).asNumber()) : []);
      const action = a.lookupMaybe(PDFName.of('A'), PDFDict);
      return {
        subtype: a.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText(),
        rect: numbers(a.lookup(PDFName.of('Rect'))),
        border: numbers(a.lookup(PDFName.of('Border'))),
        action: action?.lookupMaybe(PDFName.of('S'), PDFName)?.decodeText(),
        uri: action?.lookupMaybe(PDFName.of('URI'), PDFString)?.decodeText(),
      };
    });
  });
}

async function render(body: string, front = '') {
  const { template, diagnostics } = await compileTemplate(`---\nname: Links\n${front}---\n${body}`);
  expect(diagnostics).toEqual([]);
  return renderDocument(template!, learner);
}

describe('<link> on a page: a clickable area', () => {
  it('is a URI link annotation at the area, without a border, and nothing drawn', async () => {
    const r = await render(
      '<page>\n<link x="20mm" y="30mm" width="40mm" height="15mm" href="{{ certificate.verification_url }}"/>\n</page>',
    );
    expect(r.diagnostics).toEqual([]);
    qpdfCheck(writeTemp(r.pdf!, 'link-area.pdf'));
    const [page] = await annotations(r.pdf!);
    expect(page).toHaveLength(1);
    const a = page![0]!;
    expect(a).toMatchObject({ subtype: 'Link', action: 'URI', uri: verification, border: [0, 0, 0] });
    // PDF's y axis points up: the area's top edge at 30 mm from the top is PAGE_HEIGHT - 30 mm.
    const expected = [20 * MM, PAGE_HEIGHT - 45 * MM, 60 * MM, PAGE_HEIGHT - 30 * MM];
    a.rect.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 2));
  });

  it('is a drawn box of its own, which the editor may move by x and y', async () => {
    const r = await render('<page>\n<link x="20mm" y="30mm" width="40mm" height="15mm" href="https://institut.example.org"/>\n</page>');
    const box = r.boxes.find((b) => b.kind === 'link')!;
    expect(box).toMatchObject({ page: 0, range: { start: { line: 5, column: 1 } } });
    expect([box.x / MM, box.y / MM, box.width / MM, box.height / MM].map((v) => Math.round(v * 10) / 10)).toEqual([20, 30, 40, 15]);
  });

  it('is the only annotation on a page over a PDF background, whose own annotations are never copied', async () => {
    const { template, diagnostics } = await compileTemplate(
      '---\nname: Links\npage: { size: A4, orientation: landscape }\nbackground: frame\nassets:\n  frame: assets/guilloche-frame.pdf\n---\n<page><link x="10mm" y="10mm" width="20mm" height="20mm" href="https://institut.example.org"/></page>',
      { loadAsset: (f) => readAssetFile(EXAMPLES_DIR, f) },
    );
    expect(diagnostics).toEqual([]);
    const r = renderDocument(template!, learner);
    expect((await annotations(r.pdf!))[0]!.map((a) => a.uri)).toEqual(['https://institut.example.org']);
  });

  it('needs all four coordinates, and holds no text', () => {
    const missing = parse('<page><link x="1" y="1" href="https://example.org"/></page>');
    expect(missing.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'MARKUP_MISSING_ATTRIBUTE',
        'A <link> on a page is a clickable area: it needs width, height (or put the <link> inside a <text> around the words to click).',
      ],
    ]);
    expect(missing.at(missing.diagnostics[0])).toBe('<link x="1" y="1" href="https://example.org"/>');
    expect(missing.document!.pages[0]!.elements).toEqual([]);
    expect(codes('<page><link x="1" y="1" width="1" height="1" href="https://example.org">Click</link></page>')).toEqual([
      'MARKUP_MISPLACED_ELEMENT',
    ]);
  });
});

describe('<link> inside text: clickable words', () => {
  const body =
    '<page>\n<text x="20mm" y="40mm" width="150mm" size="12">Visit <link href="https://institut.example.org/a(b)c"><u>our site</u></link> or <link href="mailto:office@example.org">write to us</link>.</text>\n</page>';

  it('makes one annotation per link, over its words, and the text is still extracted', async () => {
    const r = await render(body);
    expect(r.diagnostics).toEqual([]);
    const path = writeTemp(r.pdf!, 'link-inline.pdf');
    qpdfCheck(path);
    expect(pdftotext(path)).toContain('Visit our site or write to us.');
    const [page] = await annotations(r.pdf!);
    expect(page!.map((a) => a.uri)).toEqual(['https://institut.example.org/a(b)c', 'mailto:office@example.org']);
    const [site, mail] = page!.map((a) => a.rect);
    // On the text's first line (its top at 40 mm), from left to right, not overlapping.
    for (const rect of [site!, mail!]) {
      expect(rect[3]! / MM).toBeGreaterThan(297 - 41);
      expect(rect[1]! / MM).toBeLessThan(297 - 43);
      expect(rect[0]!).toBeGreaterThan(20 * MM);
    }
    expect(site![2]!).toBeLessThan(mail![0]!);
    expect(page!.every((a) => a.subtype === 'Link' && a.border.join() === '0,0,0')).toBe(true);
  });

  it('wraps with its words: an area on each line they are on', async () => {
    const r = await render(
      '<page><text x="20mm" y="40mm" width="30mm" size="12"><link href="https://institut.example.org">one two three four five six</link></text></page>',
    );
    const [page] = await annotations(r.pdf!);
    expect(page!.length).toBeGreaterThan(1);
    expect(new Set(page!.map((a) => a.uri))).toEqual(new Set(['https://institut.example.org']));
    const tops = page!.map((a) => a.rect[3]!);
    expect([...tops].sort((p, q) => q - p)).toEqual(tops);
  });

  it('turns with its text box: the area is the upright rectangle around the turned words', async () => {
    const r = await render(
      '<page><text x="50mm" y="100mm" width="60mm" height="10mm" size="12" rotate="90"><link href="https://institut.example.org">Click here</link></text></page>',
    );
    const [[a]] = (await annotations(r.pdf!)) as [[Annotation]];
    const [x1, y1, x2, y2] = a.rect as [number, number, number, number];
    // Turned a quarter, the words run down the page: the area is taller than it is wide, about the box's centre.
    expect(y2 - y1).toBeGreaterThan(x2 - x1);
    expect((x1 + x2) / 2 / MM).toBeGreaterThan(70);
    expect((x1 + x2) / 2 / MM).toBeLessThan(90);
  });

  it('works in table cells too', async () => {
    const r = await render(
      '<page><table x="20mm" y="40mm" width="100mm"><tr><td><link href="https://institut.example.org">Site</link></td></tr></table></page>',
    );
    const [page] = await annotations(r.pdf!);
    expect(page!.map((a) => a.uri)).toEqual(['https://institut.example.org']);
  });

  it('is not nested in another link, at any depth', () => {
    expect(codes(text('<link href="https://a.example.org">a <b><link href="https://b.example.org">b</link></b></link>'))).toEqual([
      'MARKUP_MISPLACED_ELEMENT',
    ]);
    expect(codes(text('<link href="https://a.example.org">a</link> <link href="https://b.example.org">b</link>'))).toEqual([]);
  });

  it('has no coordinates of its own', () => {
    const r = parse(text('<link x="1" href="https://example.org">words</link>'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_UNKNOWN_ATTRIBUTE']);
    expect(r.diagnostics[0]!.message).toBe(
      'A <link> inside text is where its words are: x is only for a clickable area placed on the page.',
    );
  });
});

describe('only http(s) and mailto addresses', () => {
  const hostile = [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'file:///etc/passwd',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'launch:calc.exe',
    '//evil.example.org',
    '/relative/path',
    'https://',
    'http:/x',
    'mailto:',
    'https://exa mple.org',
  ];

  it('refuses every other scheme, relative addresses and broken ones', () => {
    for (const href of hostile) expect(readUrl(href), href).toBeUndefined();
    for (const href of [
      'https://institut.example.org',
      'http://example.org/a?b=c#d',
      'HTTPS://EXAMPLE.ORG',
      'mailto:office@example.org?subject=Attestation',
      ' https://example.org/x ',
    ]) {
      expect(readUrl(href), href).toBe(href.trim());
    }
  });

  it('is MARKUP_URL_REFUSED at the element, in the template', () => {
    for (const href of ['javascript:alert(1)', 'file:///etc/passwd']) {
      const r = parse(`<page>\n<link x="1" y="1" width="1" height="1" href="${href}"/>\n</page>`);
      expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['MARKUP_URL_REFUSED', 2]]);
      expect(r.at(r.diagnostics[0])).toBe(href);
      expect(r.diagnostics[0]!.message).toContain('expected a web address starting with https:// or http://, or a mailto: address');
      expect(r.document!.pages[0]!.elements).toEqual([]);
    }
    expect(codes(text('<link href="javascript:void(0)">x</link>'))).toEqual(['MARKUP_URL_REFUSED']);
  });

  it('also when the address comes from the data: nothing is drawn, the problem is at the element', async () => {
    const src = `---\nname: Links\nvariables:\n  homepage: { type: string, required: true }\n---\n<page>\n<link x="1" y="1" width="10" height="10" href="{{ homepage }}"/>\n</page>`;
    const { template } = await compileTemplate(src);
    const r = renderDocument(template!, { ...learner, homepage: 'javascript:app.alert(1)' });
    expect(r.pdf).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([['MARKUP_URL_REFUSED', 7]]);
    const fine = renderDocument(template!, { ...learner, homepage: 'https://institut.example.org' });
    expect((await annotations(fine.pdf!))[0]!.map((a) => a.uri)).toEqual(['https://institut.example.org']);
  });
});
