import { describe, expect, it, vi } from 'vitest';
import { shape } from '../../../templates/text/shape';
import { layout, library, roles, span } from './helpers';
import { layoutParagraph } from '../../../templates/text/paragraph';

describe('shaping', () => {
  it('kerning changes advances: A before V is tighter than A alone', () => {
    const kerned = layout('AV', { width: 500 }, { size: 100 }).lines[0]!.runs[0]!.glyphs;
    const apart = layout('A', { width: 500 }, { size: 100 }).lines[0]!.runs[0]!.glyphs;
    expect(kerned.map((g) => g.text)).toEqual(['A', 'V']);
    expect(kerned[0]!.advance).toBeLessThan(apart[0]!.advance - 5);
  });

  it('EB Garamond forms the ffi and fi ligatures, one glyph standing for all its letters', () => {
    const glyphs = layout('office fin', { width: 500 }).lines[0]!.runs[0]!.glyphs;
    expect(glyphs.map((g) => g.text)).toEqual(['o', 'ffi', 'c', 'e', ' ', 'fi', 'n']);
    const face = library.resolve('serif');
    expect(glyphs[1]!.id).not.toBe(face.font.glyphForCodePoint(0x66).id);
  });

  it('shapes Arabic with joining forms, drawn right to left', () => {
    const result = layout([span('محمد', { size: 20 })], { width: 500 });
    const [run] = result.lines[0]!.runs;
    expect(run!.face.key).toBe('noto-sans-arabic-400-normal');
    // Visual order: the last letter of the word is drawn first (leftmost).
    expect(run!.glyphs.map((g) => g.text)).toEqual(['د', 'م', 'ح', 'م']);
    const isolated = (c: string): number => shape(run!.face, c, true).glyphs[0]!.id;
    const [dal, finalMeem, medialHah, initialMeem] = run!.glyphs;
    expect(initialMeem!.id).not.toBe(isolated('م'));
    expect(medialHah!.id).not.toBe(isolated('ح'));
    expect(finalMeem!.id).not.toBe(isolated('م'));
    expect(finalMeem!.id).not.toBe(initialMeem!.id);
    expect(dal!.id).not.toBe(isolated('د'));
  });

  it('keeps Hebrew points on their letters as zero-advance marks', () => {
    const glyphs = layout('שָׁלוֹם', { width: 500 }).lines[0]!.runs[0]!.glyphs;
    const marks = glyphs.filter((g) => g.advance === 0);
    expect(marks.length).toBeGreaterThanOrEqual(2);
    expect(glyphs.map((g) => g.text).join('')).not.toContain('\uFFFD');
  });

  it('shapes each word once per process; sizes and shrink tries reuse it', () => {
    const face = library.resolve('serif', 400, 'italic');
    const spy = vi.spyOn(face.font, 'layout');
    const text = 'Zéphyrin Quichottesque-Wolfenstein reçu parmi les lauréats';
    const spans = [span(text, { italic: true, size: 30 })];
    layoutParagraph(spans, roles, { width: 120, height: 40, fit: 'shrink' });
    const first = spy.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(30);
    layoutParagraph([span(text, { italic: true, size: 11 })], roles, { width: 300 });
    layoutParagraph(spans, roles, { width: 120, height: 40, fit: 'shrink' });
    expect(spy.mock.calls.length).toBe(first);
    spy.mockRestore();
    expect(shape(face, 'reçu', false)).toBe(shape(face, 'reçu', false));
  });
});
