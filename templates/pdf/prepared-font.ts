import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Font as FontkitFont } from 'fontkit';
import type { EmbeddableFont } from '../fonts/types';
import { Lru } from '../text/lru';
import { PdfAssetError } from './errors';
import { GroupBuilder, ObjectGroup, streamParts } from './objects';
import { name, num } from './syntax';
import { toUnicodeCMap } from './to-unicode';

/**
 * A font made ready for embedding, once per process (and per template when the template's static text goes
 * beyond the base repertoire). The base subset covers printable ASCII, Latin-1, Latin Extended-A, common
 * punctuation and ligatures: most certificates only ever use those glyphs, so most documents copy the base
 * subset's ready bytes and never run the subsetter.
 *
 * Content streams use the ORIGINAL glyph id as the CID, so the same content works with the base subset or
 * a larger one, and the subset can be chosen at save time from the glyphs the document actually used.
 */
export class PreparedFont {
  readonly kind: 'TrueType' | 'CFF';
  /** 1000 / unitsPerEm: PDF glyph space is 1/1000 em. */
  readonly scale: number;
  readonly base: FontSubset;
  private readonly widths: Float64Array;
  private readonly extended = new Lru<string, FontSubset>(32);

  constructor(
    readonly font: EmbeddableFont,
    extraText = '',
  ) {
    const f = font.font;
    this.kind = fontKind(font);
    this.scale = 1000 / f.unitsPerEm;
    this.widths = new Float64Array(f.numGlyphs).fill(-1);
    this.base = this.createSubset(baseUnicode(f, extraText));
  }

  /** Advance width of a glyph in 1/1000 em, as the font's /W array declares it; NaN for a broken glyph. */
  width(gid: number): number {
    let w = this.widths[gid];
    if (w === undefined) return 0;
    if (w < 0) {
      try {
        w = this.font.font.getGlyph(gid).advanceWidth * this.scale;
      } catch {
        // Real fonts ship broken glyphs (Noto Sans Sinhala's last glyph points past its glyf table): such a
        // glyph is left out of every subset and draws as the missing-glyph box instead of failing the render.
        w = Number.NaN;
      }
      this.widths[gid] = w;
    }
    return Number.isNaN(w) ? 0 : w;
  }

  private readable(gid: number): boolean {
    this.width(gid);
    return !Number.isNaN(this.widths[gid]);
  }

  /**
   * The subset for a document: the base when it covers every glyph, else the base grown by whole script
   * groups (all of Cyrillic, all of Greek, Arabic with its presentation forms, …) for the scripts of the
   * extra glyphs, plus any extra glyph no group holds (contextual forms, ligatures). Growing by whole groups
   * makes every Cyrillic name share one cached subset instead of encoding a new one per name (≈ 5 ms each).
   */
  subsetFor(used: ReadonlyMap<number, string>): FontSubset {
    let extras: number[] | undefined;
    for (const gid of used.keys()) if (gid !== 0 && !this.base.gids.has(gid)) (extras ??= []).push(gid);
    if (!extras) return this.base;
    const groups = new Set<number>();
    for (const gid of extras) {
      const cp = used.get(gid)?.codePointAt(0);
      const group = cp === undefined ? -1 : scriptGroupOf(cp);
      if (group >= 0) groups.add(group);
    }
    const grown = new Set<number>();
    for (const group of groups) for (const gid of this.groupGlyphs(group).keys()) grown.add(gid);
    let leftover = extras.filter((gid) => !grown.has(gid)).sort((a, b) => a - b);
    // Shaped scripts (Arabic joining forms, Indic conjuncts) reach glyphs no code point maps to, different
    // for every name. A font made for one script is small: embed it whole, once, rather than per name.
    const whole = leftover.length > 0 && this.font.font.numGlyphs <= WHOLE_FONT_GLYPHS;
    if (whole) leftover = [];
    const key = whole ? 'whole' : `${[...groups].sort((a, b) => a - b).join(',')}|${leftover.join(',')}`;
    let subset = this.extended.get(key);
    if (!subset) {
      // The extra glyphs get no default text: it would be the text of whichever document came first, and
      // a document's bytes must not depend on what the process rendered before. Documents that use extra
      // glyphs always write their own ToUnicode map.
      const unicode = new Map(this.base.unicode);
      if (whole) {
        for (let gid = 1; gid < this.font.font.numGlyphs; gid++) if (!unicode.has(gid)) unicode.set(gid, '');
      } else {
        for (const group of groups) for (const [gid, text] of this.groupGlyphs(group)) if (!unicode.has(gid)) unicode.set(gid, text);
        for (const gid of leftover) unicode.set(gid, '');
      }
      subset = this.createSubset(unicode);
      this.extended.set(key, subset);
    }
    return subset;
  }

