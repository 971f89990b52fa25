import type { FontFace } from '../fonts/face';
import { Lru } from './lru';

/** A glyph in font units, before any size is applied. */
export interface ShapedGlyph {
  id: number;
  text: string;
  advance: number;
  dx: number;
  dy: number;
}

export interface Shaped {
  /** Visual order: fontkit already reverses right-to-left runs of faces with layout tables. */
  glyphs: readonly ShapedGlyph[];
  /** Sum of the advances, font units. */
  advance: number;
}

/**
 * Shaped words are kept in font units, so any size (and every try of shrink-to-fit) is a multiplication,
 * and static text and repeated words are shaped once per process.
 */
const caches = new WeakMap<FontFace, { ltr: Lru<string, Shaped>; rtl: Lru<string, Shaped> }>();
const WORDS_PER_FACE = 20_000;

export function shape(face: FontFace, text: string, rtl: boolean, features = ''): Shaped {
  let byDirection = caches.get(face);
  if (!byDirection) {
    byDirection = { ltr: new Lru(WORDS_PER_FACE), rtl: new Lru(WORDS_PER_FACE / 4) };
    caches.set(face, byDirection);
  }
  const cache = rtl ? byDirection.rtl : byDirection.ltr;
  // Features are rare; the plain text is the key in the common case, so a hit builds no string.
  const key = features ? `\u0001${features}\u0001${text}` : text;
  let shaped = cache.get(key);
  if (!shaped) {
    shaped = shapeUncached(face, text, rtl, features);
    cache.set(key, shaped);
  }
  return shaped;
}

/** GPOS features: positioning only, so leaving them out still draws every letter in its shaped form. */
const NO_POSITIONING: Record<string, boolean> = {
  kern: false,
  mark: false,
  mkmk: false,
  abvm: false,
  blwm: false,
  dist: false,
  curs: false,
};

/**
 * fontkit throws on some real fonts' positioning tables (Noto Sans Gurmukhi has a mark anchor it reads as
 * null). A name must still be drawn: shape again without positioning, and as a last resort map characters
 * to glyphs one by one with their plain advances.
 */
function layout(
  face: FontFace,
  text: string,
  features: string,
  direction: 'ltr' | 'rtl',
): { glyphs: { id: number; codePoints: number[] }[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] } {
  // fontkit caches one Glyph object per id with the code points of whoever asked for it first: a cmap scan
  // for a subset (Arabic presentation forms, the lam-alef ligature as one character) or another word. A
  // word shaped against that cache would get texts that depend on what the process did before, and so
  // would its document's bytes. Each word is shaped against an empty cache; the shared one is untouched.
  //
  // A fresh Glyph costs its metrics again (fontkit decodes the outline for them): glyphs are reused across
  // words only when asked for with the same code points, so a word still sees exactly the glyphs a fresh
  // cache would give it. A Glyph holds nothing else that shaping changes (GSUB and GPOS work on copies).
  const font = face.font as unknown as FontkitInternals;
  const shared = font._glyphs;
  if (!shared || Object.hasOwn(font, 'getGlyph')) return layoutWith(face, text, features, direction);
  const local: Record<number, object> = {};
  const reused = glyphPool(face);
  const create = font.getGlyph;
  font._glyphs = local;
  font.getGlyph = function (this: FontkitInternals, id: number, characters: number[] = []) {
    const mine = local[id];
    if (mine) return mine;
    const key = characters.length === 1 ? id * 0x110000 + characters[0]! : `${id}:${characters.join(',')}`;
    let glyph = reused.get(key);
    if (glyph) local[id] = glyph;
    else {
      glyph = create.call(this, id, characters) ?? undefined;
      if (glyph) reused.set(key, glyph);
    }
    return glyph ?? null;
  };
  try {
    return layoutWith(face, text, features, direction);
  } finally {
    font._glyphs = shared;
    delete (font as Partial<FontkitInternals>).getGlyph;
  }
}

/** What `layout` reaches inside a fontkit font. */
interface FontkitInternals {
  _glyphs?: Record<number, object>;
  getGlyph: (this: FontkitInternals, id: number, characters?: number[]) => object | null;
}

/** Glyph objects by id and code points, per face; bounded like the word caches. */
const glyphPools = new WeakMap<FontFace, Lru<number | string, object>>();
const GLYPHS_PER_FACE = 4_096;

function glyphPool(face: FontFace): Lru<number | string, object> {
  let pool = glyphPools.get(face);
  if (!pool) glyphPools.set(face, (pool = new Lru(GLYPHS_PER_FACE)));
  return pool;
}

function layoutWith(face: FontFace, text: string, features: string, direction: 'ltr' | 'rtl'): ReturnType<typeof layout> {
  const requested = features ? features.split(',') : undefined;
  try {
    return face.font.layout(text, requested, undefined, undefined, direction);
  } catch {
    try {
      const withoutPositioning: Record<string, boolean> = { ...NO_POSITIONING };
      for (const f of requested ?? []) withoutPositioning[f] = true;
      return face.font.layout(text, withoutPositioning, undefined, undefined, direction);
    } catch {
      const glyphs = face.font.glyphsForString(text);
      return { glyphs, positions: glyphs.map((g) => ({ xAdvance: g.advanceWidth, xOffset: 0, yOffset: 0 })) };
    }
  }
}

function shapeUncached(face: FontFace, text: string, rtl: boolean, features: string): Shaped {
  const run = layout(face, text, features, rtl ? 'rtl' : 'ltr');
  const glyphs: ShapedGlyph[] = [];
  let advance = 0;
  for (let i = 0; i < run.glyphs.length; i++) {
    const glyph = run.glyphs[i]!;
    const position = run.positions[i]!;
    glyphs.push({
      id: glyph.id,
      text: String.fromCodePoint(...glyph.codePoints),
      advance: position.xAdvance,
      dx: position.xOffset,
      dy: position.yOffset,
    });
    advance += position.xAdvance;
  }
  // Without GSUB/GPOS/morx fontkit leaves right-to-left glyphs in logical order; never reverse twice.
  const visualRtl = rtl && face.reversesRtl;
  assignClusterText(glyphs, text, visualRtl);
  if (rtl && !face.reversesRtl) glyphs.reverse();
  return { glyphs, advance };
}

/**
 * fontkit caches one Glyph object per glyph id with the code points it was first made for, so two
 * characters drawn with one glyph (Arabic reh and zain share a body; zain adds a dot mark) would both claim
 * the first one's text. The text of each glyph is therefore taken from the string itself: glyphs consume
 * the string in logical order, each as many characters as it stands for. When the counts do not add up
 * (a decomposition), fontkit's own code points are kept.
 */
function assignClusterText(glyphs: ShapedGlyph[], text: string, visualRtl: boolean): void {
  const slices: string[] = new Array<string>(glyphs.length);
  let at = 0;
  for (let k = 0; k < glyphs.length; k++) {
    const i = visualRtl ? glyphs.length - 1 - k : k;
    const g = glyphs[i]!;
    const n = g.text.length;
    slices[i] = text.slice(at, at + n);
    at += n;
  }
  if (at !== text.length) return;
  for (let i = 0; i < glyphs.length; i++) glyphs[i]!.text = slices[i]!;
}

/** For tests and long-running processes that swap fonts. */
export function clearShapeCache(face: FontFace): void {
  caches.get(face)?.ltr.clear();
  caches.get(face)?.rtl.clear();
}
