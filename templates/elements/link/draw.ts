import type { LayoutContext } from '../../layout/context';
import { isArea, type LinkNode } from './definition';

/**
 * `<link>` on a page: a clickable area, nothing drawn. Links inside text are laid out with their words
 * (templates/layout/text.ts) and become areas the same way, through `ctx.link`.
 */
export function drawLinkArea(node: LinkNode, ctx: LayoutContext): void {
  // The parser leaves out an area without its four coordinates; this only keeps the type honest.
  if (!isArea(node)) return;
  const box = { x: ctx.x(node.x), y: ctx.y(node.y), width: ctx.x(node.width), height: ctx.y(node.height) };
  ctx.record('link', node.range, box);
  ctx.link(box, node.href);
}
