import { describe, expect, it } from 'vitest';
import { boxes } from '../../layout/helpers';

describe('<rect>: drawn boxes', () => {
  it('is its box, in any unit, also when nothing is painted (no fill, no stroke)', async () => {
    const drawn = await boxes(
      '<page>\n<rect x="1in" y="72pt" width="2cm" height="10mm" fill="red" radius="2mm"/>\n<rect x="0" y="0" width="5mm" height="5mm"/>\n</page>',
    );
    expect(drawn.filter((b) => b.kind === 'rect').map(({ x, y, width, height, line }) => [x, y, width, height, line])).toEqual([
      [25.4, 25.4, 20, 10, 5],
      [0, 0, 5, 5, 6],
    ]);
  });
});
