import type { TextElement } from './definition';
import type { LayoutContext } from '../../layout/context';
import { boxStyle, inlineToSpans, isRightToLeft, layoutText, paintText, paragraphIsRightToLeft } from '../../layout/text';
import type { StructAttributes, StructType } from '../../pdf/structure';

/** `<text>`: a box of wrapped, styled text. A box without height grows with its text. */
export function drawText(node: TextElement, ctx: LayoutContext): void {
  const x = ctx.x(node.x);
  const y = ctx.y(node.y);
  const width = ctx.x(node.width);
  const height = node.height ? ctx.y(node.height) : undefined;
  if (!ctx.hasRole(node.font, node.range)) return;
  const spans = inlineToSpans(node.content, boxStyle(node));
  // A name with fit="shrink" and nothing to bound it must stay on one line: that is what shrinking means.
  const maxLines = node.maxLines ?? (node.fit === 'shrink' && height === undefined ? 1 : undefined);
  const laid = layoutText(
    ctx,
    spans,
    {
      width,
      ...(height !== undefined ? { height } : {}),
      ...(node.align ? { align: node.align } : {}),
      valign: node.valign,
      lineHeight: node.lineHeight,
      fit: node.fit,
      minSize: node.minSize,
      ...(maxLines !== undefined ? { maxLines } : {}),
      direction: node.direction,
    },
    node.range,
  );
  if (laid.overflow) {
    ctx.report(
      'layout',
      'LAYOUT_TEXT_OVERFLOW',
      'warning',
      node.fit === 'shrink'
        ? `The text does not fit its box even at ${node.minSize} pt; give the box more room or a smaller min-size.`
        : 'The text does not fit its box; give it more room, fit="shrink" or max-lines.',
      node.range,
    );
  }
  const box = { x, y, width, height: height ?? laid.height };
  const paint = () => ctx.withBox(box, { opacity: node.opacity, rotate: node.rotate }, () => paintText(ctx, laid, x, y));
  if (!ctx.tagged) paint();
  else if (node.tag === 'artifact') ctx.artifact(paint);
  else {
    const attributes: StructAttributes = {};
    // The document's own language is the catalog's /Lang: only another one is worth saying.
    if (node.lang && primary(node.lang) !== primary(ctx.template.locale)) attributes.lang = node.lang;
    if (paragraphIsRightToLeft(laid, node.direction) || (node.lang !== undefined && isRightToLeft(node.lang)))
      attributes.rightToLeft = true;
    // Right-to-left runs are drawn in visual order, which is what text extraction expects of glyphs; the
    // element says its text in reading order for assistive technology.
    if (laid.lines.some((l) => l.runs.some((r) => r.bidiLevel % 2 === 1)))
      attributes.actualText = laid.lines.map((l) => logicalLine(l.runs)).join(' ');
    ctx.tag(node.tag.toUpperCase() as StructType, attributes, paint);
  }
  ctx.record('text', node.range, box);
}

function primary(lang: string): string {
  return lang.toLowerCase().split(/[-_]/)[0]!;
}

/** A line's text in reading order: runs are drawn left to right, so a right-to-left line reads them backwards. */
function logicalLine(runs: readonly { text: string; bidiLevel: number }[]): string {
  const rtl = runs.length > 0 && runs.every((r) => r.bidiLevel % 2 === 1);
  return (rtl ? [...runs].reverse() : runs).map((r) => r.text).join('');
}
