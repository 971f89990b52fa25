import type { FontFace } from '../fonts/face';
import type { FontRoles } from '../fonts/roles';
import { resolveBidi } from './bidi';
import type { BreakKind } from './breaks';
import { breakBefore, graphemeBoundaries, isBreakingSpace, isNewline } from './breaks';
import type { Shaped } from './shape';
import { shape } from './shape';
import type { TextSpan, TextStyle, TextWarning } from './types';

/**
 * The smallest unit line breaking handles: one shaped word, space run or line break, in one face, one
 * style and one bidi level. Pieces do not depend on the size scale, so shrink-to-fit re-breaks lines
 * without reshaping anything.
 */
export interface Piece {
  kind: 'word' | 'space' | 'newline';
  /** What was shaped: mirrored in right-to-left runs, soft hyphens removed. */
  text: string;
  /** The characters as written, for extraction and tests. */
  source: string;
  span: number;
  style: TextStyle;
  face: FontFace;
  /** The role's own face: its metrics place baselines and underlines, whichever fallback face drew the glyphs. */
  metrics: FontFace;
  level: number;
  shaped: Shaped;
  /** Points at scale 1, letter-spacing included. */
  width: number;
  /** Whether letter-spacing applies (not to cursive scripts, whose letters must stay joined). */
  spaced: boolean;
  breakAfter: BreakKind;
  /** Grapheme cluster boundaries in `text`, 0 and text.length included: where a too-long word may be cut. */
  clusters: number[];
}

export interface Itemized {
  pieces: Piece[];
  baseLevel: number;
  warnings: TextWarning[];
}

const CURSIVE = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u0700-\u074f]/;
/** Invisible characters that ride along with their cluster and need no glyph of their own. */
const IGNORABLE = /^[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]$/u;
const NEUTRAL = /^[\p{P}\p{Zs}\p{Nd}\p{Sm}\p{Sc}]$/u;
const LETTER_OR_MARK = /^[\p{L}\p{M}]/u;

function ignorable(c: number): boolean {
  return (c >= 0xe0000 && c <= 0xe0fff) || IGNORABLE.test(String.fromCodePoint(c));
}

/**
 * A "word" longer than this many characters (a pasted hash, a name without spaces typed by a robot) is
 * shaped in chunks glued together without a break opportunity. Cutting such a word to fit a line then
 * reshapes one chunk, not the whole rest of the word each time, which would be quadratic: a 10,000-letter
 * word took minutes. Real words are far shorter, so their shaping (kerning, ligatures, joining) is whole.
 */
export const MAX_WORD_CLUSTERS = 48;

function chunks(word: Omit<Piece, 'shaped' | 'width' | 'spaced'>): Piece[] {
  const out: Piece[] = [];
  const n = word.clusters.length - 1;
  // `source` can differ from `text` (soft hyphens removed, mirrored brackets): keep it whole on the first chunk
  // when the lengths differ, which keeps extraction right without guessing an alignment.
  const aligned = word.source.length === word.text.length;
  for (let k = 0; k < n; k += MAX_WORD_CLUSTERS) {
    const end = Math.min(k + MAX_WORD_CLUSTERS, n);
    const from = word.clusters[k]!;
    const to = word.clusters[end]!;
    const text = word.text.slice(from, to);
    out.push(
      makePiece({
        ...word,
        text,
        source: aligned ? word.source.slice(from, to) : k === 0 ? word.source : '',
        breakAfter: end === n ? word.breakAfter : 'none',
        clusters: word.clusters.slice(k, end + 1).map((c) => c - from),
      }),
    );
  }
  return out;
}

export function piecesWidth(face: FontFace, shaped: Shaped, style: TextStyle, spaced: boolean): number {
  let width = (shaped.advance * style.size) / face.unitsPerEm;
  if (spaced && style.letterSpacing !== 0) for (const g of shaped.glyphs) if (g.advance !== 0) width += style.letterSpacing;
  return width;
}

export function makePiece(base: Omit<Piece, 'shaped' | 'width' | 'spaced'>): Piece {
  const shaped = base.kind === 'newline' ? { glyphs: [], advance: 0 } : shape(base.face, base.text, base.level % 2 === 1);
  const spaced = !CURSIVE.test(base.text);
  return { ...base, shaped, spaced, width: piecesWidth(base.face, shaped, base.style, spaced) };
}

