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
  for (const area of linkAreas(laid, x, top)) ctx.link(area.box, area.href);
  for (const line of laid.lines) {
    const baseline = ctx.pdfY(top + line.baseline);
    for (const run of line.runs) {
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
    }
  }
}

/**
 * The clickable areas of laid-out text: on each line, the runs of one link side by side make one area,
 * from the tallest ascent to the deepest descent among them.
 */
export function linkAreas(
  laid: LaidOutText,
  x: number,
  top: number,
): { href: string; box: { x: number; y: number; width: number; height: number } }[] {
  const areas: { href: string; box: { x: number; y: number; width: number; height: number } }[] = [];
  for (const line of laid.lines) {
    let open: { href: string; left: number; right: number; above: number; below: number } | undefined;
    const close = () => {
      if (!open) return;
      const y = top + line.baseline - open.above;
      areas.push({ href: open.href, box: { x: x + open.left, y, width: open.right - open.left, height: open.above + open.below } });
      open = undefined;
    };
    for (const run of line.runs) {
      if (run.link === undefined || run.link !== open?.href) close();
      if (run.link === undefined) continue;
      const k = run.size / run.face.unitsPerEm;
      const above = run.face.ascent * k;
      const below = run.face.descent * k;
      if (open) {
        open.right = run.x + run.width;
        open.above = Math.max(open.above, above);
        open.below = Math.max(open.below, below);
      } else open = { href: run.link, left: run.x, right: run.x + run.width, above, below };
    }
    close();
  }
  return areas;
}
