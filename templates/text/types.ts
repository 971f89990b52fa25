import type { FontFace } from '../fonts/face';
import type { GlyphPlacement } from '../fonts/types';

export type RGB = [number, number, number];

export interface TextStyle {
  /** A font role of the template (body, title, name, …). */
  role: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  /** Points. */
  size: number;
  color: RGB;
  /** Points added after every spacing glyph. */
  letterSpacing: number;
  /** Where a click on these characters goes (a `<link>`); carried to the runs, not drawn. */
  link?: string;
  /** BCP 47 language of these characters when a `lang` attribute gave one; carried to the runs for tagging. */
  lang?: string;
}

export interface TextSpan {
  /** Plain text; a `<br/>` arrives as a span whose text is "\n". */
  text: string;
  style: TextStyle;
  /** Opaque to layout: the markup node, echoed in warnings so they can point at the template source. */
  origin?: unknown;
}

/**
 * `start` and `end` follow the paragraph's direction (left and right for left-to-right text, right and
 * left for right-to-left text); leaving `align` out means `start`, so Arabic and Hebrew paragraphs align
 * right without the template saying so.
 */
export type TextAlign = 'start' | 'end' | 'left' | 'center' | 'right' | 'justify';

export interface ParagraphOptions {
  /** Points. */
  width: number;
  /** Points; without it the box grows with the text and `valign` has no effect. */
  height?: number;
  align?: TextAlign;
  valign?: 'top' | 'middle' | 'bottom';
  /** Multiplier of the font size; default 1.2. */
  lineHeight?: number;
  fit?: 'none' | 'shrink';
  /** Points; the smallest size shrink-to-fit may reach (default 6). */
  minSize?: number;
  maxLines?: number;
  direction?: 'auto' | 'ltr' | 'rtl';
}

export interface LaidOutRun {
  face: FontFace;
  /** Points, after shrink. */
  size: number;
  color: RGB;
  /** From the box's left edge, points. */
  x: number;
  /** Sum of the glyph advances, points. */
  width: number;
  /** In visual (drawing) order, left to right. */
  glyphs: GlyphPlacement[];
  /** The characters of the run in logical (reading) order. */
  text: string;
  /** Odd for right-to-left text. */
  bidiLevel: number;
  /** `y` is the centre of the stroke, from the box's top edge, points. */
  underline?: { y: number; thickness: number };
  /** The style's `link`: the run is clickable. */
  link?: string;
  /** The style's `lang`. */
  lang?: string;
}

export interface LaidOutLine {
  /** From the box's top edge, points. */
  baseline: number;
  /** Drawn width (trailing spaces excluded), points. */
  width: number;
  /** Left to right as drawn. */
  runs: LaidOutRun[];
}

export interface TextWarning {
  code: 'FONT_GLYPH_MISSING' | 'FONT_UNKNOWN_ROLE';
  severity: 'warning';
  message: string;
  /** The character (or grapheme) concerned. */
  char?: string;
  /** "U+1F393". */
  codePoint?: string;
  /** Index of the span, and UTF-16 offset of the character inside that span's text. */
  span: number;
  offset: number;
  origin?: unknown;
}

export interface LaidOutText {
  lines: LaidOutLine[];
  /** Total height of the lines, points. */
  height: number;
  /** 1, or less after shrink-to-fit. */
  scale: number;
  /** The text did not fit even after shrinking and cutting (the layout engine reports LAYOUT_TEXT_OVERFLOW). */
  overflow: boolean;
  /** Lines were cut by maxLines and the last one ends with an ellipsis. */
  truncated: boolean;
  warnings: TextWarning[];
}