  private readonly groups = new Map<number, Map<number, string>>();

  /** Every glyph the cmap gives for a script group's code points, with its character. */
  private groupGlyphs(group: number): Map<number, string> {
    let glyphs = this.groups.get(group);
    if (!glyphs) {
      glyphs = new Map();
      const f = this.font.font;
      for (const [from, to] of SCRIPT_GROUPS[group]!) {
        for (let cp = from; cp <= to; cp++) {
          if (!f.hasGlyphForCodePoint(cp)) continue;
          const gid = f.glyphForCodePoint(cp).id;
          if (gid > 0 && !glyphs.has(gid)) glyphs.set(gid, String.fromCodePoint(cp));
        }
      }
      this.groups.set(group, glyphs);
    }
    return glyphs;
  }

  private createSubset(unicode: Map<number, string>): FontSubset {
    const gids = [...unicode.keys()].filter((g) => g > 0 && g < this.font.font.numGlyphs && this.readable(g)).sort((a, b) => a - b);
    const fontFile = this.kind === 'TrueType' ? encodeTrueType(this.font.font, gids) : encodeCff(this.font.font, gids);
    const widths = gids.map((g) => this.width(g));
    return new FontSubset(this, gids, unicode, fontFile, widths);
  }
}

/** The ready objects of one subset: Type0 font, CIDFont, descriptor, font file, CIDToGIDMap, ToUnicode. */
export class FontSubset {
  readonly gids: ReadonlySet<number>;
  readonly group: ObjectGroup;
  private readonly toUnicodeIndex: number;

