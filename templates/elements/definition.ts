import type { Box, Color, Length, PageSize } from '../markup/types';
import type { TableNode } from './table/definition';

/**
 * What an element *is*, browser-safe: its attributes and content model, its docs, how the editor may move
 * it and how the markup parser builds its node. Each `templates/elements/<name>/definition.ts` holds one
 * (or a family: a table and its rows); `definitions.ts` lists them, and the vocabulary, the node types, the
 * parser, the editor's completion, hover and handles and docs/markup.md are all read from that list.
 * How an element is laid out and drawn is its `draw.ts`, which only the renderer loads.
 */

export interface Doc {
  en: string;
  fr: string;
}

/** How an attribute value is written. `min`/`max` bound the number as written (before unit conversion). */
export type ValueType =
  /** `12mm`, `1.5in`, `2cm`, `30pt`, `50%`; a bare number is mm. */
  | { readonly kind: 'length'; readonly nonNegative?: boolean }
  /** 1 to 4 lengths, CSS order: all · vertical horizontal · top horizontal bottom · top right bottom left. */
  | { readonly kind: 'box' }
  /** One or more lengths separated by spaces (table columns). */
  | { readonly kind: 'lengths' }
  /** A size in points; a bare number is pt, `mm`, `cm` and `in` are converted. */
  | { readonly kind: 'points'; readonly min?: number; readonly max?: number }
  | { readonly kind: 'number'; readonly min?: number; readonly max?: number; readonly integer?: boolean }
  /** Degrees, clockwise (the page's y axis points down, as in CSS); `deg` may be written. */
  | { readonly kind: 'angle' }
  /** Dash and gap lengths in points, e.g. `3 2`. */
  | { readonly kind: 'dash' }
  | { readonly kind: 'color' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'page-size' }
  /**
   * Any text; `nonEmpty` when an empty value makes no sense (a QR code's value, an image's source).
   * `assets`: the text may also name an asset of these kinds (an image's source), which the editor
   * proposes and checks.
   */
  | { readonly kind: 'text'; readonly nonEmpty?: boolean; readonly assets?: readonly AssetKind[] }
  /** A name declared in the front matter: a font role or an asset (of the given kinds; any by default). */
  | { readonly kind: 'name'; readonly of: 'font role' | 'asset'; readonly assets?: readonly AssetKind[] }
  /**
   * Where a click goes: an `http:`, `https:` or `mailto:` address and nothing else. Templates are
   * untrusted, so `javascript:`, `file:` and the like are refused, with their own code.
   */
  | { readonly kind: 'url' };

/** The kinds of asset an attribute may name. */
export type AssetKind = 'image' | 'pdf';

/** What each kind of value becomes in the element tree. */
export interface ValueTypes {
  length: Length;
  box: Box;
  lengths: Length[];
  points: number;
  number: number;
  angle: number;
  dash: number[];
  color: Color;
  enum: string;
  'page-size': PageSize;
  text: string;
  name: string;
  url: string;
}

export interface AttributeSpec {
  /** As written in markup (kebab-case); the node field is its camelCase form (`line-height` → `lineHeight`). */
  readonly name: string;
  readonly type: ValueType;
  readonly required?: boolean;
  /** Applied by the parser when the attribute is absent, written as in markup. */
  readonly default?: string;
  /** When the default depends on the template (front matter, page) rather than being a fixed value. */
  readonly defaultDoc?: Doc;
  readonly doc: Doc;
}

/**
 * What an element may contain besides its child elements: nothing but whitespace, inline text (collapsed
 * like HTML, with `<b>`, `<i>`, … allowed by `children`), or plain text only.
 */
export type TextContent = 'none' | 'inline' | 'plain';

/**
 * The families of elements that go in the same places: what a page holds (placed by coordinates) and what
 * a line of text holds. An element says which it belongs to, a container which it holds, so a new element
 * appears in every place it may go without editing the containers.
 */
export type ContentGroup = 'positioned' | 'inline';

/** The attributes the editor rewrites when an element is dragged on the preview, per axis. */
export interface MoveAxes<Name extends string = string> {
  readonly h: readonly Name[];
  readonly v: readonly Name[];
}

/**
 * The attributes the editor changes when an element's box is resized on the canvas: those that grow with
 * the width (`w`) and with the height (`h`). The same attribute on both axes (a QR code's `size`) keeps
 * the element square.
 */
export interface ResizeAxes<Name extends string = string> {
  readonly w: readonly Name[];
  readonly h: readonly Name[];
}

