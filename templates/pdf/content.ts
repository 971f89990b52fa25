import type { EmbeddableFont, GlyphPlacement } from '../fonts/types';
import type { ImportedPage } from './imported-page';
import type { PreparedImage } from './prepared-image';
import { PreparedFont, prepareFont } from './prepared-font';
import { HEX4, num, utf16Hex } from './syntax';

export type Rgb = [number, number, number];

/** What a page's content needs from its document: a resource name per font, image, form and opacity. */
export interface PageResources {
  font(font: PreparedFont): { name: string; used: Map<number, string> };
  image(image: PreparedImage): string;
  form(page: ImportedPage): string;
  extGState(fill: number, stroke: number): string;
}

/** Draws into one page. PDF coordinates: points, origin at the bottom-left corner. */
export interface ContentBuilder {
  save(): this;
  restore(): this;
  transform(a: number, b: number, c: number, d: number, e: number, f: number): this;
  fillColor(rgb: Rgb): this;
  strokeColor(rgb: Rgb): this;
  /** Fill and stroke alpha (0..1), through an ExtGState shared by every page of the document. */
  opacity(fill: number, stroke?: number): this;
  lineWidth(w: number): this;
  dash(pattern: number[], phase?: number): this;
  lineCap(c: 0 | 1 | 2): this;
  moveTo(x: number, y: number): this;
  lineTo(x: number, y: number): this;
  curveTo(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): this;
  rect(x: number, y: number, w: number, h: number): this;
  closePath(): this;
  fill(): this;
  stroke(): this;
  fillStroke(): this;
  /** Intersects the clipping path with the current path and ends the path (`W n`). */
  clip(): this;
  /**
   * Draws shaped glyphs from the baseline point (x, y). A TJ adjustment is written only where a glyph's
   * advance differs from its own width; `characterSpacing` (points) maps to Tc and is part of each advance.
   * Pass a PreparedFont (from `prepareFont(font, staticText)`) to use a template-specific base subset.
   */
  showGlyphs(
    font: EmbeddableFont | PreparedFont,
    size: number,
    x: number,
    y: number,
    glyphs: readonly GlyphPlacement[],
    options?: ShowGlyphsOptions,
  ): this;
  drawImage(image: PreparedImage, x: number, y: number, width: number, height: number): this;
  /** Places an imported page's visible box with its lower-left corner at (x, y), scaled. */
  drawPage(page: ImportedPage, x: number, y: number, scaleX: number, scaleY: number): this;
}

export interface ShowGlyphsOptions {
  characterSpacing?: number;
  /**
   * The run's text in reading order. When the glyphs alone would not extract as this text (right-to-left
   * runs drawn in visual order, marks, a glyph shared by two characters such as Arabic reh and zain), the
   * run is wrapped in an /ActualText span so selection, search and screen readers get the real text.
   */
  actualText?: string;
  /** The glyphs are a right-to-left run in visual order (extractors reverse them back). */
  rightToLeft?: boolean;
}

/** Operators are appended to one string; V8 ropes make this cheaper than an array join for small pages. */
export class ContentStream implements ContentBuilder {
  text = '';
  /**
   * Set by a tagged page (templates/pdf/structure.ts) when the owner of what is drawn next changes: the
   * marked-content operator that opens its sequence, written just before the next operator, so an
   * element that draws nothing leaves nothing behind.
   */
  opening: (() => string) | undefined;
  constructor(private readonly resources: PageResources) {}

  /** The text to append to: with the pending marked-content opening written first. */
  private lead(): string {
    const open = this.opening;
    if (open === undefined) return this.text;
    this.opening = undefined;
    return this.text + open();
  }

  save(): this {
    this.text = this.lead() + 'q\n';
    return this;
  }
  restore(): this {
    this.text = this.lead() + 'Q\n';
    return this;
  }
  transform(a: number, b: number, c: number, d: number, e: number, f: number): this {
    this.text = this.lead() + `${num(a)} ${num(b)} ${num(c)} ${num(d)} ${num(e)} ${num(f)} cm\n`;
    return this;
  }
  fillColor(rgb: Rgb): this {
    this.text = this.lead() + `${num(rgb[0])} ${num(rgb[1])} ${num(rgb[2])} rg\n`;
    return this;
  }
  strokeColor(rgb: Rgb): this {
    this.text = this.lead() + `${num(rgb[0])} ${num(rgb[1])} ${num(rgb[2])} RG\n`;
    return this;
  }
  opacity(fill: number, stroke = fill): this {
    this.text = this.lead() + `${this.resources.extGState(clamp01(fill), clamp01(stroke))} gs\n`;
    return this;
  }
  lineWidth(w: number): this {
    this.text = this.lead() + `${num(w)} w\n`;
    return this;
  }
  dash(pattern: number[], phase = 0): this {
    this.text = this.lead() + `[${pattern.map(num).join(' ')}] ${num(phase)} d\n`;
    return this;
  }
  lineCap(c: 0 | 1 | 2): this {
    this.text = this.lead() + `${c} J\n`;
    return this;
  }
  moveTo(x: number, y: number): this {
    this.text = this.lead() + `${num(x)} ${num(y)} m\n`;
    return this;
  }
  lineTo(x: number, y: number): this {
    this.text = this.lead() + `${num(x)} ${num(y)} l\n`;
    return this;
  }
  curveTo(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): this {
    this.text = this.lead() + `${num(x1)} ${num(y1)} ${num(x2)} ${num(y2)} ${num(x3)} ${num(y3)} c\n`;
    return this;
  }
  rect(x: number, y: number, w: number, h: number): this {
    this.text = this.lead() + `${num(x)} ${num(y)} ${num(w)} ${num(h)} re\n`;
    return this;
  }
  closePath(): this {
    this.text = this.lead() + 'h\n';
    return this;
  }
  fill(): this {
    this.text = this.lead() + 'f\n';
    return this;
  }
  stroke(): this {
    this.text = this.lead() + 'S\n';
    return this;
  }
  fillStroke(): this {
    this.text = this.lead() + 'B\n';
    return this;
  }
  clip(): this {
    this.text = this.lead() + 'W n\n';
    return this;
  }

