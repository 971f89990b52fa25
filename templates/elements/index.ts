import type { MarkupElement } from '../markup';
import type { LayoutContext } from '../layout/context';
import { drawText } from './text';
import { drawImage } from './image';
import { drawQr } from './qr';
import { drawLine } from './line';
import { drawRect } from './rect';
import { drawWatermark } from './watermark';
import { drawTable } from './table';

type Drawable = Exclude<MarkupElement, { kind: 'page-break' }>;
type DrawFn<K extends Drawable['kind']> = (node: Extract<Drawable, { kind: K }>, ctx: LayoutContext) => void;

/** One plugin per element: adding an element is a folder here plus its entry in markup/vocabulary.ts. */
export const elements: { [K in Drawable['kind']]: DrawFn<K> } = {
  text: drawText,
  image: drawImage,
  qr: drawQr,
  line: drawLine,
  rect: drawRect,
  watermark: drawWatermark,
  table: drawTable,
};

export function drawElement(node: Drawable, ctx: LayoutContext): void {
  (elements[node.kind] as DrawFn<typeof node.kind>)(node as never, ctx);
}
