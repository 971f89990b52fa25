import { typeAt, type CursorInfo } from '../../variables/analyzer';
import { analysisEngine } from '../../variables/analyzer/parse';
import { filterSignatures } from '../../variables/filters/signatures';
import type { Position, Range } from '../../variables/diagnostics';
import { NAMED_COLORS } from '../../templates/markup/values';
import { PAPER_SIZES_MM } from '../../templates/layout/units';
import { isElementName, TOP_LEVEL, VOCABULARY, type AttributeSpec, type ElementSpec } from '../../templates/markup/vocabulary';
import { attributeDetail, attributeDoc, elementDoc, filterDetail, filterDoc, variableDetail, variableDoc } from './docs';
import { markupCursor } from './markup-context';
import { liquidRegions, maskLiquid, regionAt, type LiquidRegion } from './regions';
import { declaredAssets, fontRoles, readTemplate, type AssetKind, type TemplateView } from './template';
import type { CompletionItem, DocLanguage, LanguageOptions } from './types';

/**
 * What may be typed at a position of a template (1-based line and column, the column being where the
 * next character goes): variables, properties and filters inside Liquid, elements, attributes and values
 * in the markup, asset names where an asset is expected.
 */
export function completionsAt(source: string, position: Position, options: LanguageOptions = {}): CompletionItem[] {
  const language = options.language ?? 'en';
  const view = readTemplate(source);
  const offset = view.lines.offset(position);
  if (view.bodyOffset === undefined || offset < view.bodyOffset) return frontMatterCompletions(view, offset, position);
  const local = offset - view.bodyOffset;
  const regions = liquidRegions(view.body);
  const region = regionAt(regions, local);
  if (region) return liquidCompletions(view, region, local, position, language);
  return markupCompletions(view, maskLiquid(view.body, regions), local, position, language);
}

/** The range of the `length` characters before the cursor, on the cursor's line. */
function typed(position: Position, length: number): Range {
  return { start: { line: position.line, column: position.column - length }, end: position };
}

// ── Liquid ─────────────────────────────────────────────────────────────────────────────────────────

