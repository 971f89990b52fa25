import { describe, expect, it } from 'vitest';
import { boxes } from '../../layout/helpers';

describe('<qr>: drawn boxes', () => {
  it('is a square of its size at x and y, with or without a quiet zone', async () => {
    const drawn = await boxes(
      '<page>\n<qr x="22mm" y="152mm" size="26mm" value="https://attest.example.org/v/X"/>\n<qr x="0" y="0" size="1in" margin="4" value="x"/>\n</page>',
    );
    expect(drawn.filter((b) => b.kind === 'qr').map(({ x, y, width, height }) => [x, y, width, height])).toEqual([
      [22, 152, 26, 26],
      [0, 0, 25.4, 25.4],
    ]);
  });
});
