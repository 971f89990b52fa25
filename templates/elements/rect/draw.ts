import type { RectElement } from './definition';
import { rgb, type LayoutContext } from '../../layout/context';
import type { ContentBuilder } from '../../pdf';

/** Bézier handle length for a quarter circle. */
const KAPPA = 0.5522847498;

/** `<rect>`: filled and/or stroked, optionally with rounded corners. */
export function drawRect(node: RectElement, ctx: LayoutContext): void {
  const box = { x: ctx.x(node.x), y: ctx.y(node.y), width: ctx.x(node.width), height: ctx.y(node.height) };
  ctx.record('rect', node.range, box);
  const stroke = node.stroke && node.strokeWidth > 0 ? node.stroke : undefined;
  if (!node.fill && !stroke) return;
  const radius = Math.min(ctx.x(node.radius), box.width / 2, box.height / 2);
  ctx.withBox(box, { opacity: node.opacity, rotate: node.rotate }, () => {
    const c = ctx.page.content;
    if (node.fill) c.fillColor(rgb(node.fill));
    if (stroke) c.strokeColor(rgb(stroke)).lineWidth(node.strokeWidth);
    roundedRect(c, box.x, ctx.pdfY(box.y + box.height), box.width, box.height, radius);
    if (node.fill && stroke) c.fillStroke();
    else if (node.fill) c.fill();
    else c.stroke();
  });
}

export function roundedRect(c: ContentBuilder, x: number, y: number, w: number, h: number, r: number): void {
  if (r <= 0) {
    c.rect(x, y, w, h);
    return;
  }
  const k = r * KAPPA;
  c.moveTo(x + r, y)
    .lineTo(x + w - r, y)
    .curveTo(x + w - r + k, y, x + w, y + r - k, x + w, y + r)
    .lineTo(x + w, y + h - r)
    .curveTo(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h)
    .lineTo(x + r, y + h)
    .curveTo(x + r - k, y + h, x, y + h - r + k, x, y + h - r)
    .lineTo(x, y + r)
    .curveTo(x, y + r - k, x + r - k, y, x + r, y)
    .closePath();
}
