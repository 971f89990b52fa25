import { analyzeTemplate } from '../../variables/analyzer';
import type { Diagnostic, Fix, Range } from '../../variables/diagnostics';
import { didYouMean, suggestion } from '../../variables/suggest';
import { resolvePageSetup } from '../../templates/layout/page';
import type { TemplateAssets } from '../../templates/assets';
import { MARKUP_CODES, parseMarkup } from '../../templates/markup/parse';
import { isElementName, VOCABULARY, type ElementSpec } from '../../templates/markup/vocabulary';
import { liquidRegions, maskLiquid, type LiquidRegion } from './regions';
import { declaredAssets, fontRoles, readTemplate, type TemplateView } from './template';
import type { DocLanguage, EditorDiagnostic } from './types';

/**
 * Every problem that can be found without data and without rendering: the front matter and the variable
 * declarations (as `compileTemplate` reads them), the page setup, the analyzer's (syntax, names, types,
 * filters, loops, optional values, personal data in public metadata) with its quick fixes, and the markup
 * read as written, with the Liquid left out.
 */
export function diagnose(source: string, language: DocLanguage = 'en'): EditorDiagnostic[] {
  const view = readTemplate(source);
  const out: Diagnostic[] = [...view.sourceDiagnostics];
  const fm = view.frontMatter;
  if (view.source && fm) {
    const source = view.source;
    out.push(...resolvePageSetup(fm, unloadedAssets(view), (p) => source.locate(p)).diagnostics);
    out.push(
      ...analyzeTemplate({
        body: view.body,
        bodyStart: view.bodyStart!,
        schema: view.schema,
        fragments: view.fragments,
        partials: view.partials,
        locale: view.locale,
        language,
      }),
    );
    out.push(...markupDiagnostics(view));
  }
  const placed = out.map((d): EditorDiagnostic =>
    d.range ? (d as EditorDiagnostic) : { ...d, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } } },
  );
  return placed.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
}

/**
 * The editor does not hold the asset files, so no asset has a known kind: the page setup then reports
 * only what the names alone tell (a background that is not declared), as it does for an asset that failed
 * to load. Nothing here reads an asset's content.
 */
function unloadedAssets(view: TemplateView): TemplateAssets {
  const names = declaredAssets(view).map((a) => a.name);
  const unavailable = (name: string): never => {
    throw new Error(`the asset "${name}" is not loaded in the editor`);
  };
  return {
    names: () => names,
    kind: () => undefined,
    image: () => undefined,
    pdfPage: (name) => unavailable(name),
    pdfPageCount: () => 0,
  };
}

const SPECS = VOCABULARY as Readonly<Record<string, ElementSpec>>;
/** Tags under which the same markup may be written twice (once per branch) or not at all. */
const BRANCHING = new Set(['if', 'unless', 'case', 'elsif', 'else', 'when']);

/**
 * The markup as written in the body, each Liquid region blanked: the markup parser then checks element
 * and attribute names, literal values, required attributes and nesting. A report that touches a `{% %}`
 * tag is dropped (the tag may add or remove what is reported), and so is a value check on a value
 * computed by `{{ }}`.
 */
function markupDiagnostics(view: TemplateView): Diagnostic[] {
  const bodyOffset = view.bodyOffset!;
  const regions = liquidRegions(view.body);
  const masked = maskLiquid(view.body, regions);
  const result = parseMarkup({ markup: masked, locate: (start, end) => view.lines.range(bodyOffset + start, bodyOffset + end) });
  const toLocal = (r: Range): [number, number] => [view.lines.offset(r.start) - bodyOffset, view.lines.offset(r.end) - bodyOffset];
  const touches = (r: Range | undefined, kinds: readonly LiquidRegion['kind'][]): boolean => {
    if (!r) return false;
    const [s, e] = toLocal(r);
    return regions.some((g) => kinds.includes(g.kind) && g.start < e && s < g.end);
  };
  const branching = regions.some((r) => r.tag !== undefined && BRANCHING.has(r.tag));
  const out: Diagnostic[] = [];
  for (const d of result.diagnostics) {
    if (touches(d.range, ['tag'])) continue;
    if ((d.code === MARKUP_CODES.invalidValue || d.code === MARKUP_CODES.urlRefused) && touches(d.range, ['output'])) continue;
    if (d.code === MARKUP_CODES.syntax && branching) {
      out.push({
        ...d,
        severity: 'warning',
        message: `${d.message} (Read without running the Liquid: if the tags differ between {% if %} branches, check each branch.)`,
      });
      continue;
    }
    out.push(d);
  }
  out.push(...nameChecks(view, masked));
  return out;
}

/**
 * Font roles and asset names written literally in the markup, checked against the front matter (the
 * layout reports the same at render time; here the designer sees it while typing).
 */
function nameChecks(view: TemplateView, masked: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bodyOffset = view.bodyOffset!;
  const roles = fontRoles(view);
  const assets = declaredAssets(view);
  const all = assets.map((a) => a.name);
  for (const tag of masked.matchAll(/<([\w-]+)(\s[^<>]*?)?\/?>/g)) {
    const element = tag[1]!;
    if (!isElementName(element) || !tag[2]) continue;
    const attrsStart = tag.index + 1 + element.length;
    for (const a of tag[2].matchAll(/([\w-]+)\s*=\s*(["'])([^"']*)\2/g)) {
      const spec = SPECS[element]!.attributes.find((s) => s.name === a[1]);
      const value = a[3]!;
      const valueStart = attrsStart + a.index + a[0].length - 1 - value.length;
      // A value with Liquid in it is blank in the masked text: it is known only when rendered.
      if (!spec || value.trim() === '' || view.body.slice(valueStart, valueStart + value.length) !== value) continue;
      const range = view.lines.range(bodyOffset + valueStart, bodyOffset + valueStart + value.length);
      const report = (stage: Diagnostic['stage'], code: string, message: string, candidates: readonly string[]): void => {
        const d: Diagnostic = { stage, code, severity: 'error', message, range };
        const hint = didYouMean(value, candidates);
        if (hint) d.fixes = [{ title: `Change to "${hint}"`, range, replacement: hint } satisfies Fix];
        out.push(d);
      };
      if (spec.type.kind === 'name' && spec.type.of === 'font role' && !roles.includes(value)) {
        report(
          'font',
          'FONT_UNKNOWN_ROLE',
          `There is no font role "${value}"; declare it under "fonts:" in the front matter.${suggestion(value, roles)}`,
          roles,
        );
      } else if (spec.type.kind === 'name' && spec.type.of === 'asset' && !all.includes(value)) {
        report('asset', 'ASSET_UNKNOWN', `There is no asset "${value}" in the front matter's "assets:".${suggestion(value, all)}`, all);
      } else if (spec.type.kind === 'text' && spec.type.assets && !value.startsWith('data:') && !all.includes(value)) {
        const kinds = spec.type.assets;
        const named = assets.filter((a) => a.kind === undefined || (kinds as readonly string[]).includes(a.kind)).map((a) => a.name);
        report(
          'asset',
          'ASSET_UNKNOWN',
          `There is no ${kinds.join(' or ')} asset "${value}" in the front matter's "assets:".${suggestion(value, named)}`,
          named,
        );
      }
    }
  }
  return out;
}
