import { describe, expect, it } from 'vitest';
import { applyEdits, changeLengths, setAttributes } from '../../../editor/canvas/edits';
import { handlingOf, moveBy, resizeBy } from '../../../editor/canvas/operations';
import { readStartTag } from '../../../editor/canvas/tags';
import { bindVariable, elementAtOffset, setContent } from '../../../editor/canvas/content';
import { marginsMm, readWrittenLength, writeLengthLike } from '../../../editor/canvas/units';
import type { Range } from '../../../variables/diagnostics';

function at(source: string, needle: string): Range {
  const offset = source.indexOf(needle);
  if (offset < 0) throw new Error(`not found: ${needle}`);
  const before = source.slice(0, offset).split('\n');
  const start = { line: before.length, column: before[before.length - 1]!.length + 1 };
  return { start, end: { line: start.line, column: start.column + needle.length } };
}

const SOURCE = `---
name: Canvas
---
<page>
  <text x="20mm"   y='40mm' width="100mm" font="title">{{ learner.fullname }}</text>
  <text x="20mm" y="60mm" width="{{ w }}mm">computed width</text>
  <qr x="1in" y="20mm" size="20mm" value="x"/>
  <line x1="10mm" y1="20mm" x2="50mm" y2="20mm"/>
  <table x="10mm" y="100mm" width="120mm" columns="50% 50%"><tr><td>a</td><td>b</td></tr></table>
</page>
`;

function edited(source: string, r: ReturnType<typeof moveBy>): string {
  if (!r.ok) throw new Error(r.message);
  return applyEdits(source, r.edits);
}

describe('canvas edits of the source', () => {
  it('reads a start tag with the offsets of its attributes and where a new one goes', () => {
    const offset = SOURCE.indexOf('<qr');
    const tag = readStartTag(SOURCE, offset)!;
    expect(tag.name).toBe('qr');
    expect(tag.selfClosing).toBe(true);
    expect(tag.attributes.map((a) => a.name)).toEqual(['x', 'y', 'size', 'value']);
    expect(SOURCE.slice(tag.insertAt, tag.end)).toBe('/>');
  });

  it('rewrites only the values that change, keeping spacing and quotes byte for byte', () => {
    const r = moveBy(SOURCE, at(SOURCE, '<text x="20mm"   y'), 5, -2.5);
    expect(r.ok && r.edits).toHaveLength(2);
    const out = edited(SOURCE, r);
    expect(out).toContain(`<text x="25mm"   y='37.5mm' width="100mm" font="title">`);
    expect(out.replace(`x="25mm"   y='37.5mm'`, `x="20mm"   y='40mm'`)).toBe(SOURCE);
  });

  it('resizes from the right edge (width only) and from the left edge (x and width), in the units written', () => {
    const range = at(SOURCE, '<text x="20mm"   y');
    const right = resizeBy(SOURCE, range, { right: 10 }, { width: 100, height: 8 });
    expect(right.ok && right.changed).toEqual({ width: ['100mm', '110mm'] });
    const left = resizeBy(SOURCE, range, { left: -5 }, { width: 100, height: 8 });
    expect(left.ok && left.changed).toEqual({ x: ['20mm', '15mm'], width: ['100mm', '105mm'] });
    // A text without a height gets the one drawn, changed by the drag, in millimetres.
    const down = resizeBy(SOURCE, range, { bottom: 4 }, { width: 100, height: 8.04 });
    expect(edited(SOURCE, down)).toContain(`<text x="20mm"   y='40mm' width="100mm" font="title" height="12mm">`);
  });

  it('keeps a QR code square, moves a line’s end, and resizes a table by its width only', () => {
    const qr = resizeBy(SOURCE, at(SOURCE, '<qr'), { right: 5, bottom: 2 }, { width: 20, height: 20 });
    expect(qr.ok && qr.changed).toEqual({ size: ['20mm', '25mm'] });
    const line = resizeBy(SOURCE, at(SOURCE, '<line'), { right: 10 }, { width: 40, height: 0 });
    expect(line.ok && line.changed).toEqual({ x2: ['50mm', '60mm'] });
    const lineLeft = resizeBy(SOURCE, at(SOURCE, '<line'), { left: 5 }, { width: 40, height: 0 });
    expect(lineLeft.ok && lineLeft.changed).toEqual({ x1: ['10mm', '15mm'] });
    const table = resizeBy(SOURCE, at(SOURCE, '<table'), { right: 10, bottom: 30 }, { width: 120, height: 10 });
    expect(table.ok && table.changed).toEqual({ width: ['120mm', '130mm'] });
  });

  it('refuses what Liquid computes and says why the element cannot be dragged', () => {
    const range = at(SOURCE, '<text x="20mm" y="60mm"');
    expect(resizeBy(SOURCE, range, { right: 10 }, { width: 10, height: 5 })).toMatchObject({
      ok: false,
      reason: 'move.liquid',
      params: { attribute: 'width' },
    });
    expect(handlingOf(SOURCE, range)).toMatchObject({ name: 'text', move: true, resize: false });
    const computed = SOURCE.replace('<qr x="1in"', '<qr x="{{ left }}"');
    expect(handlingOf(computed, at(computed, '<qr'))).toMatchObject({
      move: { ok: false, reason: 'move.liquid', params: { attribute: 'x' } },
    });
  });

  it('sets a length to a value in millimetres, written in the attribute’s unit', () => {
    const r = changeLengths(SOURCE, at(SOURCE, '<qr'), [{ attribute: 'x', to: 50.8 }]);
    expect(r.ok && r.changed).toEqual({ x: ['1in', '2in'] });
    expect(writeLengthLike(readWrittenLength(' 10 MM ')!, 12.34)).toBe(' 12.3 MM ');
    expect(writeLengthLike(readWrittenLength('10%')!, 21, 210)).toBe('10%');
  });

  it('sets, adds and removes attributes as text, escaped for their quotes', () => {
    const range = at(SOURCE, '<text x="20mm"   y');
    const r = setAttributes(SOURCE, range, { font: 'body', color: '#ff0000', align: 'center' });
    expect(edited(SOURCE, r)).toContain(`<text x="20mm"   y='40mm' width="100mm" font="body" color="#ff0000" align="center">`);
    const removed = setAttributes(SOURCE, range, { font: undefined });
    expect(edited(SOURCE, removed)).toContain(`<text x="20mm"   y='40mm' width="100mm">`);
    const quoted = setAttributes(SOURCE, at(SOURCE, '<qr'), { value: 'a "b" <c>' });
    expect(edited(SOURCE, quoted)).toContain('value="a &quot;b&quot; &lt;c>"');
  });

  it('reads page margins written as one to four lengths', () => {
    expect(marginsMm('18mm')).toEqual({ top: 18, right: 18, bottom: 18, left: 18 });
    expect(marginsMm('1cm 20mm')).toEqual({ top: 10, right: 20, bottom: 10, left: 20 });
    expect(marginsMm(undefined)).toEqual({ top: 15, right: 15, bottom: 15, left: 15 });
  });
});