  constructor(
    readonly prepared: PreparedFont,
    sortedGids: readonly number[],
    /** What each glyph of the subset stands for when the document does not say otherwise. */
    readonly unicode: ReadonlyMap<number, string>,
    fontFile: { bytes: Uint8Array; cidToGid?: Uint8Array },
    widths: readonly number[],
  ) {
    this.gids = new Set(sortedGids);
    const f = prepared.font.font;
    const tag = subsetTag(prepared.font.key, sortedGids);
    const baseFont = name(`${tag}+${f.postscriptName || 'Font'}`.replace(/[^\x21-\x7e]/g, ''));
    const s = prepared.scale;
    const b = new GroupBuilder();
    const type0 = b.reserve();
    const cidFont = b.reserve();
    const descriptor = b.reserve();
    const file = b.add(
      streamParts(
        prepared.kind === 'TrueType'
          ? [` /Filter /FlateDecode /Length1 ${fontFile.bytes.length}`]
          : [' /Subtype /CIDFontType0C /Filter /FlateDecode'],
        deflateSync(fontFile.bytes),
      ),
    );
    const cidToGid = fontFile.cidToGid ? b.add(streamParts([' /Filter /FlateDecode'], deflateSync(fontFile.cidToGid))) : undefined;
    const toUnicode = b.add(streamParts([' /Filter /FlateDecode'], deflateSync(toUnicodeCMap(unicode))));
    this.toUnicodeIndex = toUnicode.index;

    b.set(type0, [
      `<< /Type /Font /Subtype /Type0 /BaseFont ${baseFont} /Encoding /Identity-H /DescendantFonts [`,
      cidFont,
      '] /ToUnicode ',
      toUnicode,
      ' >>',
    ]);
    b.set(cidFont, [
      `<< /Type /Font /Subtype /${prepared.kind === 'TrueType' ? 'CIDFontType2' : 'CIDFontType0'} /BaseFont ${baseFont}` +
        ' /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ',
      descriptor,
      ` /DW 0 /W ${widthArray(sortedGids, widths)}`,
      ...(cidToGid ? [' /CIDToGIDMap ', cidToGid] : []),
      ' >>',
    ]);
    const os2 = f['OS/2'] as { sFamilyClass?: number; usWeightClass?: number } | undefined;
    const italic = f.italicAngle !== 0;
    const serifClass = ((os2?.sFamilyClass ?? 0) >> 8) & 0xff;
    const fixed = (f as unknown as { post?: { isFixedPitch?: number } }).post?.isFixedPitch ? 1 : 0;
    // Symbolic (4): the glyphs are addressed by CID, not by a standard Latin encoding.
    const flags = fixed | (serifClass >= 1 && serifClass <= 7 ? 2 : 0) | 4 | (italic ? 64 : 0);
    const weight = os2?.usWeightClass ?? 400;
    const stemV = Math.round(50 + (weight / 65) ** 2);
    const bbox = f.bbox;
    b.set(descriptor, [
      `<< /Type /FontDescriptor /FontName ${baseFont} /Flags ${flags}` +
        ` /FontBBox [${num(bbox.minX * s)} ${num(bbox.minY * s)} ${num(bbox.maxX * s)} ${num(bbox.maxY * s)}]` +
        ` /ItalicAngle ${num(f.italicAngle)} /Ascent ${num(f.ascent * s)} /Descent ${num(f.descent * s)}` +
        ` /CapHeight ${num((f.capHeight || f.ascent) * s)} /StemV ${stemV}` +
        (prepared.kind === 'TrueType' ? ' /FontFile2 ' : ' /FontFile3 '),
      file,
      ' >>',
    ]);
    this.group = b.build();
  }

  /** The same objects with a ToUnicode map written for one document (used when its glyphs mean other text). */
  withToUnicode(map: ReadonlyMap<number, string>): ObjectGroup {
    const objects = this.group.objects.slice();
    objects[this.toUnicodeIndex] = streamParts([' /Filter /FlateDecode'], deflateSync(toUnicodeCMap(map)));
    return new ObjectGroup(objects);
  }
}

const preparedFonts = new WeakMap<EmbeddableFont, Lru<string, PreparedFont>>();

/**
 * The prepared font for a font program and (optionally) a template's static text, made once per process.
 * Pass the template's static text so its glyphs (Greek, Cyrillic, Arabic forms...) are part of the base.
 */
export function prepareFont(font: EmbeddableFont, extraText = ''): PreparedFont {
  let byText = preparedFonts.get(font);
  if (!byText) preparedFonts.set(font, (byText = new Lru(16)));
  let prepared = byText.get(extraText);
  if (!prepared) {
    prepared = new PreparedFont(font, extraText);
    byText.set(extraText, prepared);
  }
  return prepared;
}

function fontKind(font: EmbeddableFont): 'TrueType' | 'CFF' {
  const tables = (font.font as unknown as { directory?: { tables?: Record<string, unknown> } }).directory?.tables ?? {};
  if ('glyf' in tables) return 'TrueType';
  if ('CFF ' in tables) return 'CFF';
  throw new PdfAssetError(
    'ASSET_FONT_UNSUPPORTED',
    `The font "${font.font.fullName || font.key}" has no TrueType or CFF outlines that a PDF can embed (variable CFF2 and bitmap fonts are not supported).`,
  );
}

const BASE_RANGES: readonly [number, number][] = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
  [0x2010, 0x2027],
  [0x2030, 0x203a],
  [0x20ac, 0x20ac],
  [0x2122, 0x2122],
];
const LIGATURES = ['ff', 'fi', 'fl', 'ffi', 'ffl'];

