import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../variables/diagnostics';
import { LineIndex } from '../../../variables/diagnostics';
import { codes, parse } from './helpers';

/** Applies a diagnostic's first fix to the markup, as the editor's quick fix does. */
function applyFix(markup: string, d: Diagnostic | undefined): string {
  const fix = d?.fixes?.[0];
  if (!fix) throw new Error('no fix');
  const lines = new LineIndex(markup);
  return markup.slice(0, lines.offset(fix.range.start)) + fix.replacement + markup.slice(lines.offset(fix.range.end));
}

const UNCLOSED_TITLE = [
  '<page>',
  '  <text x="10mm" y="20mm" width="100mm">ATTESTATION',
  '  <line x1="10mm" y1="30mm" x2="100mm" y2="30mm"/>',
  '  <text x="10mm" y="40mm" width="100mm">Camille</text>',
  '  <text x="10mm" y="50mm" width="100mm">SST</text>',
  '  <image x="10mm" y="60mm" width="20mm" src="seal"/>',
  '</page>',
].join('\n');

describe('the root cause first: an element never closed', () => {
  it('is one report, first, on its opening tag: the elements after it are not reported as inside it', () => {
    const r = parse(UNCLOSED_TITLE);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['MARKUP_SYNTAX']);
    const [d] = r.diagnostics;
    expect(r.at(d)).toBe('<text x="10mm" y="20mm" width="100mm">');
    expect(d!.message).toBe(
      '<text> is never closed: add </text> where its content ends (the elements after it are not meant to be inside it).',
    );
  });

  it('offers to close it where its content ends, on its own line, and the fixed markup is clean', () => {
    const d = parse(UNCLOSED_TITLE).diagnostics[0];
    expect(d!.fixes).toEqual([
      { title: 'Close <text> here', range: { start: { line: 3, column: 3 }, end: { line: 3, column: 3 } }, replacement: '</text>\n  ' },
    ]);
    const fixed = applyFix(UNCLOSED_TITLE, d);
    expect(fixed.split('\n').slice(1, 4)).toEqual([
      '  <text x="10mm" y="20mm" width="100mm">ATTESTATION',
      '  </text>',
      '  <line x1="10mm" y1="30mm" x2="100mm" y2="30mm"/>',
    ]);
    expect(parse(fixed).diagnostics).toEqual([]);
  });

  it('with nothing after it, closes it before its parent closes', () => {
    const markup = '<page>\n  <text x="1" y="1" width="1">a</page>';
    const d = parse(markup).diagnostics[0];
    expect(d!.message).toBe('<text> is never closed: add </text> before </page>.');
    expect(parse(applyFix(markup, d)).diagnostics).toEqual([]);
  });

  it('at the end of the markup, names the innermost and closes everything open there', () => {
    const markup = '<page><text x="1" y="1" width="1">a';
    const r = parse(markup);
    expect(r.diagnostics[0]!.code).toBe('MARKUP_SYNTAX');
    expect(r.diagnostics[0]!.message).toBe('<text> is never closed: add </text>, or write <text … /> if it is empty.');
    expect(applyFix(markup, r.diagnostics[0])).toBe('<page><text x="1" y="1" width="1">a</text></page>');
  });

  it('keeps the other problems, after the cause: the unclosed element’s own and those elsewhere', () => {
    const markup = [
      '<page>',
      '  <txt/>',
      '  <text x="1" y="1" width="1" colour="red">a',
      '  <text x="1" y="2" width="1" sise="3">b</text>',
      '</page>',
    ].join('\n');
    expect(codes(markup)).toEqual(['MARKUP_SYNTAX', 'MARKUP_UNKNOWN_ELEMENT', 'MARKUP_UNKNOWN_ATTRIBUTE', 'MARKUP_UNKNOWN_ATTRIBUTE']);
  });

  it('still reports an element really misplaced inside a closed one', () => {
    expect(codes('<page><text x="1" y="1" width="1"><image x="1" y="1" width="1" src="s"/></text></page>')).toEqual([
      'MARKUP_MISPLACED_ELEMENT',
    ]);
  });
});