function codePointLabel(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Splits spans into pieces: by font coverage along each role's chain (a cluster goes to the first face
 * that has all its characters; spaces and punctuation stay in the face of the text around them), by bidi
 * level, and at every line-break opportunity. Characters no face covers stay (drawn as .notdef of the
 * role's face) and are reported.
 */
export function itemize(spans: readonly TextSpan[], roles: FontRoles, direction: 'auto' | 'ltr' | 'rtl'): Itemized {
  const joined = spans.map((s) => s.text).join('');
  const bidi = resolveBidi(joined, direction);
  const warnings: TextWarning[] = [];
  const pieces: Piece[] = [];

  let current: Omit<Piece, 'shaped' | 'width' | 'spaced'> | undefined;
  const close = (breakAfter: BreakKind): void => {
    if (!current) return;
    current.breakAfter = breakAfter;
    if (current.kind === 'word' && current.clusters.length - 1 > MAX_WORD_CLUSTERS) pieces.push(...chunks(current));
    else if (current.text.length > 0 || current.kind === 'newline') pieces.push(makePiece(current));
    current = undefined;
  };

  let spanStart = 0;
  for (let s = 0; s < spans.length; s++) {
    const span = spans[s]!;
    const style = span.style;
    if (!roles.has(style.role)) {
      warnings.push({
        code: 'FONT_UNKNOWN_ROLE',
        severity: 'warning',
        message: `The font role "${style.role}" is not defined in the template's fonts; the body font is used.`,
        span: s,
        offset: 0,
        origin: span.origin,
      });
    }
    const chain = roles.chain(style.role, style.bold, style.italic);
    const primary = chain[0]!;
    const bounds = graphemeBoundaries(span.text);
    let previousFace: FontFace | undefined;
    let previousWasLetter = false;

    for (let k = 0; k + 1 < bounds.length; k++) {
      const a = spanStart + bounds[k]!;
      const b = spanStart + bounds[k + 1]!;
      const cluster = joined.slice(a, b);
      const first = cluster.codePointAt(0)!;
      const kind: Piece['kind'] = isNewline(first) ? 'newline' : isBreakingSpace(first) ? 'space' : 'word';
      const level = bidi.levels ? bidi.levels[a]! : 0;

      let face: FontFace;
      if (kind === 'newline') face = previousFace ?? primary;
      else
        face = pickFace(cluster, chain, previousWasLetter ? previousFace : undefined, previousFace, (char, codePoint, at) => {
          warnings.push({
            code: 'FONT_GLYPH_MISSING',
            severity: 'warning',
            message: `No font of the role "${style.role}" has a glyph for "${char}" (${codePointLabel(codePoint)}); it is drawn as an empty box.`,
            char,
            codePoint: codePointLabel(codePoint),
            span: s,
            offset: a - spanStart + at,
            origin: span.origin,
          });
        });
      previousFace = face;
      previousWasLetter = LETTER_OR_MARK.test(cluster);

      const breakHere = a === 0 ? 'none' : breakBefore(joined, a);
      if (
        current &&
        (breakHere !== 'none' ||
          current.kind !== kind ||
          current.face !== face ||
          current.level !== level ||
          current.span !== s ||
          kind === 'newline')
      ) {
        close(breakHere);
      }
      current ??= { kind, text: '', source: '', span: s, style, face, metrics: primary, level, breakAfter: 'none', clusters: [0] };
      let shaped = '';
      for (let i = a; i < b;) {
        const c = joined.codePointAt(i)!;
        const width = c > 0xffff ? 2 : 1;
        if (c === 0xad || c === 0x0d) {
          // soft hyphen: invisible unless the line breaks there
        } else if (c === 0x09) shaped += ' ';
        else shaped += bidi.mirrored?.get(i) ?? String.fromCodePoint(c);
        i += width;
      }
      current.text += shaped;
      current.source += cluster;
      if (current.clusters[current.clusters.length - 1] !== current.text.length) current.clusters.push(current.text.length);
    }
    spanStart += span.text.length;
  }
  close('none');
  return { pieces, baseLevel: bidi.baseLevel, warnings };
}

/**
 * The face for one cluster; calls `missing` for each character no face of the chain has. `wordFace` is
 * the face of the previous letter of the same word: a word that had to fall back stays in its fallback
 * face when it can, rather than mixing faces letter by letter.
 */
export function pickFace(
  cluster: string,
  chain: readonly FontFace[],
  wordFace: FontFace | undefined,
  previous: FontFace | undefined,
  missing: (char: string, codePoint: number, offset: number) => void,
): FontFace {
  const primary = chain[0]!;
  const visible: { c: number; at: number }[] = [];
  for (let at = 0; at < cluster.length;) {
    const c = cluster.codePointAt(at)!;
    if (!ignorable(c) && c !== 0x09) visible.push({ c, at });
    at += c > 0xffff ? 2 : 1;
  }
  if (visible.length === 0) return previous ?? primary;
  const coversAll = (f: FontFace): boolean => visible.every(({ c }) => f.covers(c));
  if (previous && NEUTRAL.test(String.fromCodePoint(visible[0]!.c)) && coversAll(previous)) return previous;
  if (wordFace && wordFace !== primary && coversAll(wordFace)) return wordFace;
  for (const face of chain) if (coversAll(face)) return face;
  const base = visible[0]!;
  const withBase = chain.find((f) => f.covers(base.c));
  if (!withBase) {
    missing(cluster, base.c, base.at);
    return primary;
  }
  for (const { c, at } of visible) if (!withBase.covers(c)) missing(String.fromCodePoint(c), c, at);
  return withBase;
}
