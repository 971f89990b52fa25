import { describe, expect, it } from 'vitest';
import { PdfDocument } from '../../../templates/pdf/index';
import { literalBytes, name, num, pdfDate, textString } from '../../../templates/pdf/syntax';
import { qpdfCheck, run, writeTemp } from './helpers';

describe('PDF syntax', () => {
  it('writes numbers without exponents, -0 or trailing zeros', () => {
    expect([num(0), num(-0), num(12), num(0.5), num(1 / 3), num(-2.50001), num(1e-9), num(NaN), num(Infinity)]).toEqual([
      '0',
      '0',
      '12',
      '0.5',
      '0.3333',
      '-2.5',
      '0',
      '0',
      '0',
    ]);
    // eslint-disable-next-line no-loss-of-precision -- deliberate: an integer past 2^53 (rounded at runtime) must still print as digits
    for (const big of [1e21, -1e300, 123456789012345678]) expect(num(big)).toMatch(/^-?\d+$/);
  });

  it('escapes names byte by byte as #xx', () => {
    expect(name('Type')).toBe('/Type');
    expect(name('A B#(c)/é')).toBe('/A#20B#23#28c#29#2F#C3#A9');
  });

  it('escapes literal strings and writes non-ASCII text as UTF-16BE with a BOM', () => {
    expect(literalBytes('a(b)c\\d\n')).toBe('(a\\(b\\)c\\\\d\\012)');
    expect(textString('Plain (text)')).toBe('(Plain \\(text\\))');
    expect(textString('é𝒜')).toBe('<FEFF00E9D835DC9C>');
    expect(pdfDate(new Date(Date.UTC(2026, 11, 3, 4, 5, 6)))).toBe('D:20261203040506Z');
  });

  it('keeps hostile metadata inside its strings: the file stays valid and says what was given', () => {
    const title = 'Evil) /Author (x) >> endobj\n%%EOF (';
    const doc = new PdfDocument({ documentId: 'hostile', info: { title, author: 'Zoë \\ (test)', subject: '\u0000\u00ff' } });
    doc.addPage(100, 100);
    const path = writeTemp(doc.save());
    qpdfCheck(path);
    const info = run('pdfinfo', [path]);
    expect(info).toMatch(/Title:\s+Evil\) \/Author \(x\) >> endobj/);
    expect(info).toMatch(/Author:\s+Zoë \\ \(test\)/);
  });
});
