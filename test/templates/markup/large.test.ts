import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../variables/diagnostics';
import { parseMarkup } from '../../../templates/markup';
import { bigDocument } from './large-document';

describe('a large document', () => {
  it('parses a 300-element document, the same each time', () => {
    const markup = bigDocument();
    const lines = new LineIndex(markup);
    const input = { markup, locate: (s: number, e: number) => lines.range(s, e) };
    const first = parseMarkup(input);
    expect(first.diagnostics).toEqual([]);
    const page = first.document!.pages[0]!;
    expect(page.elements.length).toBe(203);
    // Parsing again gives the same tree (no state kept between documents); its speed is in `npm run bench`.
    expect(parseMarkup(input).document).toEqual(first.document);
  });
});
