import type { Range } from '../../variables/diagnostics';
import type { Color, InlineNode } from '../markup';
import { layoutParagraph, type LaidOutText, type ParagraphOptions, type TextSpan, type TextStyle } from '../text';
import type { LayoutContext } from './context';

/** The plain style a box's attributes give its text; inline markup then adds bold, italic, spans. */
export function boxStyle(box: { font: string; size: number; color: Color; letterSpacing?: number }): TextStyle {
  return {
    role: box.font,
    bold: false,
    italic: false,
    underline: false,
    size: box.size,
    color: [box.color.r, box.color.g, box.color.b],
    letterSpacing: box.letterSpacing ?? 0,
  };
}

/**
 * Text as the text box, table cells and the watermark share it: inline markup becomes styled spans, the
 * text engine lays them out, and the result is painted glyph run by glyph run.
 */
export function inlineToSpans(nodes: readonly InlineNode[], style: TextStyle, out: TextSpan[] = []): TextSpan[] {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        if (node.text) out.push({ text: node.text, style, origin: node.range });
        break;
      case 'br':
        out.push({ text: '\n', style, origin: node.range });
        break;
      case 'b':
        inlineToSpans(node.children, { ...style, bold: true }, out);
        break;
      case 'i':
        inlineToSpans(node.children, { ...style, italic: true }, out);
        break;
      case 'u':
        inlineToSpans(node.children, { ...style, underline: true }, out);
        break;
      case 'span': {
        const s: TextStyle = { ...style };
        if (node.lang !== undefined) s.lang = node.lang;
        if (node.font !== undefined) s.role = node.font;
        if (node.size !== undefined) s.size = node.size;
        if (node.color !== undefined) s.color = [node.color.r, node.color.g, node.color.b];
        if (node.letterSpacing !== undefined) s.letterSpacing = node.letterSpacing;
        inlineToSpans(node.children, s, out);
        break;
      }
      case 'link':
        inlineToSpans(node.children, { ...style, link: node.href }, out);
        break;
      default: {
        // An inline element added to the definitions must say here how its text is laid out.
        const unhandled: never = node;
        throw new Error(`no layout for inline <${(unhandled as InlineNode).kind}>`);
      }
    }
  }
  return out;
}

/** Lays out spans and turns the text engine's warnings into diagnostics placed in the template. */
export function layoutText(ctx: LayoutContext, spans: TextSpan[], options: ParagraphOptions, range: Range | undefined): LaidOutText {
  const laid = layoutParagraph(spans, ctx.template.fonts, options);
  for (const w of laid.warnings) {
    const where = (w.origin as Range | undefined) ?? range;
    ctx.report('font', w.code, 'warning', w.message, where);
  }
  return laid;
}

/**
 * Paints laid-out text with its box's top-left corner at (x, top), in markup coordinates (points); words
 * inside a `<link>` become clickable areas, one per line they are on.
 */
