import { describe, expect, it } from 'vitest';
import { drawn, layout, lineText, runsWidth, SENTENCE, span } from './helpers';

const EPS = 1e-6;

describe('wrapping', () => {
  it.each([60, 100, 150, 233.5, 400])('never draws wider than a %spt box and keeps every character', (width) => {
    const result = layout(SENTENCE, { width });
    expect(result.lines.length).toBeGreaterThan(width < 400 ? 2 : 1);
    for (const line of result.lines) {
      expect(line.width).toBeLessThanOrEqual(width + EPS);
      for (const run of line.runs) expect(run.x + run.width).toBeLessThanOrEqual(width + EPS);
      expect(runsWidth(line)).toBeCloseTo(line.width, 6);
    }
    // Only the spaces at line ends are dropped; a word too long for 60pt is cut, not lost.
    expect(result.lines.map(lineText).join('').replace(/\s/g, '')).toBe(SENTENCE.replace(/\s/g, ''));
    if (width >= 100) expect(result.lines.map(lineText).join(' ').replace(/- /g, '-')).toBe(SENTENCE);
    expect(result.overflow).toBe(false);
    expect(result.warnings).toEqual([]);
  });

  it('fills lines greedily: the next word would not have fitted', () => {
    const width = 150;
    const result = layout(SENTENCE, { width });
    for (let i = 0; i + 1 < result.lines.length; i++) {
      const nextWord = lineText(result.lines[i + 1]!).split(/[ -]/)[0]!;
      const longer = layout(`${lineText(result.lines[i]!)} ${nextWord}`, { width: 10_000 });
      expect(longer.lines[0]!.width).toBeGreaterThan(width);
    }
  });

  it('breaks at <br/> and keeps empty lines', () => {
    const result = layout([span('Jean'), span('\n'), span('\n'), span('Dupont')]);
    expect(result.lines.map(lineText)).toEqual(['Jean', '', 'Dupont']);
    expect(result.lines[2]!.baseline - result.lines[0]!.baseline).toBeCloseTo(2 * 12 * 1.2, 6);
  });

  it('stacks lines at line-height × size from the top', () => {
    const result = layout(SENTENCE, { width: 100, lineHeight: 1.5 }, { size: 10 });
    for (let i = 1; i < result.lines.length; i++) expect(result.lines[i]!.baseline - result.lines[i - 1]!.baseline).toBeCloseTo(15, 6);
    expect(result.height).toBeCloseTo(15 * result.lines.length, 6);
    expect(result.lines[0]!.baseline).toBeGreaterThan(7);
    expect(result.lines[0]!.baseline).toBeLessThan(15);
  });

  it('cuts a word wider than the box at grapheme boundaries as a last resort', () => {
    const result = layout('Anticonstitutionnellement', { width: 40 });
    expect(result.lines.length).toBeGreaterThan(2);
    expect(result.lines.map(lineText).join('')).toBe('Anticonstitutionnellement');
    for (const line of result.lines) expect(line.width).toBeLessThanOrEqual(40 + EPS);
    expect(result.overflow).toBe(false);
  });

  it('reports overflow when not even one character fits', () => {
    const result = layout('WWW', { width: 3 }, { size: 40 });
    expect(result.overflow).toBe(true);
    expect(result.lines.map(lineText)).toEqual(['W', 'W', 'W']);
  });
});

describe('alignment', () => {
  const W = 300;
  it('left, center, right and end place the line', () => {
    const left = layout('Jean Dupont', { width: W, align: 'left' }).lines[0]!;
    const center = layout('Jean Dupont', { width: W, align: 'center' }).lines[0]!;
    const right = layout('Jean Dupont', { width: W, align: 'right' }).lines[0]!;
    const end = layout('Jean Dupont', { width: W, align: 'end' }).lines[0]!;
    expect(left.runs[0]!.x).toBe(0);
    expect(center.runs[0]!.x).toBeCloseTo((W - center.width) / 2, 6);
    expect(right.runs[0]!.x + right.width).toBeCloseTo(W, 6);
    expect(end.runs[0]!.x).toBeCloseTo(right.runs[0]!.x, 6);
    expect(center.width).toBeCloseTo(left.width, 6);
  });

  it('justify stretches inter-word spaces to the full width except on the last line', () => {
    const result = layout(SENTENCE, { width: 180, align: 'justify' });
    const plain = layout(SENTENCE, { width: 180, align: 'left' });
    const last = result.lines.length - 1;
    result.lines.forEach((line, i) => {
      const reference = plain.lines[i]!;
      expect(lineText(line)).toBe(lineText(reference));
      if (i < last) {
        expect(runsWidth(line)).toBeCloseTo(180, 6);
        const spaces = line.runs.flatMap((r) => r.glyphs).filter((g) => g.text === ' ');
        const plainSpaces = reference.runs.flatMap((r) => r.glyphs).filter((g) => g.text === ' ');
        expect(spaces[0]!.advance).toBeGreaterThan(plainSpaces[0]!.advance);
        // Letters keep their advances: only spaces stretch.
        const letters = line.runs
          .flatMap((r) => r.glyphs)
          .filter((g) => g.text !== ' ')
          .map((g) => g.advance);
        expect(letters).toEqual(
          reference.runs
            .flatMap((r) => r.glyphs)
            .filter((g) => g.text !== ' ')
            .map((g) => g.advance),
        );
      } else {
        expect(line.width).toBeCloseTo(reference.width, 6);
        expect(line.width).toBeLessThan(180);
      }
    });
  });

  it('valign places the block in the box height', () => {
    const top = layout('Jean Dupont', { height: 100, valign: 'top' });
    const middle = layout('Jean Dupont', { height: 100, valign: 'middle' });
    const bottom = layout('Jean Dupont', { height: 100, valign: 'bottom' });
    const free = 100 - top.height;
    expect(middle.lines[0]!.baseline - top.lines[0]!.baseline).toBeCloseTo(free / 2, 6);
    expect(bottom.lines[0]!.baseline - top.lines[0]!.baseline).toBeCloseTo(free, 6);
  });
});

describe('styling', () => {
  it('letter-spacing adds to every spacing glyph', () => {
    const plain = layout('Dupont', { width: 500 }).lines[0]!;
    const spaced = layout('Dupont', { width: 500 }, { letterSpacing: 2 }).lines[0]!;
    expect(spaced.width - plain.width).toBeCloseTo(2 * 6, 6);
  });

  it('keeps one run per style and face, underline below the baseline', () => {
    const result = layout([span('Né le '), span('3 mars', { bold: true, underline: true, color: [0.5, 0, 0] }), span(' à Lyon')], {
      width: 500,
    });
    const [a, b, c] = result.lines[0]!.runs;
    expect([a!.face.key, b!.face.key, c!.face.key]).toEqual(['serif-400-normal', 'serif-700-normal', 'serif-400-normal']);
    expect(b!.text).toBe('3 mars');
    expect(b!.color).toEqual([0.5, 0, 0]);
    expect(b!.x).toBeCloseTo(a!.x + a!.width, 6);
    expect(c!.x).toBeCloseTo(b!.x + b!.width, 6);
    expect(a!.underline).toBeUndefined();
    expect(b!.underline!.y).toBeGreaterThan(result.lines[0]!.baseline);
    expect(b!.underline!.thickness).toBeGreaterThan(0.3);
    expect(drawn(result.lines[0]!)).toBe('Né le 3 mars à Lyon');
  });
});
