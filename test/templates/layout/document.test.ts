import { describe, expect, it } from 'vitest';
import { boxes } from './helpers';

describe('the layout of a document, read from its drawn boxes', () => {
  it('records each page at its size, then its elements in the order written', async () => {
    const drawn = await boxes(
      '<page>\n<rect x="10mm" y="10mm" width="20mm" height="5mm" fill="red"/>\n</page>\n<page size="A5" orientation="landscape">\n<rect x="0" y="0" width="1mm" height="1mm" fill="red"/>\n</page>',
    );
    expect(drawn.map((b) => [b.page, b.kind, b.line])).toEqual([
      [0, 'page', 4],
      [0, 'rect', 5],
      [1, 'page', 7],
      [1, 'rect', 8],
    ]);
    expect(drawn.filter((b) => b.kind === 'page').map((b) => [b.width, b.height])).toEqual([
      [210, 297],
      [210, 148],
    ]);
  });

  it('takes percentages of the page: x and width of its width, y and height of its height', async () => {
    const [, rect] = await boxes('<page><rect x="50%" y="50%" width="10%" height="10%" fill="red"/></page>');
    expect(rect).toMatchObject({ x: 105, y: 148.5, width: 21, height: 29.7 });
  });

  it('marks previews SPECIMEN on every page, over everything, centred', async () => {
    const drawn = await boxes('<page><page-break/></page><page size="A3"/>', { render: { specimen: true } });
    const marks = drawn.filter((b) => b.kind === 'watermark');
    expect(marks.map((b) => b.page)).toEqual([0, 1, 2]);
    expect(marks.map((m) => Math.round(m.x + m.width / 2))).toEqual([105, 105, 149]);
    expect(marks.map((m) => Math.round(m.y + m.height / 2))).toEqual([149, 149, 210]);
    expect(drawn[drawn.length - 1]!.kind).toBe('watermark');
  });
});
