import { describe, expect, it } from 'vitest';
import type { InlineNode, TableNode, TextElement } from '../../../templates/markup';
import { page, parse, text } from './helpers';

function content(markup: string): InlineNode[] {
  const r = parse(markup);
  expect(r.diagnostics).toEqual([]);
  const el = r.document!.pages[0]!.elements[0] as TextElement;
  return el.content;
}

/** Drops ranges so trees compare by content. */
function bare(nodes: InlineNode[]): unknown {
  return JSON.parse(JSON.stringify(nodes, (k, v) => (k === 'range' ? undefined : v)));
}

describe('text content', () => {
  it('decodes entities to plain text: XML, numeric, and the HTML names designers use', () => {
    expect(bare(content(text('&lt; &amp; &quot; &#39; &apos; &#233;&#xE9; &nbsp;: &copy;&mdash;&hellip;')))).toEqual([
      { kind: 'text', text: '< & " \' \' éé \u00A0: ©—…' },
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
    const nodes = content(text('A <b>bold <i>both <u>all</u></i></b> <span font="title" size="14" color="navy" letter-spacing="1pt">S<br/>T</span>'));
    expect(bare(nodes)).toEqual([
      { kind: 'text', text: 'A ' },
      {
        kind: 'b',
        children: [
          { kind: 'text', text: 'bold ' },
          { kind: 'i', children: [{ kind: 'text', text: 'both ' }, { kind: 'u', children: [{ kind: 'text', text: 'all' }] }] },
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

  it('watermarks take plain text, collapsed; CDATA is text', () => {
    const r = parse(page('<watermark>\n   SPECIMEN\n   COPY </watermark>\n<text x="1" y="1" width="1"><![CDATA[a <b> & c]]></text>'));
    expect(r.diagnostics).toEqual([]);
    expect(r.document!.pages[0]!.elements[0]).toMatchObject({ kind: 'watermark', text: 'SPECIMEN COPY', angle: -45, opacity: 0.15, size: 60 });
    expect(bare((r.document!.pages[0]!.elements[1] as TextElement).content)).toEqual([{ kind: 'text', text: 'a <b> & c' }]);
    expect(parse(page('<watermark>A<b>B</b></watermark>')).diagnostics.map((d) => d.code)).toEqual(['MARKUP_MISPLACED_ELEMENT']);
  });
});

describe('pages and tables', () => {
  it('reads several pages, page settings and page breaks in order', () => {
    const r = parse('<page size="A5" orientation="landscape" margin="10mm 15mm" background="frame" background-page="2"><page-break/></page>\n<page/>');
    expect(r.diagnostics).toEqual([]);
    const [first, second] = r.document!.pages;
    expect(first).toMatchObject({
      kind: 'page',
      size: { name: 'A5', width: { value: 148, unit: 'mm' }, height: { value: 210, unit: 'mm' } },
      orientation: 'landscape',
      margin: { top: { value: 10, unit: 'mm' }, right: { value: 15, unit: 'mm' }, bottom: { value: 10, unit: 'mm' }, left: { value: 15, unit: 'mm' } },
      background: 'frame',
      backgroundPage: 2,
      elements: [{ kind: 'page-break' }],
    });
    // Page settings left out stay undefined: the front matter decides.
    expect(second).toEqual({ kind: 'page', range: second!.range, elements: [] });
  });

  it('reads thead, tbody, bare rows, th/td, colspan and cell alignment', () => {
    const r = parse(
      page(`<table x="20mm" y="120mm" width="170mm" columns="10% 60% 30%" header-fill="#17545c" header-color="white" stripe-fill="#f1f6f6" bottom="272mm" continue-y="22mm">
  <thead><tr><th align="right">#</th><th>Module</th><th>Hours</th></tr></thead>
  <tbody>
    <tr><td align="right">1</td><td> Intro  <b>course</b> </td><td>6</td></tr>
  </tbody>
  <tr><td colspan="2"><b>Total</b></td><td>6</td></tr>
</table>`),
    );
    expect(r.diagnostics).toEqual([]);
    const table = r.document!.pages[0]!.elements[0] as TableNode;
    expect(table).toMatchObject({
      kind: 'table',
      columns: [{ value: 10, unit: '%' }, { value: 60, unit: '%' }, { value: 30, unit: '%' }],
      headerFill: { r: 0x17 / 255, g: 0x54 / 255, b: 0x5c / 255 },
      headerColor: { r: 1, g: 1, b: 1 },
      bottom: { value: 272, unit: 'mm' },
      continueY: { value: 22, unit: 'mm' },
      size: 10,
      borderWidth: 0.5,
    });
    expect(table.header).toHaveLength(1);
    expect(table.header[0]!.cells.map((c) => [c.header, c.align, c.colspan])).toEqual([
      [true, 'right', 1],
      [true, undefined, 1],
      [true, undefined, 1],
    ]);
    expect(table.body.map((row) => row.cells.length)).toEqual([3, 2]);
    expect(bare(table.body[0]!.cells[1]!.content)).toEqual([{ kind: 'text', text: 'Intro ' }, { kind: 'b', children: [{ kind: 'text', text: 'course' }] }]);
    expect(table.body[1]!.cells[0]).toMatchObject({ kind: 'cell', header: false, colspan: 2 });
    expect(table.body[1]!.range!.start.line).toBe(7);
  });

  it('keeps rows of a misplaced section out of any table', () => {
    const r = parse(page('<tbody><tr><td>x</td></tr></tbody>'));
    expect(r.diagnostics.map((d) => d.message)).toEqual(['<tbody> cannot go inside <page>: it goes inside <table>.']);
    expect(r.document!.pages[0]!.elements).toEqual([]);
  });
});