/**
 * Script groups a document's subset grows by (see PreparedFont.subsetFor). Alphabets and abjads are small
 * enough to embed whole; CJK is not grouped (tens of thousands of glyphs): those documents get their own
 * subset, cached by glyph set.
 */
const SCRIPT_GROUPS: readonly (readonly [number, number])[][] = [
  [
    [0x0180, 0x024f],
    [0x1e00, 0x1eff],
    [0x0300, 0x036f],
  ], // Latin Extended-B and Additional (Vietnamese), combining marks
  [
    [0x0370, 0x03ff],
    [0x1f00, 0x1fff],
  ], // Greek
  [[0x0400, 0x052f]], // Cyrillic
  [[0x0530, 0x058f]], // Armenian
  [
    [0x0590, 0x05ff],
    [0xfb1d, 0xfb4f],
  ], // Hebrew
  [
    [0x0600, 0x06ff],
    [0x0750, 0x077f],
    [0xfb50, 0xfdff],
    [0xfe70, 0xfeff],
  ], // Arabic with presentation forms
  [[0x10a0, 0x10ff]], // Georgian
  [[0x0900, 0x097f]], // Devanagari
  [[0x0980, 0x09ff]], // Bengali
  [[0x0a00, 0x0a7f]], // Gurmukhi
  [[0x0a80, 0x0aff]], // Gujarati
  [[0x0b80, 0x0bff]], // Tamil
  [[0x0c00, 0x0c7f]], // Telugu
  [[0x0c80, 0x0cff]], // Kannada
  [[0x0d00, 0x0d7f]], // Malayalam
  [[0x0d80, 0x0dff]], // Sinhala
  [[0x0e00, 0x0e7f]], // Thai
  [[0x0e80, 0x0eff]], // Lao
  [[0x1000, 0x109f]], // Myanmar
  [[0x1200, 0x139f]], // Ethiopic
  [[0x1780, 0x17ff]], // Khmer
  [[0x0b00, 0x0b7f]], // Odia
  [[0x0f00, 0x0fff]], // Tibetan
  [[0x0780, 0x07bf]], // Thaana
  [
    [0x0700, 0x074f],
    [0x0860, 0x086f],
  ], // Syriac
  [[0x07c0, 0x07ff]], // N'Ko
  [[0x2d30, 0x2d7f]], // Tifinagh
  [[0x1c50, 0x1c7f]], // Ol Chiki
  [
    [0x13a0, 0x13ff],
    [0xab70, 0xabbf],
  ], // Cherokee
  [
    [0x1400, 0x167f],
    [0x18b0, 0x18ff],
  ], // Unified Canadian Aboriginal Syllabics
  [
    [0x1100, 0x11ff],
    [0x3130, 0x318f],
  ], // Hangul jamo (syllables are too many: not grouped)
];

/** Fonts this small are embedded whole when a document needs shaped glyphs beyond the base (see subsetFor). */
const WHOLE_FONT_GLYPHS = 3000;

function scriptGroupOf(cp: number): number {
  for (let g = 0; g < SCRIPT_GROUPS.length; g++) for (const [from, to] of SCRIPT_GROUPS[g]!) if (cp >= from && cp <= to) return g;
  return -1;
}

/** Glyph id → characters for the base repertoire: the cmap first (lowest code point wins), then shaping. */
function baseUnicode(f: FontkitFont, extraText: string): Map<number, string> {
  const unicode = new Map<number, string>();
  const addCodePoint = (cp: number) => {
    if (!f.hasGlyphForCodePoint(cp)) return;
    const gid = f.glyphForCodePoint(cp).id;
    if (gid > 0 && !unicode.has(gid)) unicode.set(gid, String.fromCodePoint(cp));
  };
  for (const [from, to] of BASE_RANGES) for (let cp = from; cp <= to; cp++) addCodePoint(cp);
  for (const ch of extraText) addCodePoint(ch.codePointAt(0)!);
  // Shaping adds glyphs the cmap does not reach: ligatures and the contextual forms of the static text.
  for (const text of [...LIGATURES, ...(extraText ? [extraText] : [])]) {
    for (const direction of extraText && text === extraText ? ['ltr', 'rtl'] : ['ltr']) {
      const run = f.layout(text, undefined, undefined, undefined, direction);
      for (const glyph of run.glyphs) {
        if (glyph.id > 0 && !unicode.has(glyph.id)) unicode.set(glyph.id, String.fromCodePoint(...glyph.codePoints));
      }
    }
  }
  return unicode;
}

