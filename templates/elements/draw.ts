import type { LayoutContext } from '../layout/context';
import type { MemberOf, NodeOf } from './definitions';
import { drawImage } from './image/draw';
import { drawLine } from './line/draw';
import { drawLinkArea } from './link/draw';
import { drawPageBreak } from './page-break/draw';
import { drawQr } from './qr/draw';
import { drawRect } from './rect/draw';
import { drawTable } from './table/draw';
import { drawText } from './text/draw';
import { drawWatermark } from './watermark/draw';

/**
 * How each element that a page holds is laid out and drawn: the renderer's half of the element folders
 * (Node only: fonts, images, the PDF writer). Keyed by the names of definitions.ts, so an element
 * declared there without a drawer here is a compile error. Inline elements are laid out with the text
 * that holds them (templates/layout/text.ts).
 */
export type ElementDrawer<N> = (node: N, ctx: LayoutContext) => void;

type Positioned = MemberOf<'positioned'>;

export const DRAWERS = {
  text: drawText,
  image: drawImage,
  qr: drawQr,
  line: drawLine,
  rect: drawRect,
  watermark: drawWatermark,
  table: drawTable,
  link: drawLinkArea,
  'page-break': drawPageBreak,
} satisfies { [K in Positioned]: ElementDrawer<NodeOf<K>> };

export function drawElement(node: NodeOf<Positioned>, ctx: LayoutContext): void {
  (DRAWERS[node.kind] as ElementDrawer<typeof node>)(node, ctx);
}
