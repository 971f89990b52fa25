import type { LineElement } from './definition';
import { rgb, type LayoutContext } from '../../layout/context';

/** `<line>`: a straight stroke between two points. */
export function drawLine(node: LineElement, ctx: LayoutContext): void {
  const x1 = ctx.x(node.x1);
  const y1 = ctx.y(node.y1);
  const x2 = ctx.x(node.x2);
  const y2 = ctx.y(node.y2);
  const box = { x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
  ctx.record('line', node.range, box);
  if (node.width <= 0) return;
  ctx.withBox(box, { opacity: node.opacity }, () => {
    const c = ctx.page.content.save().strokeColor(rgb(node.color)).lineWidth(node.width);
    if (node.dash && node.dash.length) c.dash(node.dash);
    c.moveTo(x1, ctx.pdfY(y1)).lineTo(x2, ctx.pdfY(y2)).stroke().restore();
  });
}
