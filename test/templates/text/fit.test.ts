import { describe, expect, it } from 'vitest';
import { layout, lineText, SENTENCE } from './helpers';

const MM = 72 / 25.4;
const NAME = 'Maria del Carmen Inmaculada Concepción de la Santísima Trinidad Fernández-Villaverde Martínez de Ocampo Iturbe';

describe('shrink to fit', () => {
  it('finds a size at which a 110-character name fits one line of a 200 mm box, and it does fit', () => {
    expect(NAME.length).toBe(110);
    const width = 200 * MM;
    const result = layout(NAME, { width, height: 40, maxLines: 1, fit: 'shrink' }, { role: 'name', size: 36 });
    expect(result.lines).toHaveLength(1);
    expect(result.scale).toBeLessThan(1);
    expect(result.lines[0]!.runs[0]!.size).toBeCloseTo(36 * result.scale, 6);
    expect(result.lines[0]!.width).toBeLessThanOrEqual(width);
    expect(lineText(result.lines[0]!)).toBe(NAME);
    expect(result.overflow).toBe(false);
    expect(result.truncated).toBe(false);
    // The largest such size: 2 % larger no longer fits on one line.
    const larger = layout(NAME, { width }, { role: 'name', size: 36 * result.scale * 1.02 });
    expect(larger.lines.length).toBeGreaterThan(1);
  });

  it('shrinks to fit a height, scaling every span together', () => {
    const result = layout(SENTENCE, { width: 200, height: 60, fit: 'shrink' }, { size: 14 });
    expect(result.height).toBeLessThanOrEqual(60);
    expect(result.scale).toBeLessThan(1);
    expect(result.overflow).toBe(false);
    const bigger = layout(SENTENCE, { width: 200 }, { size: 14 * result.scale * 1.03 });
    expect(bigger.height).toBeGreaterThan(60);
  });

  it('leaves text that fits at its styled size', () => {
    const result = layout('Jean Dupont', { width: 300, height: 30, fit: 'shrink' }, { size: 20 });
    expect(result.scale).toBe(1);
  });

  it('stops at minSize and reports overflow when even that is too big', () => {
    const result = layout(SENTENCE, { width: 100, height: 20, fit: 'shrink', minSize: 8 }, { size: 16 });
    expect(result.scale).toBeCloseTo(0.5, 6);
    expect(result.overflow).toBe(true);
  });

  it('prefers shrinking to cutting a word', () => {
    const result = layout('Wolfeschlegelsteinhausenbergerdorff', { width: 120, fit: 'shrink' }, { size: 24 });
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]!.width).toBeLessThanOrEqual(120);
  });
});

describe('maxLines', () => {
  it('cuts the lines beyond it and ends the last kept line with an ellipsis that fits', () => {
    const result = layout(SENTENCE, { width: 150, maxLines: 2 });
    expect(result.lines).toHaveLength(2);
    expect(result.truncated).toBe(true);
    expect(result.overflow).toBe(false);
    const last = result.lines[1]!;
    const glyphs = last.runs.flatMap((r) => r.glyphs);
    expect(glyphs[glyphs.length - 1]!.text).toBe('…');
    expect(last.width).toBeLessThanOrEqual(150);
    const full = layout(SENTENCE, { width: 150 });
    expect(lineText(result.lines[0]!)).toBe(lineText(full.lines[0]!));
    expect(SENTENCE.startsWith(`${lineText(result.lines[0]!)} ${lineText(last).replace(/…$/, '')}`.trimEnd())).toBe(true);
  });

  it('shrink tries to fit within maxLines before cutting', () => {
    const result = layout(SENTENCE, { width: 300, maxLines: 3, fit: 'shrink' }, { size: 14 });
    expect(result.lines.length).toBeLessThanOrEqual(3);
    expect(result.truncated).toBe(false);
    expect(result.scale).toBeLessThan(1);
  });

  it('cuts a single overlong word with an ellipsis on one line', () => {
    const result = layout('Anticonstitutionnellement', { width: 60, maxLines: 1 });
    expect(result.lines).toHaveLength(1);
    expect(lineText(result.lines[0]!)).toMatch(/^Anticon\S*…$/);
    expect(result.lines[0]!.width).toBeLessThanOrEqual(60);
  });
});

describe('height', () => {
  it('reports overflow without fit when the lines are taller than the box', () => {
    const result = layout(SENTENCE, { width: 150, height: 30 });
    expect(result.overflow).toBe(true);
    expect(result.height).toBeGreaterThan(30);
  });
});