export function paintText(ctx: LayoutContext, laid: LaidOutText, x: number, top: number): void {
  const c = ctx.page.content;
  let color: string | undefined;
  const areas = linkAreas(laid, x, top);
  const tags = ctx.page.tags;
  if (!tags) for (const area of areas) ctx.link(area.box, area.href);
  // Tagged: each link area is a Link element around its runs and its annotation, and runs in another
  // language (a <span lang>) are a Span with their /Lang, inside the paragraph, in reading order.
  let area = 0;
  let inLink = false;
  let lang: string | undefined;
  const closeLang = () => {
    if (lang !== undefined) tags?.close();
    lang = undefined;
  };
  laid.lines.forEach((line, lineIndex) => {
    const baseline = ctx.pdfY(top + line.baseline);
    line.runs.forEach((run, runIndex) => {
      if (tags) {
        const a = areas[area];
        if (inLink && a && a.line === lineIndex && runIndex === a.to + 1) {
          closeLang();
          tags.close();
          inLink = false;
          area++;
        }
        const next = areas[area];
        if (!inLink && next && next.line === lineIndex && next.from === runIndex) {
          closeLang();
          tags.open('Link');
          ctx.link(next.box, next.href, next.text);
          inLink = true;
        }
        if (run.lang !== lang) {
          closeLang();
          if (run.lang !== undefined) {
            tags.open('Span', { lang: run.lang, ...(isRightToLeft(run.lang) ? { rightToLeft: true } : {}) });
            lang = run.lang;
          }
        }
      }
      const key = run.color.join(',');
      if (key !== color) {
        c.fillColor(run.color);
        color = key;
      }
      // Left-to-right runs carry their text (marks, ligatures); right-to-left runs are in visual order, which
      // is what extractors expect of glyphs, so the writer adds ActualText there only when a glyph is shared
      // or drawn apart, in visual order too.
      c.showGlyphs(
        run.face,
        run.size,
        x + run.x,
        baseline,
        run.glyphs,
        run.bidiLevel % 2 ? { rightToLeft: true } : { actualText: run.text },
      );
      if (run.underline) {
        c.rect(x + run.x, ctx.pdfY(top + run.underline.y) - run.underline.thickness / 2, run.width, run.underline.thickness).fill();
      }
    });
    if (tags && inLink && areas[area]?.line === lineIndex) {
      closeLang();
      tags.close();
      inLink = false;
      area++;
    }
  });
  closeLang();
}

/** Languages written right to left (their primary subtag), for the structure's writing mode. */
const RIGHT_TO_LEFT = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'ha', 'he', 'iw', 'khw', 'ks', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

export function isRightToLeft(lang: string): boolean {
  return RIGHT_TO_LEFT.has(lang.toLowerCase().split(/[-_]/)[0]!);
}

/** Whether a paragraph reads right to left: as written, or (auto) by its first strong letter. */
export function paragraphIsRightToLeft(laid: LaidOutText, direction: 'auto' | 'ltr' | 'rtl'): boolean {
  if (direction !== 'auto') return direction === 'rtl';
  for (const line of laid.lines) {
    // Runs are in visual order; the logical first one is the one with the lowest level at the reading start.
    const text = line.runs.map((r) => r.text).join('');
    const strong = /[\p{L}]/u.exec(text);
    if (strong) return /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u.test(strong[0]);
  }
  return false;
}

/**
 * The clickable areas of laid-out text: on each line, the runs of one link side by side make one area,
 * from the tallest ascent to the deepest descent among them.
 */
export function linkAreas(laid: LaidOutText, x: number, top: number): LinkArea[] {
  const areas: LinkArea[] = [];
  laid.lines.forEach((line, lineIndex) => {
    let open: { href: string; left: number; right: number; above: number; below: number; from: number; text: string } | undefined;
    let runIndex = 0;
    const close = () => {
      if (!open) return;
      const y = top + line.baseline - open.above;
      areas.push({
        href: open.href,
        box: { x: x + open.left, y, width: open.right - open.left, height: open.above + open.below },
        line: lineIndex,
        from: open.from,
        to: runIndex - 1,
        text: open.text.trim(),
      });
      open = undefined;
    };
    for (; runIndex < line.runs.length; runIndex++) {
      const run = line.runs[runIndex]!;
      if (run.link === undefined || run.link !== open?.href) close();
      if (run.link === undefined) continue;
      const k = run.size / run.face.unitsPerEm;
      const above = run.face.ascent * k;
      const below = run.face.descent * k;
      if (open) {
        open.right = run.x + run.width;
        open.above = Math.max(open.above, above);
        open.below = Math.max(open.below, below);
        open.text += run.text;
      } else open = { href: run.link, left: run.x, right: run.x + run.width, above, below, from: runIndex, text: run.text };
    }
    close();
  });
  return areas;
}

/** A clickable area of laid-out text: its box, and the runs of its line it covers (`from` to `to`, as drawn). */
export interface LinkArea {
  href: string;
  box: { x: number; y: number; width: number; height: number };
  line: number;
  from: number;
  to: number;
  /** The words of the link on that line: the annotation's description. */
  text: string;
}
