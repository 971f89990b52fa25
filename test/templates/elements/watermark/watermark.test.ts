import { describe, expect, it } from 'vitest';
import type { TextElement } from '../../../../templates/markup';
import { bare, page, parse } from '../../markup/helpers';
import { boxes } from '../../layout/helpers';

describe('<watermark>: read', () => {
  it('watermarks take plain text, collapsed; CDATA is text', () => {
    const r = parse(page('<watermark>\n   SPECIMEN\n   COPY </watermark>\n<text x="1" y="1" width="1"><![CDATA[a <b> & c]]></text>'));
    expect(r.diagnostics).toEqual([]);
    expect(r.document!.pages[0]!.elements[0]).toMatchObject({
      kind: 'watermark',
      text: 'SPECIMEN COPY',
      angle: -45,
      opacity: 0.15,
      size: 60,
    });
    expect(bare((r.document!.pages[0]!.elements[1] as TextElement).content)).toEqual([{ kind: 'text', text: 'a <b> & c' }]);
    expect(parse(page('<watermark>A<b>B</b></watermark>')).diagnostics.map((d) => d.code)).toEqual(['MARKUP_MISPLACED_ELEMENT']);
  });
});

describe('<watermark>: drawn boxes', () => {
  it('is centred on the page, whatever the page', async () => {
    const drawn = await boxes(
      '<page><watermark>COPY</watermark></page><page size="A5" orientation="landscape"><watermark>COPY</watermark></page>',
    );
    const marks = drawn.filter((b) => b.kind === 'watermark');
    expect(marks.map((m) => [m.page, Math.round(m.x + m.width / 2), Math.round(m.y + m.height / 2)])).toEqual([
      [0, 105, 149],
      [1, 105, 74],
    ]);
  });
});