/** What fontkit's subsets really do at runtime (its typings say `includeGlyph` returns a boolean). */
interface RuntimeSubset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
  glyphs: number[];
  charstrings?: Uint8Array[];
  cff?: { getCharString(gid: number): Uint8Array; globalSubrIndex: unknown[] };
  gsubrs?: unknown;
  subsetSubrs?(subrs: unknown, used: Record<number, boolean>): unknown;
  subsetCharstrings?(): void;
}

function encodeTrueType(f: FontkitFont, gids: readonly number[]): { bytes: Uint8Array; cidToGid: Uint8Array } {
  const subset = f.createSubset() as unknown as RuntimeSubset;
  const maxCid = gids.length ? gids[gids.length - 1]! : 0;
  const cidToGid = new Uint8Array(2 * (maxCid + 1));
  for (const gid of gids) {
    const newGid = subset.includeGlyph(gid);
    cidToGid[2 * gid] = newGid >> 8;
    cidToGid[2 * gid + 1] = newGid & 0xff;
  }
  return { bytes: subset.encode(), cidToGid };
}

/**
 * CFF subsets have no CIDToGIDMap: the CID is the glyph's position in the subset. Keeping every position
 * up to the highest glyph used (unused ones drawn as an empty `endchar`) makes CID = original glyph id.
 */
function encodeCff(f: FontkitFont, gids: readonly number[]): { bytes: Uint8Array } {
  const subset = f.createSubset() as unknown as RuntimeSubset;
  const used = new Set(gids);
  const maxCid = gids.length ? gids[gids.length - 1]! : 0;
  for (let gid = 1; gid <= maxCid; gid++) subset.includeGlyph(gid);
  const cff = subset.cff;
  if (!cff || !subset.subsetSubrs) throw new PdfAssetError('ASSET_FONT_UNSUPPORTED', 'This CFF font cannot be subset.');
  subset.subsetCharstrings = function (this: RuntimeSubset) {
    const charstrings: Uint8Array[] = [];
    const gsubrs: Record<number, boolean> = {};
    for (const gid of this.glyphs) {
      if (gid !== 0 && !used.has(gid)) {
        charstrings.push(ENDCHAR);
        continue;
      }
      charstrings.push(cff.getCharString(gid));
      const glyph = f.getGlyph(gid) as unknown as { path: unknown; _usedGsubrs?: Record<number, boolean> };
      void glyph.path; // parsing the glyph records the global subroutines it calls
      for (const subr in glyph._usedGsubrs) gsubrs[Number(subr)] = true;
    }
    this.charstrings = charstrings;
    this.gsubrs = this.subsetSubrs!(cff.globalSubrIndex, gsubrs);
  };
  return { bytes: subset.encode() };
}
const ENDCHAR = new Uint8Array([14]);

/** Six capital letters from the glyph set, so the same subset always has the same name (PDF 1.7 §9.6.4). */
function subsetTag(fontKey: string, gids: readonly number[]): string {
  const digest = createHash('sha256')
    .update(`${fontKey}|${gids.join(',')}`)
    .digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (digest[i]! % 26));
  return tag;
}

/** `/W` in its compact form: runs of consecutive CIDs share one array. */
function widthArray(gids: readonly number[], widths: readonly number[]): string {
  let out = '[';
  let i = 0;
  while (i < gids.length) {
    const start = gids[i]!;
    let run = num(widths[i]!);
    let j = i + 1;
    while (j < gids.length && gids[j] === gids[j - 1]! + 1) run += ' ' + num(widths[j++]!);
    out += `${start} [${run}]`;
    i = j;
    if (i < gids.length) out += ' ';
  }
  return out + ']';
}
