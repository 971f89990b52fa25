import { DEFINITIONS, type Definitions, type ElementName } from '../elements/definitions';
import type { AttributeSpec, ContentGroup, Doc, ElementDefinition, Fields, MoveAxes, TextContent } from '../elements/definition';

/**
 * The certificate markup vocabulary: every element, its attributes (type, default, one-line doc in
 * English and French) and what it may contain, as read from the element definitions
 * (templates/elements/<name>/definition.ts, listed in templates/elements/definitions.ts). The parser
 * validates against it, the editor uses it for completion, hover and the preview's handles, and
 * docs/markup.md is written from it.
 */

export type { AttributeSpec, ContentGroup, Doc, MoveAxes, TextContent, ValueType, ValueTypes } from '../elements/definition';
export { fieldName } from '../elements/definition';
export type { ElementName } from '../elements/definitions';

/** One element as the parser, the editor and the docs read it: its groups resolved to element names. */
export interface ElementSpec {
  readonly doc: Doc;
  readonly attributes: readonly AttributeSpec[];
  readonly children: readonly string[];
  readonly text: TextContent;
  /** A short, complete example for the docs and the editor's hover. */
  readonly example?: string;
  /** The attributes the editor rewrites to move it; absent when it cannot be moved. */
  readonly move?: MoveAxes;
}

const definitions = DEFINITIONS as Readonly<Record<ElementName, ElementDefinition>>;
const names = Object.keys(definitions) as ElementName[];

function members(group: ContentGroup): ElementName[] {
  return names.filter((n) => definitions[n].belongsTo?.includes(group));
}

export const VOCABULARY: Readonly<Record<ElementName, ElementSpec>> = Object.fromEntries(
  names.map((name) => {
    const d = definitions[name];
    const spec: ElementSpec = {
      doc: d.doc,
      attributes: d.attributes,
      children: typeof d.children === 'string' ? members(d.children) : d.children,
      text: d.text,
      ...(d.example !== undefined ? { example: d.example } : {}),
      ...(d.editor ? { move: d.editor.move } : {}),
    };
    return [name, spec];
  }),
) as Record<ElementName, ElementSpec>;

/** What may appear at the top level of the markup. */
export const TOP_LEVEL: readonly ElementName[] = ['page'];

/** The elements the editor lets a designer drag on the preview (the kinds of their drawn boxes). */
export const MOVABLE: ReadonlySet<string> = new Set(names.filter((n) => definitions[n].editor));

export function isElementName(name: string): name is ElementName {
  return Object.hasOwn(VOCABULARY, name);
}

export function elementSpec(name: ElementName): ElementSpec {
  return VOCABULARY[name];
}

/** The elements that may contain `name`, for "goes inside …" messages. */
export function parentsOf(name: string): string[] {
  const parents: string[] = [];
  if ((TOP_LEVEL as readonly string[]).includes(name)) parents.push('(top level)');
  for (const [parent, spec] of Object.entries<ElementSpec>(VOCABULARY)) if (spec.children.includes(name)) parents.push(parent);
  return parents;
}

/** The attributes of an element as node fields: camelCase, typed, present when required or defaulted. */
export type AttributesOf<E extends ElementName> = Fields<Definitions[E]['attributes']>;
