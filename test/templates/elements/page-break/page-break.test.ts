import { describe, expect, it } from 'vitest';
import { boxes } from '../../layout/helpers';

describe('<page-break/>: drawn boxes', () => {
  it('puts what follows on a new page with the same settings', async () => {
    const drawn = await boxes(
      '<page size="A5">\n<rect x="1" y="1" width="1" height="1" fill="red"/>\n<page-break/>\n<rect x="2" y="2" width="1" height="1" fill="red"/>\n</page>',
    );
    expect(drawn.map((b) => [b.page, b.kind])).toEqual([
      [0, 'page'],
      [0, 'rect'],
      [1, 'rect'],
    ]);
    expect(drawn.find((b) => b.page === 1)).toMatchObject({ x: 2, y: 2, line: 7 });
  });
});