  showGlyphs(
    font: EmbeddableFont | PreparedFont,
    size: number,
    x: number,
    y: number,
    glyphs: readonly GlyphPlacement[],
    options?: ShowGlyphsOptions,
  ): this {
    if (glyphs.length === 0 || size <= 0) return this;
    const prepared = font instanceof PreparedFont ? font : prepareFont(font);
    const { name, used } = this.resources.font(prepared);
    const tc = options?.characterSpacing ?? 0;
    const toThousandths = 1000 / size;
    let s = `BT\n${name} ${num(size)} Tf\n`;
    if (tc) s += `${num(tc)} Tc\n`;
    let pen = 0;
    let drawnText = '';
    let conflict = false;
    // Letter-spaced text makes extractors see one word per letter ("I N S T I T U T"): such runs carry ActualText.
    let spaced = false;
    // A glyph placed by GPOS (a mark over or under a letter) is drawn apart with its own matrix: extractors
    // take it for another word or line, so such runs carry ActualText too.
    let apart = false;
    // 0: no TJ array open; 1: array open, hex string open; 2: array open, last item a number
    let state = 0;
    for (let i = 0; i < glyphs.length; i++) {
      const g = glyphs[i]!;
      const gid = g.id;
      const known = used.get(gid);
      if (known === undefined) used.set(gid, g.text);
      else if (known !== g.text) conflict = true;
      drawnText += g.text;
      if (g.dx || g.dy) {
        // TJ can only move along the baseline: an offset glyph (a mark, a superscript) gets its own matrix.
        apart = true;
        if (state === 1) s += '>] TJ\n';
        else if (state === 2) s += '] TJ\n';
        state = 0;
        s += `1 0 0 1 ${num(x + pen + g.dx)} ${num(y + g.dy)} Tm <${HEX4[gid]}> Tj\n`;
        pen += g.advance;
        continue;
      }
      if (state === 0) s += `1 0 0 1 ${num(x + pen)} ${num(y)} Tm [<`;
      else if (state === 2) s += '<';
      s += HEX4[gid];
      state = 1;
      const adjust = prepared.width(gid) - (g.advance - tc) * toThousandths;
      if (adjust < -30) spaced = true;
      if (adjust > 0.005 || adjust < -0.005) {
        s += '>' + num(Math.round(adjust * 100) / 100);
        state = 2;
      }
      pen += g.advance;
    }
    if (state === 1) s += '>] TJ\n';
    else if (state === 2) s += '] TJ\n';
    s += 'ET\n';
    // Tc is graphics state and outlives ET: put it back so later text is not spaced by accident.
    if (tc) s += '0 Tc\n';
    // Extractors reverse a right-to-left run's letters; a mark drawn first has no direction of its own and
    // would be left out of the reversal, at the wrong end of the name: a right-to-left mark keeps it in.
    const visual = options?.rightToLeft ? drawnText.replace(/^\p{M}/u, '\u200f$&') : drawnText;
    const actual = options?.actualText ?? (conflict || spaced || apart ? visual : undefined);
    if (actual !== undefined && (conflict || spaced || apart || actual !== drawnText)) {
      s = `/Span <</ActualText <FEFF${utf16Hex(actual)}>>> BDC\n${s}EMC\n`;
    }
    this.text = this.lead() + s;
    return this;
  }

  drawImage(image: PreparedImage, x: number, y: number, width: number, height: number): this {
    this.text = this.lead() + `q\n${num(width)} 0 0 ${num(height)} ${num(x)} ${num(y)} cm\n${this.resources.image(image)} Do\nQ\n`;
    return this;
  }

  drawPage(page: ImportedPage, x: number, y: number, scaleX: number, scaleY: number): this {
    this.text = this.lead() + `q\n${num(scaleX)} 0 0 ${num(scaleY)} ${num(x)} ${num(y)} cm\n${this.resources.form(page)} Do\nQ\n`;
    return this;
  }
}

function clamp01(n: number): number {
  return n < 0 ? 0 : n > 1 ? 1 : n;
}
