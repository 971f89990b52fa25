import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

export interface BidiInfo {
  /** 0 for a left-to-right paragraph, 1 for right-to-left. */
  baseLevel: number;
  /** Per UTF-16 unit; null when the whole text is left-to-right at level 0. */
  levels: Uint8Array | null;
  /** Characters to draw mirrored in right-to-left runs ("(" drawn as ")"), by UTF-16 offset. */
  mirrored: Map<number, string> | null;
}

/** Hebrew, Arabic, Syriac, Thaana, N'Ko, …, presentation forms, bidi controls: anything that may be right-to-left. */
const MAYBE_RTL =
  /[\u0590-\u08ff\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufeff]|\ud802[\udc00-\udfff]|\ud83a[\udc00-\udfff]|\ud83b[\udc00-\udfff]/;

/** Direction "auto" is decided by the first strong character of the whole text (UAX #9 P2–P3). */
export function firstStrongDirection(text: string): 'ltr' | 'rtl' | undefined {
  for (const ch of text) {
    const type = bidi.getBidiCharTypeName(ch);
    if (type === 'L') return 'ltr';
    if (type === 'R' || type === 'AL') return 'rtl';
  }
  return undefined;
}

export function resolveBidi(text: string, direction: 'auto' | 'ltr' | 'rtl'): BidiInfo {
  const mayBeRtl = MAYBE_RTL.test(text);
  if (!mayBeRtl && direction !== 'rtl') return { baseLevel: 0, levels: null, mirrored: null };
  const base = direction === 'auto' ? (firstStrongDirection(text) ?? 'ltr') : direction;
  // One base direction for the whole box, even across "\n", so every line of a box aligns the same way.
  const embedding = bidi.getEmbeddingLevels(text, base);
  const mirrored = bidi.getMirroredCharactersMap(text, embedding.levels);
  return { baseLevel: base === 'rtl' ? 1 : 0, levels: embedding.levels, mirrored: mirrored.size > 0 ? mirrored : null };
}

/**
 * UAX #9 rule L2 on the items of one line (each item has one level): from the highest level down to the
 * lowest odd one, reverse every maximal sequence at that level or above. Items are already shaped, and
 * right-to-left items already hold their glyphs in visual order, so only their order changes here.
 */
export function reorderLine<T extends { level: number }>(items: readonly T[]): T[] {
  const out = [...items];
  let max = 0;
  let minOdd = Infinity;
  for (const item of out) {
    if (item.level > max) max = item.level;
    if (item.level % 2 === 1 && item.level < minOdd) minOdd = item.level;
  }
  for (let level = max; level >= minOdd; level--) {
    let i = 0;
    while (i < out.length) {
      if (out[i]!.level >= level) {
        let j = i;
        while (j < out.length && out[j]!.level >= level) j++;
        const slice = out.slice(i, j).reverse();
        out.splice(i, j - i, ...slice);
        i = j;
      } else i++;
    }
  }
  return out;
}
