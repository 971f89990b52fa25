import type { Font as FontkitFont } from 'fontkit';

/** A font program that can be embedded in a PDF; created once per process and shared by every document. */
export interface EmbeddableFont {
  /** Stable identity of the font program (e.g. "sans-700-normal" or an asset's hash). */
  key: string;
  font: FontkitFont;
  bytes: Uint8Array;
}

/** One shaped glyph, scaled to points. */
export interface GlyphPlacement {
  /** Glyph id in the original font program. */
  id: number;
  /** The characters the glyph stands for (several for a ligature), for selection and extraction. */
  text: string;
  /** Pen advance after this glyph, including kerning and letter-spacing. */
  advance: number;
  /** Shaping offsets; dy positive up. */
  dx: number;
  dy: number;
}
