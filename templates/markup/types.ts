import type { Range } from '../../variables/diagnostics';
import type { Length } from '../layout/units';
import type { AttributesOf } from './vocabulary';

/**
 * The element tree that parsed certificate markup becomes. Lengths stay as written (unit and all) because
 * only the layout engine knows the page or container a percentage is of; sizes in points, colours and
 * angles are resolved here. Attribute fields come from vocabulary.ts (camelCase of the attribute name).
 */
export type { Length, Unit } from '../layout/units';

/** Each channel 0..1. */
export interface Color {
  r: number;
  g: number;
  b: number;
}

/** Margins and paddings, written as 1 to 4 lengths in CSS order. */
export interface Box {
  top: Length;
  right: Length;
  bottom: Length;
  left: Length;
}

/** Portrait width and height (named sizes resolved); `orientation` says whether to swap them. */
export interface PageSize {
  width: Length;
  height: Length;
  /** A4, Letter, … when written by name. */
  name?: string;
}

interface Located {
  /** The element's opening tag in the template source; absent when it came from data. */
  range?: Range;
}

export interface TextRun extends Located {
  kind: 'text';
  /** Entities decoded, whitespace collapsed; never markup. */
  text: string;
}
export interface StyleNode extends Located {
  kind: 'b' | 'i' | 'u';
  children: InlineNode[];
}
export interface SpanNode extends Located, AttributesOf<'span'> {
  kind: 'span';
  children: InlineNode[];
}
export interface BreakNode extends Located {
  kind: 'br';
}
export type InlineNode = TextRun | StyleNode | SpanNode | BreakNode;

export interface TextElement extends Located, AttributesOf<'text'> {
  kind: 'text';
  content: InlineNode[];
}
export interface ImageElement extends Located, AttributesOf<'image'> {
  kind: 'image';
}
export interface QrElement extends Located, AttributesOf<'qr'> {
  kind: 'qr';
}
export interface LineElement extends Located, AttributesOf<'line'> {
  kind: 'line';
}
export interface RectElement extends Located, AttributesOf<'rect'> {
  kind: 'rect';
}
export interface WatermarkElement extends Located, AttributesOf<'watermark'> {
  kind: 'watermark';
  text: string;
}
export interface CellNode extends Located, AttributesOf<'td'> {
  kind: 'cell';
  /** Written as <th>: bold, and in the header colours inside <thead>. */
  header: boolean;
  content: InlineNode[];
}
export interface RowNode extends Located {
  kind: 'row';
  cells: CellNode[];
}
export interface TableNode extends Located, AttributesOf<'table'> {
  kind: 'table';
  /** <thead> rows: drawn first, and again at the top of every page the table flows onto. */
  header: RowNode[];
  body: RowNode[];
}
export interface PageBreakElement extends Located {
  kind: 'page-break';
}

export type MarkupElement =
  | TextElement
  | ImageElement
  | QrElement
  | LineElement
  | RectElement
  | WatermarkElement
  | TableNode
  | PageBreakElement;

export interface PageNode extends Located, AttributesOf<'page'> {
  kind: 'page';
  elements: MarkupElement[];
}

export interface MarkupDocument {
  pages: PageNode[];
}