describe('content and variables', () => {
  const S =
    '<page>\n  <text x="1mm" y="1mm" width="9mm">Text</text>\n  <qr x="1mm" y="9mm" size="9mm" value="x"/>\n  <image x="1mm" y="20mm" width="9mm" height="9mm" src="seal"/>\n</page>';

  it('replaces or appends to a text’s content, and binds a QR code’s value', () => {
    const text = at(S, '<text');
    expect(edited(S, bindVariable(S, text, 'learner.fullname', 'replace'))).toContain('width="9mm">{{ learner.fullname }}</text>');
    expect(edited(S, bindVariable(S, text, 'course.fullname', 'append'))).toContain('>Text {{ course.fullname }}</text>');
    const qr = bindVariable(S, at(S, '<qr'), 'certificate.verification_url', 'append');
    expect(qr.ok && qr.changed).toEqual({ value: ['x', '{{ certificate.verification_url }}'] });
    expect(edited(S, setContent(S, text, 'Hello'))).toContain('>Hello</text>');
    expect(setContent(S, at(S, '<qr'), 'x')).toMatchObject({ ok: false });
  });

  it('finds the innermost element whose source holds the cursor', () => {
    const starts = ['<page', '<text', '<qr', '<image'].map((n) => S.indexOf(n));
    expect(elementAtOffset(S, starts, S.indexOf('Text<'))).toBe(S.indexOf('<text'));
    expect(elementAtOffset(S, starts, S.indexOf('size="9mm"'))).toBe(S.indexOf('<qr'));
    expect(elementAtOffset(S, starts, S.indexOf('</page>'))).toBe(S.indexOf('<page'));
  });
});
