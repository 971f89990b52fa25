import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { VOCABULARY, type ElementSpec, type TextElement, type TableNode, type Length } from '../../../templates/markup';
import { renderReference, updateDocs } from '../../../templates/markup/reference';
import { DOCS_PATH } from '../../../templates/markup/write-docs';
import { parse } from './helpers';

/** Liquid out, plain markup in: what the examples look like once rendered (a link's address is one). */
function renderedLike(liquid: string): string {
  return liquid
    .replace(/href="\{\{.*?\}\}"/gs, 'href="https://attest.example.org/v/X"')
    .replace(/\{\{.*?\}\}/gs, 'x')
    .replace(/\{%.*?%\}/gs, '');
}

const specs = Object.entries<ElementSpec>(VOCABULARY);

describe('vocabulary', () => {
  it('every example in the vocabulary parses without a diagnostic', () => {
    const examples = specs.filter(([, s]) => s.example);
    // Elements without an example of their own (table parts) appear in another element's example.
    const shown = examples.map(([, s]) => s.example!).join('\n');
    for (const [name] of specs) expect(shown, name).toContain(`<${name}`);
    for (const [name, spec] of examples) {
      const markup = renderedLike(spec.example!);
      const r = parse(markup.startsWith('<page') ? markup : `<page>${markup}</page>`);
      expect({ name, diagnostics: r.diagnostics }).toEqual({ name, diagnostics: [] });
    }
  });

  it('the bundled example templates are valid markup', () => {
    const dir = new URL('../../../templates/examples/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.liquid'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const body = readFileSync(new URL(file, dir), 'utf8')
        .split(/^---\s*$/m)
        .slice(2)
        .join('---');
      const r = parse(renderedLike(body));
      expect({ file, diagnostics: r.diagnostics }).toEqual({ file, diagnostics: [] });
      expect(r.document!.pages.length).toBeGreaterThan(0);
    }
  });

  it('every attribute has both languages, a default or a word on it, and a consistent type', () => {
    for (const [name, spec] of specs) {
      expect(spec.doc.en && spec.doc.fr, name).toBeTruthy();
      const names = spec.attributes.map((a) => a.name);
      expect(new Set(names).size, name).toBe(names.length);
      for (const a of spec.attributes) {
        expect(a.doc.en && a.doc.fr, `${name}.${a.name}`).toBeTruthy();
        expect(a.name, `${name}.${a.name}`).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        // Required attributes have no default; optional ones say what happens without them.
        if (a.required) expect(a.default, `${name}.${a.name}`).toBeUndefined();
      }
      for (const child of spec.children) expect(Object.keys(VOCABULARY), `${name} > ${child}`).toContain(child);
    }
  });

  it('node types follow the vocabulary', () => {
    expectTypeOf<TextElement['align']>().toEqualTypeOf<'left' | 'center' | 'right' | 'justify' | 'start' | 'end' | undefined>();
    expectTypeOf<TextElement['lineHeight']>().toEqualTypeOf<number>();
    expectTypeOf<TableNode['continueY']>().toEqualTypeOf<Length | undefined>();
    expect(specs.find(([n]) => n === 'table')![1].attributes.some((a) => a.name === 'continue-y')).toBe(true);
  });
});

describe('docs/markup.md', () => {
  it('is up to date with the vocabulary (run node --import tsx templates/markup/write-docs.ts)', () => {
    const docs = readFileSync(DOCS_PATH, 'utf8');
    expect(updateDocs(docs) === docs).toBe(true);
  });

  it('documents every element and attribute', () => {
    const reference = renderReference();
    for (const [name, spec] of specs) {
      expect(reference).toContain(`### \`<${name}>\``);
      for (const a of spec.attributes) expect(reference).toContain(`| \`${a.name}\` |`);
    }
  });

  it('the stale check notices a change', () => {
    const docs = readFileSync(DOCS_PATH, 'utf8');
    const tampered = docs.replace('| `valign` |', '| `vertical-align` |');
    expect(tampered).not.toBe(docs);
    expect(updateDocs(tampered)).toBe(docs);
  });
});
