import { describe, expect, it } from 'vitest';
import { breakBefore, graphemeBoundaries } from '../../../templates/text/breaks';
import { layout, lineText } from './helpers';

/** Every boundary of `text` (between code points) where a line may break. */
function opportunities(text: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < text.length; i++) if (breakBefore(text, i) !== 'none') out.push(`${text.slice(0, i)}|${breakBefore(text, i)}`);
  return out;
}

describe('break opportunities', () => {
  it('after spaces, not before French high punctuation nor inside no-break spaces', () => {
    expect(opportunities('Jean Dupont')).toEqual(['Jean |allowed']);
    expect(opportunities('Bravo ! Note : 20\u00a0/\u00a020')).toEqual(['Bravo ! |allowed', 'Bravo ! Note : |allowed']);
  });

  it('after a hyphen between letters only', () => {
    expect(opportunities('Jean-Pierre')).toEqual(['Jean-|allowed']);
    expect(opportunities('-5 °C')).toEqual(['-5 |allowed']);
    expect(opportunities('1-2')).toEqual([]);
  });

  it('at soft hyphens and zero-width spaces', () => {
    expect(opportunities('Ver\u00adant\u200bwortung')).toEqual(['Ver\u00ad|hyphen', 'Ver\u00adant\u200b|allowed']);
  });

  it('between CJK ideographs and kana, but not before closing punctuation or after opening brackets', () => {
    const text = '修了証「日本語」です。';
    const breaks = opportunities(text).map((s) => s.split('|')[0]!.length);
    // 修|了|証|「日|本|語」|で|す。
    expect(breaks).toEqual([1, 2, 3, 5, 6, 8, 9]);
    expect(breakBefore('漢字', 1)).toBe('allowed');
    expect(breakBefore('한국어 이름', 1)).toBe('allowed');
    expect(breakBefore('ab', 1)).toBe('none');
  });

  it('grapheme boundaries keep combining marks and ZWJ sequences whole', () => {
    expect(graphemeBoundaries('e\u0301a')).toEqual([0, 2, 3]);
    expect(graphemeBoundaries('👩‍🎓x')).toEqual([0, 5, 6]);
    expect(graphemeBoundaries('Zoé')).toEqual([0, 1, 2, 3]);
    expect(graphemeBoundaries('a\r\nb')).toEqual([0, 1, 3, 4]);
  });
});

describe('line breaking with those opportunities', () => {
  it('breaks CJK text between ideographs, drawn with the bundled Japanese face', () => {
    const text = '漢字仮名交じり文の折り返しを確認します。これは日本語です。';
    const result = layout(text, { width: 60 });
    expect(result.lines.length).toBeGreaterThan(2);
    expect(result.lines.map(lineText).join('')).toBe(text);
    for (const line of result.lines) {
      expect(line.width).toBeLessThanOrEqual(60 + 1e-6);
      expect(lineText(line)).not.toMatch(/^[。、」]/);
    }
    expect(result.warnings).toEqual([]);
    expect(new Set(result.lines.flatMap((l) => l.runs.map((r) => r.face.family)))).toEqual(new Set(['Noto Sans JP']));
  });

  it('shows a hyphen when a line breaks at a soft hyphen, and nothing otherwise', () => {
    const word = 'Ver\u00adant\u00adwort\u00adlich\u00adkeit';
    const narrow = layout(`Die ${word}`, { width: 70 });
    const drawnLines = narrow.lines.map((l) => l.runs.flatMap((r) => r.glyphs.map((g) => g.text)).join(''));
    expect(drawnLines.length).toBeGreaterThan(1);
    expect(drawnLines.slice(0, -1).some((l) => l.endsWith('-'))).toBe(true);
    expect(drawnLines.join('').replace(/[- ]/g, '')).toBe('DieVerantwortlichkeit');
    for (const line of narrow.lines) expect(line.width).toBeLessThanOrEqual(70 + 1e-6);
    const wide = layout(`Die ${word}`, { width: 500 });
    expect(wide.lines[0]!.runs.flatMap((r) => r.glyphs.map((g) => g.text)).join('')).toBe('Die Verantwortlichkeit');
  });
});
