/**
 * Grapheme clusters and line-break opportunities: the subset of UAX #29 and UAX #14 that matters for
 * names and sentences on a certificate.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Start offsets of the grapheme clusters of `text`, plus `text.length` at the end. Text made only of
 * characters that never combine (Latin-1 without CR) skips Intl.Segmenter, which is slow on the hot path.
 */
export function graphemeBoundaries(text: string): number[] {
  const bounds: number[] = [];
  if (/^[\u0000-\u00ff]*$/.test(text) && !text.includes('\r')) {
    for (let i = 0; i <= text.length; i++) bounds.push(i);
    return bounds;
  }
  // Intl.Segmenter grows worse than linearly on very long strings (seconds for 100,000 Arabic letters), so
  // long text is segmented piece by piece, cut after a space that no mark or joiner follows: no grapheme
  // cluster spans such a point.
  let start = 0;
  while (start < text.length) {
    let end = text.length;
    if (end - start > SEGMENT_CHUNK) {
      end = start + SEGMENT_CHUNK;
      while (end < text.length && !(text.charCodeAt(end - 1) === 0x20 && !CONTINUES.test(text[end]!))) end++;
    }
    for (const { index } of segmenter.segment(text.slice(start, end))) bounds.push(start + index);
    start = end;
  }
  bounds.push(text.length);
  return bounds;
}

const SEGMENT_CHUNK = 512;
const CONTINUES = /[\p{M}\u200c\u200d\ufe00-\ufe0f]/u;

export type BreakKind = 'none' | 'allowed' | 'hyphen' | 'mandatory';

/** Spaces that allow a break after them; no-break spaces (U+00A0, U+202F, U+2007) glue instead. */
export function isBreakingSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a && c !== 0x2007) || c === 0x205f || c === 0x1680;
}

export function isNewline(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029 || c === 0x85;
}

const GLUE = new Set([0xa0, 0x202f, 0x2007, 0x2060, 0xfeff]);
/** Never at a line start, even after a space (LB13/LB16): French puts a space before ! ? ; : and ». */
const NO_BREAK_BEFORE = new Set(
  [...'!?;:,.)]}»›%‰、。，．：；！？）」』】〕〉》〗〙〟・ーゝゞヽヾ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ'].map((c) =>
    c.codePointAt(0)!,
  ),
);
/** Never at a line end: opening brackets and quotes. */
const NO_BREAK_AFTER = new Set([...'([{«‹¿¡（「『【〔〈《〖〘〝'].map((c) => c.codePointAt(0)!));
const HYPHENS = new Set([0x2d, 0x2010, 0x2013]);

/** Ideographs, kana and Hangul: a line may break between any two of them (UAX #14 class ID). */
export function isIdeographic(c: number): boolean {
  return (
    (c >= 0x2e80 && c <= 0x2fff) ||
    (c >= 0x3040 && c <= 0x30ff) ||
    (c >= 0x3100 && c <= 0x31ff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xa960 && c <= 0xa97f) ||
    (c >= 0xac00 && c <= 0xd7af) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff01 && c <= 0xff60) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

const LETTER = /\p{L}/u;
const isLetter = (c: number | undefined): boolean => c !== undefined && LETTER.test(String.fromCodePoint(c));

function lastCodePoint(text: string, end: number): number | undefined {
  if (end <= 0) return undefined;
  const low = text.charCodeAt(end - 1);
  if (low >= 0xdc00 && low <= 0xdfff && end >= 2) return text.codePointAt(end - 2);
  return low;
}

/**
 * What may happen at the cluster boundary `at` of `text` (between the cluster ending at `at` and the one
 * starting there). `hyphen` means a soft hyphen: breaking there shows a hyphen.
 */
export function breakBefore(text: string, at: number): BreakKind {
  const a = lastCodePoint(text, at);
  const b = text.codePointAt(at);
  if (a === undefined || b === undefined) return 'none';
  if (isNewline(a)) return a === 0x0d && b === 0x0a ? 'none' : 'mandatory';
  if (isNewline(b) || isBreakingSpace(b)) return 'none';
  if (GLUE.has(a) || GLUE.has(b)) return 'none';
  if (isBreakingSpace(a)) return NO_BREAK_BEFORE.has(b) ? 'none' : 'allowed';
  if (a === 0xad) return 'hyphen';
  if (a === 0x200b) return 'allowed';
  if (NO_BREAK_BEFORE.has(b) || NO_BREAK_AFTER.has(a)) return 'none';
  if (HYPHENS.has(a)) {
    // "Jean-Pierre" may break after the hyphen; "-5" or "a - b" may not.
    const beforeHyphen = lastCodePoint(text, at - (a > 0xffff ? 2 : 1));
    return isLetter(beforeHyphen) && isLetter(b) ? 'allowed' : 'none';
  }
  if (a === 0x2014 || b === 0x2014) return 'allowed';
  if (isIdeographic(a) || isIdeographic(b)) return 'allowed';
  return 'none';
}
