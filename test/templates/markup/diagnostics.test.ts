import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../variables/diagnostics';
import { parseMarkup } from '../../../templates/markup';
import { SourceMap } from '../../../templates/liquid/source-map';
import { codes, page, parse, text } from './helpers';

const CLEAN = page(`
  <text x="10mm" y="10mm" width="100mm" align="center" size="12" color="#123">Hello <b>you</b></text>
  <image x="1" y="2" width="30mm" src="seal"/>
  <table x="0" y="0" width="100mm"><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
`);

describe('diagnostic codes', () => {
  it('says nothing about valid markup', () => {
    expect(parse(CLEAN).diagnostics).toEqual([]);
  });

  it('MARKUP_TOO_DEEP: thousands of nested elements stop at the one past the limit, placed, no document', () => {
    const deep = text(`${'<i>'.repeat(10_000)}x${'</i>'.repeat(10_000)}`);
    const r = parse(deep);
    expect(r.document).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_TOO_DEEP']);
    // page and text are levels 1 and 2: the 99th <i> is the element at depth 101.
    const offset = deep.indexOf('<i>') + 98 * 3;
    expect(r.diagnostics[0]!.range!.start).toEqual({ line: 2, column: offset - deep.indexOf('\n') });
    expect(r.at(r.diagnostics[0])).toBe('<i>');
    expect(parse(text(`${'<i>'.repeat(90)}x${'</i>'.repeat(90)}`)).diagnostics).toEqual([]);
  });

  it('MARKUP_SYNTAX: malformed XML, readable, placed, no document', () => {
    const r = parse(page('<text x="1" y="1" width="1">a <b>b</i></text>'));
    expect(r.document).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    const [d] = r.diagnostics;
    expect(d).toMatchObject({ stage: 'markup', code: 'MARKUP_SYNTAX', severity: 'error' });
    expect(d!.message).toBe('</i> does not close the open <b>: close <b> first, or check the spelling.');
    expect(r.at(d)).toBe('</i>');
    expect(d!.range!.start).toEqual({ line: 2, column: 35 });
  });

  it('MARKUP_SYNTAX: unclosed tag points at its opening tag; bare & and < are explained', () => {
    const unclosed = parse('<page>\n  <text x="1" y="1" width="1">a\n</page>');
    expect(unclosed.diagnostics[0]!.code).toBe('MARKUP_SYNTAX');
    expect(unclosed.diagnostics[0]!.message).toBe('<text> is never closed: add </text> before </page>.');
    const atEnd = parse('<page>\n  <text x="1" y="1" width="1">a');
    expect(atEnd.diagnostics[0]!.message).toMatch(/is never closed/);
    expect(unclosed.at(unclosed.diagnostics[0])).toBe('<text x="1" y="1" width="1">');
    const amp = parse(page('<text x="1" y="1" width="1">Tom &foo; Jerry</text>'));
    expect(amp.diagnostics[0]!.message).toMatch(/^Unknown entity &foo;\. Write a plain & as &amp;/);
    expect(amp.at(amp.diagnostics[0])).toBe('&foo;');
    expect(parse(page('<text x="1" y="1" width="1">a < b</text>')).diagnostics[0]!.message).toMatch(/write a literal < as &lt;/);
    expect(parse('<page><text x=1/></page>').diagnostics[0]!.message).toMatch(/must be in quotes/);
  });

  it('MARKUP_SYNTAX: entity lookups cannot reach object prototypes', () => {
    expect(codes(page('<text x="1" y="1" width="1">&constructor; &toString;</text>'))).toEqual(['MARKUP_SYNTAX']);
  });

  it('MARKUP_SYNTAX comes first (it stopped the reading) and keeps problems found before the break', () => {
    expect(codes('<page><txt/><text x="1" y="1" width="1">a</b></page>')).toEqual(['MARKUP_SYNTAX', 'MARKUP_UNKNOWN_ELEMENT']);
  });

  it('MARKUP_UNKNOWN_ELEMENT with did you mean, content skipped', () => {
    const r = parse(page('<txt x="1" y="1"><b>x</b>stray</txt>\n<strong>x</strong>\n<widget/>'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_UNKNOWN_ELEMENT', 'MARKUP_UNKNOWN_ELEMENT', 'MARKUP_UNKNOWN_ELEMENT']);
    expect(r.diagnostics[0]!.message).toBe('<txt> is not a certificate element. Did you mean <text>?');
    expect(r.at(r.diagnostics[0])).toBe('txt');
    expect(r.diagnostics[1]!.message).toMatch(/Did you mean <b>\?/);
    expect(r.diagnostics[2]!.message).toMatch(/Inside <page> you can use text, image, qr/);
    expect(r.document!.pages[0]!.elements).toEqual([]);
  });

  it('MARKUP_UNKNOWN_ATTRIBUTE with did you mean and a fix on the name', () => {
    const r = parse(page('<text x="1" y="1" width="1" colr="red" bogus="1">a</text>'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_UNKNOWN_ATTRIBUTE', 'MARKUP_UNKNOWN_ATTRIBUTE']);
    const [colr, bogus] = r.diagnostics;
    expect(colr!.message).toBe('<text> has no attribute "colr". Did you mean "color"?');
    expect(r.at(colr)).toBe('colr');
    expect(colr!.fixes).toEqual([{ title: 'Rename to color', range: colr!.range, replacement: 'color' }]);
    expect(bogus!.message).toMatch(/<text> accepts x, y, width, height, align/);
    expect(bogus!.fixes).toBeUndefined();
    expect(codes(page('<br class="x"/>'))).toContain('MARKUP_UNKNOWN_ATTRIBUTE');
  });

  it('MARKUP_INVALID_VALUE says what is expected, points at the value, keeps the default', () => {
    const r = parse(page('<text x="1" y="1" width="1" align="centre" size="12px" color="#12345" opacity="2" max-lines="1.5">a</text>'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(Array(5).fill('MARKUP_INVALID_VALUE'));
    const [align, size, color, opacity, lines] = r.diagnostics;
    expect(align!.message).toBe(
      'align="centre" on <text> is not valid: expected one of left, center, right, justify, start, end. Did you mean "center"?',
    );
    expect(r.at(align)).toBe('centre');
    expect(size!.message).toMatch(/expected a size in points from 1 to 1000/);
    expect(color!.message).toMatch(/expected a colour: #rgb, #rrggbb or one of black/);
    expect(opacity!.message).toMatch(/expected a number from 0 to 1\./);
    expect(lines!.message).toMatch(/expected a whole number of at least 1\./);
    const el = r.document!.pages[0]!.elements[0]!;
    expect(el).toMatchObject({ kind: 'text', size: 11, opacity: 1 });
  });

  it('MARKUP_INVALID_VALUE on a required attribute leaves the element out', () => {
    const r = parse(page('<qr x="1" y="abc" size="20mm" value="v"/>'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_INVALID_VALUE']);
    expect(r.document!.pages[0]!.elements).toEqual([]);
  });

  it('MARKUP_MISSING_ATTRIBUTE, element left out, placed on its tag', () => {
    const r = parse(page('<image x="1" y="2" width="3"/>\n<qr x="1" y="1"/>'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_MISSING_ATTRIBUTE', 'MARKUP_MISSING_ATTRIBUTE', 'MARKUP_MISSING_ATTRIBUTE']);
    expect(r.diagnostics[0]!.message).toMatch(/^<image> needs a src attribute/);
    expect(r.at(r.diagnostics[0])).toBe('<image x="1" y="2" width="3"/>');
    expect(r.diagnostics.slice(1).map((d) => d.message.split(' attribute')[0])).toEqual(['<qr> needs a size', '<qr> needs a value']);
    expect(r.document!.pages[0]!.elements).toEqual([]);
    expect(codes(page('<image x="1" y="2" width="3" src="seal"/>'))).toEqual([]);
  });

  it('MARKUP_MISPLACED_ELEMENT: td outside tr, page in page, text in page, b in page', () => {
    const r = parse(
      page('<td>x</td>\n<page></page>\n  loose words  \n<b>x</b>\n<table x="0" y="0" width="1"><tr>oops<td>ok</td></tr></table>'),
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(Array(5).fill('MARKUP_MISPLACED_ELEMENT'));
    const messages = r.diagnostics.map((d) => d.message);
    expect(messages[0]).toBe('<td> cannot go inside <page>: it goes inside <tr>.');
    expect(messages[1]).toMatch(/^<page> cannot be inside another element.*<page-break\/>/);
    expect(messages[2]).toBe('Text "loose words" must be inside a <text> element, which says where it goes on the page.');
    expect(r.at(r.diagnostics[2])).toBe('loose words');
    expect(messages[3]).toBe('<b> cannot go inside <page>: it goes inside <text>, <b>, <i>, <u>, <span>, <td>, <th> and <link>.');
    expect(messages[1]).not.toMatch(/inside inside/);
    expect(messages[4]).toMatch(/in a table must be inside a <td> or <th> cell/);
    expect(codes('<text x="1" y="1" width="1">a</text>')).toEqual(['MARKUP_MISPLACED_ELEMENT', 'MARKUP_EMPTY']);
    expect(codes('hello <page/>')).toEqual(['MARKUP_MISPLACED_ELEMENT']);
  });

  it('MARKUP_EMPTY when there is no page; whitespace and comments alone are empty', () => {
    expect(codes('')).toEqual(['MARKUP_EMPTY']);
    expect(codes('  <!-- nothing -->\n  ')).toEqual(['MARKUP_EMPTY']);
    expect(parse('').document).toEqual({ pages: [] });
    expect(codes('<!-- a -->\n<page/>\n<!-- b -->\n<page></page>\n')).toEqual([]);
  });

  it('reports every problem, not the first', () => {
    expect(codes(page('<text x="1" y="1" width="1" colr="red" align="up">a</text><qr/><tr/>'))).toEqual([
      'MARKUP_UNKNOWN_ATTRIBUTE',
      'MARKUP_INVALID_VALUE',
      'MARKUP_MISSING_ATTRIBUTE',
      'MARKUP_MISSING_ATTRIBUTE',
      'MARKUP_MISSING_ATTRIBUTE',
      'MARKUP_MISSING_ATTRIBUTE',
      'MARKUP_MISPLACED_ELEMENT',
    ]);
  });
});

describe('positions in the template', () => {
  it('maps through a locate that shifts lines and columns (front matter, indentation)', () => {
    const markup = '<page>\n<text x="1" y="1" width="1" colr="red">a</text>\n</page>';
    const lines = new LineIndex(markup);
    // The markup sits in a template after 7 lines of front matter, indented by 2.
    const locate = (s: number, e: number) => {
      const r = lines.range(s, e);
      return { start: { line: r.start.line + 7, column: r.start.column + 2 }, end: { line: r.end.line + 7, column: r.end.column + 2 } };
    };
    const { diagnostics, document } = parseMarkup({ markup, locate });
    expect(diagnostics[0]!.range).toEqual({ start: { line: 9, column: 31 }, end: { line: 9, column: 35 } });
    expect(document!.pages[0]!.range!.start).toEqual({ line: 8, column: 3 });
    expect(document!.pages[0]!.elements[0]!.range!.start).toEqual({ line: 9, column: 3 });
  });

  it('maps through the Liquid source map: static text exactly, data to its {{ }} tag', () => {
    const file =
      '---\nname: t\n---\n<page>\n  <text x="1" y="1" width="1" sise="3">Hi {{ learner.name }}</text>\n  <qr x="1" y="1" size="{{ s }}" value="v"/>\n</page>';
    const bodyOffset = file.indexOf('<page>');
    const body = file.slice(bodyOffset);
    const name = '<Ann & Bob>';
    const escaped = '&lt;Ann &amp; Bob&gt;';
    const e1 = body.indexOf('{{ learner.name }}');
    const e2 = body.indexOf('{{ s }}');
    const parts = [body.slice(0, e1), escaped, body.slice(e1 + 18, e2), 'big', body.slice(e2 + 7)];
    const markup = parts.join('');
    const seg = (outStart: number, text: string, srcStart: number, srcLen: number, literal: boolean) => ({
      outStart,
      outEnd: outStart + text.length,
      srcStart,
      srcEnd: srcStart + srcLen,
      literal,
    });
    let o = 0;
    const segments = [];
    segments.push(seg(o, parts[0]!, 0, parts[0]!.length, true));
    o += parts[0]!.length;
    segments.push(seg(o, parts[1]!, e1, 18, false));
    o += parts[1]!.length;
    segments.push(seg(o, parts[2]!, e1 + 18, parts[2]!.length, true));
    o += parts[2]!.length;
    segments.push(seg(o, parts[3]!, e2, 7, false));
    o += parts[3]!.length;
    segments.push(seg(o, parts[4]!, e2 + 7, parts[4]!.length, true));
    const map = new SourceMap(segments, new LineIndex(file), bodyOffset);
    const { diagnostics, document } = parseMarkup({ markup, locate: (s, e) => map.locate(s, e) });
    expect(diagnostics.map((d) => [d.code, d.range?.start])).toEqual([
      ['MARKUP_UNKNOWN_ATTRIBUTE', { line: 5, column: 31 }],
      ['MARKUP_INVALID_VALUE', { line: 6, column: 25 }],
    ]);
    // The bad value came from {{ s }}: the whole tag is the place, and no fix is offered for data.
    expect(diagnostics[1]!.range).toEqual({ start: { line: 6, column: 25 }, end: { line: 6, column: 32 } });
    const text = document!.pages[0]!.elements[0]!;
    expect(text.kind).toBe('text');
    if (text.kind !== 'text') return;
    expect(text.content).toHaveLength(1);
    expect(text.content[0]).toMatchObject({ kind: 'text', text: `Hi ${name}`, range: { start: { line: 5, column: 40 } } });
    expect(text.range!.start).toEqual({ line: 5, column: 3 });
  });
});
