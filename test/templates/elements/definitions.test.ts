import { describe, expect, expectTypeOf, it } from 'vitest';
import { DEFINITIONS, type MemberOf, type NodeOf } from '../../../templates/elements/definitions';
import { DRAWERS } from '../../../templates/elements/draw';
import { elementIndex } from '../../../templates/markup/reference';
import { MOVABLE, VOCABULARY, type ElementSpec } from '../../../templates/markup/vocabulary';
import type { InlineNode, MarkupElement } from '../../../templates/markup';

const specs = Object.entries<ElementSpec>(VOCABULARY);

/**
 * The list of definitions is the one place an element is declared: these check what the compiler checks
 * too (a drawer per positioned element, move axes among the element's attributes), and that the places
 * that used to be written by hand now follow it.
 */
describe('the element definitions', () => {
  it('give every element a page may hold a drawer, keyed by the same names, and nothing else', () => {
    const positioned = specs.find(([n]) => n === 'page')![1].children;
    expect(positioned).toEqual(['text', 'image', 'qr', 'line', 'rect', 'watermark', 'table', 'link', 'page-break']);
    expect(Object.keys(DRAWERS).sort()).toEqual([...positioned].sort());
  });

  it('fill what a line of text holds from the inline group, in every container of inline text', () => {
    const inline = ['b', 'i', 'u', 'span', 'br', 'link'];
    for (const container of ['text', 'b', 'i', 'u', 'span', 'td', 'th', 'link'])
      expect(VOCABULARY[container as keyof typeof VOCABULARY].children, container).toEqual(inline);
  });

  it('say how the editor moves an element with its own attributes, and which elements stay put', () => {
    for (const [name, spec] of specs) {
      if (!spec.move) continue;
      const attributes = spec.attributes.map((a) => a.name);
      for (const a of [...spec.move.h, ...spec.move.v]) expect(attributes, `${name}: ${a}`).toContain(a);
    }
    expect([...MOVABLE].sort()).toEqual(['image', 'line', 'link', 'qr', 'rect', 'table', 'text']);
  });

  it('make the node types: the page holds the positioned nodes, text the inline ones', () => {
    expectTypeOf<MemberOf<'positioned'>>().toEqualTypeOf<
      'text' | 'image' | 'qr' | 'line' | 'rect' | 'watermark' | 'table' | 'link' | 'page-break'
    >();
    expectTypeOf<MemberOf<'inline'>>().toEqualTypeOf<'b' | 'i' | 'u' | 'span' | 'br' | 'link'>();
    expectTypeOf<MarkupElement['kind']>().toEqualTypeOf<
      'text' | 'image' | 'qr' | 'line' | 'rect' | 'watermark' | 'table' | 'link' | 'page-break'
    >();
    expectTypeOf<InlineNode['kind']>().toEqualTypeOf<'text' | 'b' | 'i' | 'u' | 'span' | 'br' | 'link'>();
    expectTypeOf<NodeOf<'td'>['kind']>().toEqualTypeOf<'cell'>();
    expectTypeOf<NodeOf<'link'>['href']>().toEqualTypeOf<string>();
    expect(Object.keys(DEFINITIONS)).toEqual(Object.keys(VOCABULARY));
  });

  it('write the element list for the README, one row per element', () => {
    const index = elementIndex();
    for (const [name] of specs) expect(index).toContain(`| \`<${name}>\` |`);
    expect(index).toContain('| `<link>` | `<page>`, `<text>`, `<b>`, `<i>`, `<u>`, `<span>`, `<td>`, `<th>`, `<link>` |');
  });
});
