import { describe, expect, it } from 'vitest';
import type { InlineNode, TextElement } from '../../../templates/markup';
import { bare, page, parse, text } from './helpers';

function content(markup: string): InlineNode[] {
  const r = parse(markup);
  expect(r.diagnostics).toEqual([]);
  const el = r.document!.pages[0]!.elements[0] as TextElement;
  return el.content;
}

describe('text content', () => {
  it('decodes entities to plain text: XML, numeric, and the HTML names designers use', () => {
    expect(bare(content(text('&lt; &amp; &quot; &#39; &apos; &#233;&#xE9; &nbsp;: &copy;&mdash;&hellip;')))).toEqual([
      { kind: 'text', text: "< & \" ' ' éé \u00A0: ©—…" },
    ]);
  });

  it('a name that arrives escaped from data stays literal text, never markup or Liquid', () => {
    // What the Liquid stage prints for a learner called <b>{{ 7*7 }}</b>.
    const escaped = '&lt;b&gt;{{ 7*7 }}&lt;/b&gt;';
    expect(bare(content(text(escaped)))).toEqual([{ kind: 'text', text: '<b>{{ 7*7 }}</b>' }]);
    const qr = parse(page(`<qr x="1" y="1" size="20mm" value="${escaped} &amp; &quot;x&quot;"/>`));
    expect(qr.document!.pages[0]!.elements[0]).toMatchObject({ kind: 'qr', value: '<b>{{ 7*7 }}</b> & "x"' });
  });

  it('collapses whitespace like HTML: runs, indentation, box edges, around <br/>', () => {
    const markup = text('\n    Hello,   \n\t world  <br/>\n    second\u00A0 line\n  ');
    expect(bare(content(markup))).toEqual([
      { kind: 'text', text: 'Hello, world' },
      { kind: 'br' },
      { kind: 'text', text: 'second\u00A0 line' },
    ]);
  });

  it('collapses across inline boundaries and drops runs left empty', () => {
    expect(bare(content(text(' a <b> b </b> <i> c</i> ')))).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'b', children: [{ kind: 'text', text: 'b ' }] },
      { kind: 'i', children: [{ kind: 'text', text: 'c' }] },
    ]);
    expect(bare(content(text('   ')))).toEqual([]);
  });

  it('keeps nested inline styles and span attributes, with ranges on every node', () => {
    const nodes = content(
      text('A <b>bold <i>both <u>all</u></i></b> <span font="title" size="14" color="navy" letter-spacing="1pt">S<br/>T</span>'),
    );
    expect(bare(nodes)).toEqual([
      { kind: 'text', text: 'A ' },
      {
        kind: 'b',
        children: [
          { kind: 'text', text: 'bold ' },
          {
            kind: 'i',
            children: [
              { kind: 'text', text: 'both ' },
              { kind: 'u', children: [{ kind: 'text', text: 'all' }] },
            ],
          },
        ],
      },
      { kind: 'text', text: ' ' },
      {
        kind: 'span',
        font: 'title',
        size: 14,
        color: { r: 0, g: 0, b: 128 / 255 },
        letterSpacing: 1,
        children: [{ kind: 'text', text: 'S' }, { kind: 'br' }, { kind: 'text', text: 'T' }],
      },
    ]);
    // A span inherits what it does not set: no defaults are filled in.
    const span = nodes[3]!;
    expect(span.kind === 'span' && 'font' in span).toBe(true);
    expect(bare(content(text('<span>x</span>')))).toEqual([{ kind: 'span', children: [{ kind: 'text', text: 'x' }] }]);
    expect(nodes.every((n) => n.range)).toBe(true);
    expect(nodes[1]!.range!.start).toEqual({ line: 2, column: 41 });
  });
});

describe('pages and tables', () => {
  it('reads several pages, page settings and page breaks in order', () => {
    const r = parse(
      '<page size="A5" orientation="landscape" margin="10mm 15mm" background="frame" background-page="2"><page-break/></page>\n<page/>',
    );
    expect(r.diagnostics).toEqual([]);
    const [first, second] = r.document!.pages;
    expect(first).toMatchObject({
      kind: 'page',
      size: { name: 'A5', width: { value: 148, unit: 'mm' }, height: { value: 210, unit: 'mm' } },
      orientation: 'landscape',
      margin: {
        top: { value: 10, unit: 'mm' },
        right: { value: 15, unit: 'mm' },
        bottom: { value: 10, unit: 'mm' },
        left: { value: 15, unit: 'mm' },
      },
      background: 'frame',
      backgroundPage: 2,
      elements: [{ kind: 'page-break' }],
    });
    // Page settings left out stay undefined: the front matter decides.
    expect(second).toEqual({ kind: 'page', range: second!.range, elements: [] });
  });
});
