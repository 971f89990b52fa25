import { b, br, i, span, u } from './inline/definition';
import { image } from './image/definition';
import { line } from './line/definition';
import { link } from './link/definition';
import { page } from './page/definition';
import { pageBreak } from './page-break/definition';
import { qr } from './qr/definition';
import { rect } from './rect/definition';
import { table, tbody, td, th, thead, tr } from './table/definition';
import { text } from './text/definition';
import { watermark } from './watermark/definition';

/**
 * Every element of the certificate markup, by the name it is written with: the one list of definitions.
 * A new element is a folder (its definition.ts and draw.ts) plus a line here and a line in draw.ts, which
 * is keyed by the same names so a missing drawer is a compile error. The order is the docs' and the
 * editor's order, and the order of "you can use …" in messages.
 */
export const DEFINITIONS = {
  page,
  text,
  b,
  i,
  u,
  span,
  br,
  image,
  qr,
  line,
  rect,
  watermark,
  table,
  thead,
  tbody,
  tr,
  td,
  th,
  link,
  'page-break': pageBreak,
};

export type Definitions = typeof DEFINITIONS;
export type ElementName = keyof Definitions;

/** The node an element's definition builds (none for a wrapper such as <thead>). */
export type NodeOf<E extends ElementName> = NonNullable<ReturnType<Definitions[E]['build']>['node']>;

/** The elements that belong to a group (`belongsTo`). */
export type MemberOf<G extends string> = {
  [E in ElementName]: Definitions[E] extends { belongsTo?: infer B }
    ? B extends readonly (infer M)[]
      ? G extends M
        ? E
        : never
      : never
    : never;
}[ElementName];
