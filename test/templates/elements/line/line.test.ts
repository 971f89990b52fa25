import { describe, expect, it } from 'vitest';
import { boxes } from '../../layout/helpers';

describe('<line>: drawn boxes', () => {
  it('spans its two ends, whichever way it is drawn, even when it is too thin to see', async () => {
    const drawn = await boxes(
      '<page>\n<line x1="50mm" y1="40mm" x2="10mm" y2="20mm"/>\n<line x1="0" y1="5mm" x2="30mm" y2="5mm" width="0"/>\n</page>',
    );
    expect(drawn.filter((b) => b.kind === 'line').map(({ x, y, width, height }) => [x, y, width, height])).toEqual([
      [10, 20, 40, 20],
      [0, 5, 30, 0],
    ]);
  });
});
