import type { WatermarkElement } from './definition';
import { rgb, type LayoutContext } from '../../layout/context';
import { layoutText, paintText } from '../../layout/text';

/** `<watermark>`: one line of large text, centred on the page, turned, see-through. */
export function drawWatermark(node: WatermarkElement, ctx: LayoutContext): void {
  const text = node.text.trim();
  if (!text) return;
  if (!ctx.hasRole(node.font, node.range)) return;
  paintWatermark(ctx, text, {
    font: node.font,
    size: node.size,
    color: rgb(node.color),
    opacity: node.opacity,
    angle: node.angle,
    range: node.range,
  });
}

/** Also used for the SPECIMEN mark on previews. */
export function paintWatermark(
  ctx: LayoutContext,
  text: string,
  o: { font: string; size: number; color: [number, number, number]; opacity: number; angle: number; range?: WatermarkElement['range'] },
): void {
  const diagonal = Math.hypot(ctx.width, ctx.height);
  const laid = layoutText(
    ctx,
    [
      {
        text,
        style: { role: o.font, bold: true, italic: false, underline: false, size: o.size, color: o.color, letterSpacing: o.size * 0.08 },
      },
    ],
    { width: diagonal * 0.9, align: 'center', fit: 'shrink', maxLines: 1, minSize: 8 },
    o.range,
  );
  const width = diagonal * 0.9;
  const box = { x: (ctx.width - width) / 2, y: (ctx.height - laid.height) / 2, width, height: laid.height };
  ctx.withBox(box, { opacity: o.opacity, rotate: o.angle }, () => paintText(ctx, laid, box.x, box.y));
  ctx.record('watermark', o.range, box);
}
