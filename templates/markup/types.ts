import type { Range } from '../../variables/diagnostics';
import type { Length } from '../layout/units';
import type { MemberOf, NodeOf } from '../elements/definitions';
import type { PageNode } from '../elements/page/definition';

/**
 * The element tree that parsed certificate markup becomes. Lengths stay as written (unit and all) because
 * only the layout engine knows the page or container a percentage is of; sizes in points, colours and
 * angles are resolved here. Each element's node type lives in its definition
 * (templates/elements/<name>/definition.ts), its fields computed from its attributes; the unions below
 * are computed from the list of definitions, so a new element is in them without being named here.
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

export interface Located {
  /** The element's opening tag in the template source; absent when it came from data. */
  range?: Range;
}

export interface TextRun extends Located {
  kind: 'text';
  /** Entities decoded, whitespace collapsed; never markup. */
  text: string;
}

/** What a line of text holds: runs of text and the inline elements. */
export type InlineNode = TextRun | NodeOf<MemberOf<'inline'>>;

/** What a page holds: the positioned elements. */
export type MarkupElement = NodeOf<MemberOf<'positioned'>>;

export type { PageNode } from '../elements/page/definition';
export type { TextElement } from '../elements/text/definition';
export type { StyleNode, SpanNode, BreakNode } from '../elements/inline/definition';
export type { ImageElement } from '../elements/image/definition';
export type { QrElement } from '../elements/qr/definition';
export type { LineElement } from '../elements/line/definition';
export type { RectElement } from '../elements/rect/definition';
export type { WatermarkElement } from '../elements/watermark/definition';
export type { TableNode, RowNode, CellNode } from '../elements/table/definition';
export type { LinkNode, LinkArea } from '../elements/link/definition';
export type { PageBreakElement } from '../elements/page-break/definition';

export interface MarkupDocument {
  pages: PageNode[];
}
