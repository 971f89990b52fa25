import { ENTITIES } from './entities';
import { describeType, NAMED_COLORS } from './values';
import { VOCABULARY, parentsOf, type ElementSpec } from './vocabulary';

/**
 * The reference part of docs/markup.md, written from the vocabulary so the docs cannot drift from what
 * the parser accepts. write-docs.ts puts it between the markers; a test fails when the file is stale.
 */
export const BEGIN_MARKER = '<!-- BEGIN GENERATED: node --import tsx templates/markup/write-docs.ts -->';
export const END_MARKER = '<!-- END GENERATED -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Element names in the vocabulary's sentences would read as HTML in Markdown. */
function prose(text: string): string {
  return text.replace(/(?<!`)(<[a-z][a-z-]*\/?>)(?!`)/g, '`$1`');
}

function code(text: string): string {
  return '`' + text + '`';
}

function showCharacter(c: string): string {
  const point = 'U+' + c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return /[\s\u00AD]/.test(c) ? point : `${code(c)} ${point}`;
}

export function renderReference(): string {
  const out: string[] = [];
  for (const [name, spec] of Object.entries<ElementSpec>(VOCABULARY)) {
    out.push(`### \`<${name}>\``, '', prose(spec.doc.en), '');
    const where = parentsOf(name).map((p) => (p.startsWith('(') ? 'the top level' : code(`<${p}>`)));
    out.push(`- Goes in: ${where.join(', ')}.`);
    const content = [
      ...(spec.text === 'inline' ? ['text'] : spec.text === 'plain' ? ['plain text'] : []),
      ...spec.children.map((c) => code(`<${c}>`)),
    ];
    out.push(`- Contains: ${content.length ? content.join(', ') : 'nothing (write it as ' + code(`<${name}/>`) + ')'}.`, '');
    if (spec.attributes.length) {
      out.push('| attribute | value | default | meaning |', '| --- | --- | --- | --- |');
      for (const a of spec.attributes) {
        const fallback = a.required ? '**required**' : a.default !== undefined ? code(a.default) : (a.defaultDoc?.en ?? '—');
        out.push(`| ${code(a.name)} | ${cell(describeType(a.type))} | ${cell(fallback)} | ${cell(prose(a.doc.en))} |`);
      }
      out.push('');
    }
    if (spec.example) out.push('```liquid', spec.example, '```', '');
  }
  out.push('### Colour names', '', Object.keys(NAMED_COLORS).map(code).join(', '), '');
  out.push(
    '### Named entities',
    '',
    'Besides any character written as itself or as a number (`&#160;`, `&#xA0;`):',
    '',
    '| entity | character |',
    '| --- | --- |',
    ...Object.entries(ENTITIES).map(([n, c]) => `| ${code(`&${n};`)} | ${showCharacter(c)} |`),
    '',
  );
  return out.join('\n');
}

/**
 * The element list for the README (its generated section `elements`, once scripts/readme.ts lists it):
 * one row per element, from the same definitions, so a new element appears there without an edit.
 */
export function elementIndex(): string {
  const out = ['| element | goes in | what it is |', '| --- | --- | --- |'];
  for (const [name, spec] of Object.entries<ElementSpec>(VOCABULARY)) {
    const where = parentsOf(name).map((p) => (p.startsWith('(') ? 'top level' : code(`<${p}>`)));
    out.push(`| ${code(`<${name}>`)} | ${cell(where.join(', '))} | ${cell(prose(spec.doc.en))} |`);
  }
  return out.join('\n');
}

/** `document` with its generated block replaced by the current reference. */
export function updateDocs(document: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin < 0 || end < begin) throw new Error(`docs/markup.md has lost its markers (${BEGIN_MARKER} … ${END_MARKER})`);
  return document.slice(0, begin + BEGIN_MARKER.length) + '\n\n' + renderReference() + '\n' + document.slice(end);
}
