import { describe, expect, it } from 'vitest';
import { drawn, layout, span } from './helpers';
import { layoutParagraph } from '../../../templates/text/paragraph';
import { roles } from './helpers';

describe('script coverage and fallback', () => {
  const samples = {
    greek: 'Αλέξανδρος Παπαδόπουλος',
    cyrillic: 'Ёлкин Щукин Жанна Юрьевна',
    turkish: 'Şükrü Çağlar, İğdır ılık',
    vietnamese: 'Nguyễn Thị Ngọc Ánh, Đặng Hoàng Phước',
  };
  for (const role of ['body', 'sans'] as const) {
    it.each(Object.entries(samples))(`${role}: %s is drawn entirely in the role's own face`, (_name, text) => {
      for (const bold of [false, true]) {
        const result = layout(text, { width: 500 }, { role, bold });
        expect(result.warnings).toEqual([]);
        const runs = result.lines.flatMap((l) => l.runs);
        const expected = `${role === 'body' ? 'serif' : 'sans'}-${bold ? 700 : 400}-normal`;
        expect(runs.map((r) => r.face.key)).toEqual([expected]);
        expect(runs[0]!.glyphs.every((g) => g.id !== 0)).toBe(true);
      }
    });
  }

  it('keeps Vietnamese stacked accents and a decomposed e + U+0301 as one cluster', () => {
    const vietnamese = layout('ễ ộ', { width: 500 }).lines[0]!.runs[0]!.glyphs;
    expect(vietnamese.map((g) => g.text)).toEqual(['ễ', ' ', 'ộ']);
    const word = 'e\u0301'.repeat(12);
    const result = layout(word, { width: 20 });
    expect(result.lines.length).toBeGreaterThan(1);
    for (const line of result.lines) {
      const text = line.runs.map((r) => r.text).join('');
      expect(text).toMatch(/^(e\u0301)+$/);
    }
    expect(result.warnings).toEqual([]);
  });

  it('picks Noto Sans Arabic for an Arabic name inside an EB Garamond sentence, bold for bold', () => {
    for (const bold of [false, true]) {
      const result = layout([span('Décerné à ', { bold }), span('فاطمة الزهراء', { bold }), span(' pour sa réussite.', { bold })], {
        width: 600,
      });
      const faces = result.lines[0]!.runs.map((r) => [r.face.key, r.text.trim()]);
      const weight = bold ? 700 : 400;
      expect(faces).toContainEqual([`serif-${weight}-normal`, 'Décerné à']);
      expect(faces).toContainEqual([`noto-sans-arabic-${weight}-normal`, 'فاطمة الزهراء']);
      expect(result.warnings).toEqual([]);
    }
  });

  it('a role fallback comes before the global chain: Greek in the script role uses serif', () => {
    const result = layout('Ελένη', { width: 500 }, { role: 'name' });
    expect(result.lines[0]!.runs.map((r) => r.face.key)).toEqual(['serif-400-normal']);
  });

  it('symbols find DejaVu Sans', () => {
    const runs = layout('Validé ✓', { width: 500 }).lines[0]!.runs;
    expect(runs.map((r) => r.face.key)).toEqual(['serif-400-normal', 'dejavu-sans-400-normal']);
  });

  it('reports a character no face covers with its code point and offset, and still draws it', () => {
    const origin = { node: 'text', line: 12 };
    // Mongolian (U+1820): no bundled face has it (its letters are made to be written vertically).
    const result = layoutParagraph([span('Bravo '), span('Zoé \u1820 !', {}, origin)], roles, { width: 500 });
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'FONT_GLYPH_MISSING', char: '\u1820', codePoint: 'U+1820', span: 1, offset: 4, origin }),
    ]);
    expect(result.warnings[0]!.message).toContain('U+1820');
    const glyphs = result.lines[0]!.runs.flatMap((r) => r.glyphs);
    const notdef = glyphs.find((g) => g.text === '\u1820')!;
    expect(notdef.id).toBe(0);
    expect(notdef.advance).toBeGreaterThan(0);
    expect(drawn(result.lines[0]!)).toBe('Bravo Zoé \u1820 !');
  });

  it('draws an emoji ZWJ sequence with the bundled emoji face, as one glyph', () => {
    const result = layout('A 👩‍🎓 B', { width: 500 });
    expect(result.warnings).toEqual([]);
    const emoji = result.lines[0]!.runs.find((r) => r.face.key === 'noto-emoji-400-normal')!;
    expect(emoji.glyphs.filter((g) => g.text.trim())).toHaveLength(1);
    expect(emoji.glyphs.some((g) => g.id === 0)).toBe(false);
  });

  it('reports an uncovered sequence once, as one cluster', () => {
    const result = layout('A \u1820\u1821 B', { width: 500 });
    expect(result.warnings.map((w) => [w.code, w.codePoint, w.offset])).toEqual([
      ['FONT_GLYPH_MISSING', 'U+1820', 2],
      ['FONT_GLYPH_MISSING', 'U+1821', 3],
    ]);
  });

  it('warns about an undefined role and uses body', () => {
    const result = layout('Jean', { width: 500 }, { role: 'footer' });
    expect(result.warnings.map((w) => w.code)).toEqual(['FONT_UNKNOWN_ROLE']);
    expect(result.lines[0]!.runs[0]!.face.key).toBe('serif-400-normal');
  });
});
