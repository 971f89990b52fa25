import type { LayoutContext } from '../../layout/context';
import type { PageBreakElement } from './definition';

/** `<page-break/>`: what follows goes on a new page like this one. */
export function drawPageBreak(node: PageBreakElement, ctx: LayoutContext): void {
  ctx.continuePage(node.range);
}
