import { describe, expect, it } from 'vitest';
import { reorderLine } from '../../../templates/text/bidi';
import { layout, span } from './helpers';

describe('bidirectional text', () => {
  it('a Hebrew line keeps "John Smith 2026" left to right, Hebrew words around it right to left', () => {
    const result = layout('שלום John Smith 2026 עולם', { width: 400 });
    const line = result.lines[0]!;
    // Right-aligned by default: the paragraph is right-to-left.
    const last = line.runs[line.runs.length - 1]!;
    expect(last.x + last.width).toBeCloseTo(400, 6);
    const find = (text: string) => line.runs.find((r) => r.text.includes(text))!;
    const latin = find('John Smith 2026');
    const shalom = find('שלום');
    const olam = find('עולם');
    expect(olam.x).toBeLessThan(latin.x);
    expect(latin.x).toBeLessThan(shalom.x);
    expect(latin.glyphs.map((g) => g.text).join('')).toBe('John Smith 2026');
    expect(latin.face.key).toBe('serif-400-normal');
    expect(shalom.face.key).toBe('noto-sans-hebrew-400-normal');
    // Hebrew drawn right to left: the final letter comes first.
    expect(
      shalom.glyphs
        .filter((g) => g.text.trim())
        .map((g) => g.text)
        .join(''),
    ).toBe('םולש');
    expect(
      olam.glyphs
        .filter((g) => g.text.trim())
        .map((g) => g.text)
        .join(''),
    ).toBe('םלוע');
  });

  it('a Latin line with an Arabic name draws the name shaped, right to left, in its place', () => {
    const result = layout('Certificate for محمد عبد الله with honours', { width: 500 });
    const line = result.lines[0]!;
    expect(line.runs[0]!.x).toBe(0);
    const arabic = line.runs.find((r) => r.bidiLevel === 1)!;
    const before = line.runs.find((r) => r.text.startsWith('Certificate'))!;
    const after = line.runs.find((r) => r.text.includes('with'))!;
    expect(before.x).toBeLessThan(arabic.x);
    expect(arabic.x).toBeLessThan(after.x);
    expect(arabic.face.key).toBe('noto-sans-arabic-400-normal');
    // Words in visual order: "الله" leftmost, then "عبد", then "محمد" rightmost.
    const visual = arabic.glyphs.map((g) => g.text).join('');
    expect(visual).toBe([...'محمد عبد الله'].reverse().join(''));
    expect(arabic.text).toBe('محمد عبد الله');
  });

  it('wraps in logical order, then reorders each line', () => {
    const text = 'אברהם בן דוד John Smith 2026 ירושלים';
    const result = layout(text, { width: 90 });
    expect(result.lines.length).toBeGreaterThan(1);
    // The first line holds the first words in reading order.
    const first = result.lines[0]!;
    expect(first.runs.map((r) => r.text).join('')).toContain('אברהם');
    const last = result.lines[result.lines.length - 1]!;
    expect(last.runs.map((r) => r.text).join('')).toContain('ירושלים');
    for (const line of result.lines) {
      const end = line.runs[line.runs.length - 1]!;
      expect(end.x + end.width).toBeCloseTo(90, 6);
    }
  });

  it('direction and explicit alignment override the automatic choice', () => {
    const ltr = layout('שלום', { width: 300, direction: 'ltr' }).lines[0]!;
    expect(ltr.runs[0]!.x).toBe(0);
    const left = layout('שלום', { width: 300, align: 'left' }).lines[0]!;
    expect(left.runs[0]!.x).toBe(0);
    const rtl = layout('John', { width: 300, direction: 'rtl' }).lines[0]!;
    expect(rtl.runs[0]!.x + rtl.width).toBeCloseTo(300, 6);
  });

  it('mirrors brackets inside right-to-left text', () => {
    const line = layout([span('(דוד)')], { width: 300 }).lines[0]!;
    const texts = line.runs.flatMap((r) => r.glyphs.map((g) => g.text)).join('');
    expect(texts.startsWith('(')).toBe(true);
    expect(texts.endsWith(')')).toBe(true);
  });

  it('reorders items by UAX #9 rule L2', () => {
    const items = [0, 1, 1, 2, 2, 1, 0].map((level, i) => ({ level, i }));
    expect(reorderLine(items).map((x) => x.i)).toEqual([0, 5, 3, 4, 2, 1, 6]);
  });
});
