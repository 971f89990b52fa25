import * as fontkit from 'fontkit';
import type { Font as FontkitFont } from 'fontkit';
import { DiagnosticError } from '../../variables/diagnostics';
import type { EmbeddableFont } from './types';

export type FontStyle = 'normal' | 'italic';

/**
 * A parsed font program plus what layout needs from it. Faces are immutable and shared by every template
 * and document of the process, so the PDF writer can key its embedded fonts on `key`.
 */
export interface FontFace extends EmbeddableFont {
  family: string;
  weight: number;
  style: FontStyle;
  /** Metrics in font units (divide by unitsPerEm and multiply by the size for points). */
  unitsPerEm: number;
  /** Above the baseline, positive. */
  ascent: number;
  /** Below the baseline, positive. */
  descent: number;
  lineGap: number;
  capHeight: number;
  /** Distance of the underline's centre below the baseline (positive = below). */
  underlinePosition: number;
  underlineThickness: number;
  /** Whether fontkit hands back right-to-left runs already in visual order (it does when the face has OpenType or AAT layout tables). */
  reversesRtl: boolean;
  /** Whether the face maps the code point to a real glyph; answers are cached per face. */
  covers(codePoint: number): boolean;
}

export interface FaceDescriptor {
  family: string;
  weight: number;
  style: FontStyle;
}

export function fontError(code: string, message: string): DiagnosticError {
  return new DiagnosticError([{ stage: 'font', code, severity: 'error', message }]);
}

type Format = 'ttf' | 'otf' | 'woff' | 'woff2' | 'collection' | 'unknown';

export function sniffFormat(bytes: Uint8Array): Format {
  if (bytes.length < 4) return 'unknown';
  const tag = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (tag === '\x00\x01\x00\x00' || tag === 'true') return 'ttf';
  if (tag === 'OTTO') return 'otf';
  if (tag === 'wOFF') return 'woff';
  if (tag === 'wOF2') return 'woff2';
  if (tag === 'ttcf') return 'collection';
  return 'unknown';
}

/**
 * Parses and checks a font program. Refuses what the PDF subsetter cannot take (fontkit's WOFF2 path
 * crashes the process while subsetting) and turns every parser failure into FONT_INVALID, because fontkit
 * parses tables lazily and a corrupt file would otherwise blow up later, in the middle of a render.
 */
export function parseFace(bytes: Uint8Array, descriptor: FaceDescriptor, key: string, name = descriptor.family): FontFace {
  const format = sniffFormat(bytes);
  if (format === 'woff' || format === 'woff2') {
    throw fontError(
      'FONT_UNSUPPORTED_FORMAT',
      `The font "${name}" is a ${format.toUpperCase()} web font; upload the TTF or OTF file of the same font instead.`,
    );
  }
  if (format === 'collection') {
    throw fontError(
      'FONT_UNSUPPORTED_FORMAT',
      `The font "${name}" is a font collection (.ttc); upload the single TTF or OTF file of the face you want.`,
    );
  }
  if (format === 'unknown') {
    throw fontError('FONT_INVALID', `The file given for the font "${name}" is not a TrueType or OpenType font.`);
  }
  let font: FontkitFont;
  let reversesRtl: boolean;
  try {
    const created = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!('layout' in created)) throw new Error('not a single font');
    font = created;
    if (!(font.unitsPerEm > 0) || !(font.numGlyphs > 0)) throw new Error('no glyphs');
    // Touch the tables layout and embedding use, so a damaged file fails here and not mid-render.
    void font.hhea.ascent;
    font.layout('Aa 1');
    void font.glyphForCodePoint(0x41).advanceWidth;
    const tables = font as unknown as Record<string, unknown>;
    reversesRtl = Boolean(tables['morx'] || tables['GSUB'] || tables['GPOS']);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw fontError('FONT_INVALID', `The font "${name}" could not be read (${why}); the file is damaged or not a font.`);
  }
  return makeFace(font, bytes, descriptor, key, reversesRtl);
}

function makeFace(font: FontkitFont, bytes: Uint8Array, d: FaceDescriptor, key: string, reversesRtl: boolean): FontFace {
  const coverage = new Map<number, boolean>();
  const os2 = safe(() => font['OS/2']);
  const upm = font.unitsPerEm;
  return {
    key,
    font,
    bytes,
    family: d.family,
    weight: d.weight,
    style: d.style,
    unitsPerEm: upm,
    ascent: Math.abs(font.ascent) || upm * 0.8,
    descent: Math.abs(font.descent) || upm * 0.2,
    lineGap: font.lineGap || 0,
    capHeight: font.capHeight || os2?.capHeight || upm * 0.7,
    underlinePosition: -(font.underlinePosition || -upm * 0.1),
    underlineThickness: font.underlineThickness || upm * 0.05,
    reversesRtl,
    covers(codePoint: number): boolean {
      let known = coverage.get(codePoint);
      if (known === undefined) {
        known = font.hasGlyphForCodePoint(codePoint);
        coverage.set(codePoint, known);
      }
      return known;
    },
  };
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