function liquidCompletions(
  view: TemplateView,
  region: LiquidRegion,
  local: number,
  position: Position,
  language: DocLanguage,
): CompletionItem[] {
  const before = view.body.slice(region.start, local);
  const tagName = /^\{%-?\s*(\w*)$/.exec(before);
  if (tagName) {
    return Object.keys(analysisEngine().tags)
      .filter((name) => /^\w+$/.test(name))
      .map((name) => ({
        label: name,
        kind: 'tag' as const,
        detail: 'Liquid tag',
        insertText: name,
        range: typed(position, tagName[1]!.length),
      }));
  }
  const info = typeAt(
    { body: view.body, bodyStart: view.bodyStart!, schema: view.schema, partials: view.partials, locale: view.locale },
    position,
  );
  const argument = filterArgument(before, position);
  const items: CompletionItem[] = argument ? [...argument] : [];
  const range = typed(position, info.prefix.length);
  switch (info.context) {
    case 'variable':
      // A filter's argument may be a variable too; the proposed values come first.
      for (const v of info.variables) {
        const flags = { optional: v.optional, personal: v.personal, origin: v.origin };
        const item: CompletionItem = {
          label: v.name,
          kind: 'variable',
          detail: variableDetail(v.type, flags, language),
          documentation: variableDoc(v.name, v.type, flags, v.variable, language),
          insertText: v.name,
          range,
        };
        if (v.origin !== 'data') item.preferred = true;
        items.push(item);
      }
      return items;
    case 'property':
      return propertyItems(info, before, range, language);
    case 'filter':
      return (info.filters ?? []).map((name) => {
        const s = filterSignatures[name]!;
        const required = s.args.filter((a) => !a.optional);
        const args = required.map((a, i) => (a.type === 'string' ? `"\${${i + 1}:${a.name}}"` : `\${${i + 1}:${a.name}}`));
        const item: CompletionItem = {
          label: name,
          kind: 'filter',
          detail: filterDetail(name, s, language),
          documentation: filterDoc(name, s, language),
          insertText: args.length ? `${name}: ${args.join(', ')}` : name,
          range,
        };
        if (args.length) item.snippet = true;
        if (s.origin === 'attest') item.preferred = true;
        return item;
      });
    case 'text':
      return items;
  }
}

function propertyItems(info: CursorInfo, before: string, range: Range, language: DocLanguage): CompletionItem[] {
  const path = /([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\.[\w-]*$/.exec(before)?.[1] ?? '';
  return (info.properties ?? []).map((p) => {
    const optional = p.variable ? !p.variable.required : false;
    const flags = { optional, personal: !!p.variable?.personal };
    return {
      label: p.name,
      kind: 'property' as const,
      detail: variableDetail(p.type, flags, language),
      documentation: variableDoc(`${path}.${p.name}`, p.type, flags, p.variable, language),
      insertText: p.name,
      range,
    };
  });
}

/** After `| date: ` (or a later argument): the values the filter table proposes for that argument. */
function filterArgument(before: string, position: Position): CompletionItem[] | undefined {
  const m = /\|\s*(\w+)\s*:((?:\s*(?:"[^"]*"|'[^']*'|[^,|"']+)\s*,)*)\s*(["']?)([\w-]*)$/.exec(before);
  if (!m) return undefined;
  const s = Object.hasOwn(filterSignatures, m[1]!) ? filterSignatures[m[1]!] : undefined;
  const index = (m[2]!.match(/,/g) ?? []).length;
  const arg = s?.args[index];
  if (!arg?.suggestions) return undefined;
  const quote = m[3]!;
  const range = typed(position, quote.length + m[4]!.length);
  return arg.suggestions.map((value) => ({
    label: `"${value}"`,
    kind: 'value' as const,
    detail: `${m[1]}: ${arg.name}`,
    insertText: `"${value}"`,
    range,
    preferred: true,
  }));
}

// ── Markup ─────────────────────────────────────────────────────────────────────────────────────────

const SPECS = VOCABULARY as Readonly<Record<string, ElementSpec>>;

function markupCompletions(view: TemplateView, masked: string, local: number, position: Position, language: DocLanguage): CompletionItem[] {
  const cursor = markupCursor(masked, local);
  const after = masked.slice(local, local + 200);
  switch (cursor.kind) {
    case 'content':
      return [];
    case 'element': {
      const range = typed(position, cursor.prefix.length);
      if (cursor.closing) {
        return cursor.parent
          ? [
              {
                label: `/${cursor.parent}`,
                kind: 'element',
                detail: `</${cursor.parent}>`,
                insertText: `${cursor.parent}>`,
                range,
                preferred: true,
              },
            ]
          : [];
      }
      const allowed =
        cursor.parent === undefined ? TOP_LEVEL : isElementName(cursor.parent) ? SPECS[cursor.parent]!.children : Object.keys(SPECS);
      // Renaming the element of a tag that is already written: the name alone.
      const existingTag = /^[\w-]*[^<\n]*>/.test(after);
      return Object.entries(SPECS).map(([name, spec]) => {
        const item: CompletionItem = {
          label: name,
          kind: 'element',
          detail: `<${name}>`,
          documentation: elementDoc(name, spec, language),
          insertText: existingTag ? name : elementSnippet(name, spec),
          range,
        };
        if (!existingTag) item.snippet = true;
        if (allowed.includes(name)) item.preferred = true;
        return item;
      });
    }
    case 'attribute': {
      if (!isElementName(cursor.element)) return [];
      const range = typed(position, cursor.prefix.length);
      const hasValue = /^[\w-]*\s*=/.test(after);
      return SPECS[cursor.element]!.attributes.filter((a) => !cursor.written.includes(a.name)).map((a) => {
        const item: CompletionItem = {
          label: a.name,
          kind: 'attribute',
          detail: attributeDetail(a),
          documentation: attributeDoc(cursor.element, a, language),
          insertText: hasValue ? a.name : `${a.name}="$1"`,
          range,
        };
        if (!hasValue) {
          item.snippet = true;
          item.retrigger = true;
        }
        if (a.required) item.preferred = true;
        return item;
      });
    }
    case 'value': {
      if (!isElementName(cursor.element)) return [];
      const spec = SPECS[cursor.element]!.attributes.find((a) => a.name === cursor.attribute);
      if (!spec) return [];
      const range = typed(position, cursor.prefix.length);
      return valueItems(view, spec).map((v) => ({ ...v, range }));
    }
  }
}

/** `text x="$1" y="$2" width="$3">$0</text>`: the element with what it cannot go without. */
function elementSnippet(name: string, spec: ElementSpec): string {
  const required = spec.attributes.filter((a) => a.required).map((a, i) => ` ${a.name}="$${i + 1}"`);
  const empty = spec.children.length === 0 && spec.text === 'none';
  return `${name}${required.join('')}${empty ? '/>' : `>$0</${name}>`}`;
}

type Proposal = Omit<CompletionItem, 'range'>;

function valueItems(view: TemplateView, spec: AttributeSpec): Proposal[] {
  const type = spec.type;
  const plain = (values: readonly string[], kind: CompletionItem['kind'], detail: string): Proposal[] =>
    values.map((v) => ({ label: v, kind, detail, insertText: v, ...(v === spec.default ? { preferred: true } : {}) }));
  const assets = (kinds: readonly AssetKind[]): Proposal[] =>
    declaredAssets(view)
      .filter((a) => a.kind === undefined || kinds.includes(a.kind))
      .map((a) => ({ label: a.name, kind: 'asset' as const, detail: a.file, insertText: a.name, preferred: true }));
  switch (type.kind) {
    case 'enum':
      return plain(type.values, 'value', spec.name);
    case 'color':
      return plain(Object.keys(NAMED_COLORS), 'value', 'colour');
    case 'page-size':
      return plain(Object.keys(PAPER_SIZES_MM), 'value', 'page size');
    case 'name':
      if (type.of === 'asset') return assets(type.assets ?? ['pdf', 'image']);
      return plain(fontRoles(view), 'font-role', 'font role');
    case 'text':
      // Text that may name an asset (an image's source; or an image from the data, written with {{ }}).
      return type.assets ? assets(type.assets) : [];
    default:
      return [];
  }
}

// ── Front matter ───────────────────────────────────────────────────────────────────────────────────

/** Asset names where the front matter expects one: a background, a font family from a font file. */
function frontMatterCompletions(view: TemplateView, offset: number, position: Position): CompletionItem[] {
  const lineStart = view.text.lastIndexOf('\n', offset - 1) + 1;
  const line = view.text.slice(lineStart, offset);
  const background = /(?:^\s*background:|\basset:)\s*(["']?)([\w.-]*)$/.exec(line);
  const family = /\bfamily:\s*(["']?)([\w.-]*)$/.exec(line);
  const m = background ?? family;
  if (!m) return [];
  const kinds: AssetKind[] = background ? ['pdf', 'image'] : ['font'];
  const range = typed(position, m[2]!.length);
  return declaredAssets(view)
    .filter((a) => a.kind === undefined || kinds.includes(a.kind))
    .map((a) => ({ label: a.name, kind: 'asset' as const, detail: a.file, insertText: a.name, range, preferred: true }));
}