/**
 * What the canvas's palette writes to place a new element: markup with `{x}`, `{y}` (the point clicked),
 * `{right}` and `{bottom}` (that point plus `width` and `height`, in millimetres) and `{asset}` (an image
 * asset of the template) filled in.
 */
export interface InsertSpec {
  readonly markup: string;
  readonly width: number;
  readonly height: number;
}

/** How the editor may handle an element on the canvas. */
export interface EditorSpec<Name extends string = string> {
  readonly move: MoveAxes<Name>;
  readonly resize?: ResizeAxes<Name>;
  readonly insert?: InsertSpec;
}

/** What the parser hands an element's `build` when its opening tag is read. */
export interface BuildContext {
  /** The attribute values read (camelCase fields, defaults applied) and the tag's `range` when known. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The element it is opened in (`(top level)` at the top). */
  readonly parent: string;
  /** The table being read, when the parent is a <table> or one of its row groups. */
  readonly table: TableNode | undefined;
  /** Whether an element of that name is open around this one, at any depth. */
  readonly inside: (name: string) => boolean;
  /** Reports a problem at the opening tag. */
  readonly report: (code: string, message: string) => void;
}

/** What `build` gives the parser: the node (none for a wrapper such as <thead>) and where content goes. */
export interface Built<N> {
  node?: N;
  /** Where child nodes (and, in inline content, text runs) go. */
  children?: unknown[];
  /** Collect character data as plain text for `close` (a watermark). */
  plain?: boolean;
  /** Set on a <table>, for its row groups. */
  table?: TableNode;
  /** What the element may hold here, when it differs by place (a <link> on a page holds nothing). */
  content?: { readonly children: readonly string[]; readonly text: TextContent };
}

export interface ElementDefinition<
  A extends readonly AttributeSpec[] = readonly AttributeSpec[],
  N = unknown,
  G extends readonly ContentGroup[] = readonly ContentGroup[],
> {
  readonly doc: Doc;
  readonly attributes: A;
  /** Child element names, or the group it holds. */
  readonly children: readonly string[] | ContentGroup;
  readonly text: TextContent;
  /** The groups it belongs to: where it may be written besides a container that names it. */
  readonly belongsTo?: G;
  /** A short, complete example for the docs and the editor's hover. */
  readonly example?: string;
  /** How the editor may move, resize and insert it on the canvas; absent: it stays where it is (a watermark, a page break). */
  readonly editor?: EditorSpec<A[number]['name']>;
  /** The parser's construction of the element's node from its attributes. */
  build(context: BuildContext): Built<N>;
  /** Runs when the closing tag is read: whitespace collapsed, plain text stored. */
  close?(node: N, plain: string | undefined): void;
}

/** Type-checks a definition (move axes against its own attributes) and keeps its literal types. */
export function defineElement<const A extends readonly AttributeSpec[], N, const G extends readonly ContentGroup[] = readonly []>(
  definition: ElementDefinition<A, N, G>,
): ElementDefinition<A, N, G> {
  return definition;
}

/** The parser's construction of an element that holds nothing: its node is its kind and its fields. */
export function leaf<N>(kind: string): (context: BuildContext) => Built<N> {
  return ({ fields }) => ({ node: { kind, ...fields } as N });
}

/** The usual move: x and y. */
export const MOVE_XY = { move: { h: ['x'], v: ['y'] } } as const;

/** The usual box: moved by x and y, resized by width and height. */
export const BOX_XY = { ...MOVE_XY, resize: { w: ['width'], h: ['height'] } } as const;

// The node fields are computed from the attribute lists so a field cannot exist in one and not the other.
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ValueOf<T> = T extends { kind: 'enum'; values: readonly (infer V)[] }
  ? V
  : T extends { kind: infer K extends keyof ValueTypes }
    ? ValueTypes[K]
    : never;
type AlwaysSet<A> = A extends { required: true } ? true : A extends { default: string } ? true : false;

/** Attributes as node fields: camelCase, typed, present when required or defaulted. */
export type Fields<L extends readonly AttributeSpec[]> = {
  -readonly [A in L[number] as AlwaysSet<A> extends true ? Camel<A['name']> : never]: ValueOf<A['type']>;
} & {
  -readonly [A in L[number] as AlwaysSet<A> extends true ? never : Camel<A['name']>]?: ValueOf<A['type']>;
};

/** `line-height` → `lineHeight`: how an attribute is named on its node. */
export function fieldName(attribute: string): string {
  return attribute.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
