import type { Liquid } from 'liquidjs';
import { LineIndex, hasErrors, DiagnosticError, type Diagnostic } from '../variables/diagnostics';
import type { Schema } from '../variables/types';
import { analyzeTemplate, type Language } from '../variables/analyzer';
import { parseTemplateSource, type FrontMatter, type TemplateSource } from './source/front-matter';
import { readContract } from './source/contract';
import { compileFragment, compileLiquid, createEngine, type CompiledLiquid, type LiquidLimits } from './liquid/engine';
import { prepareAssets, type AssetLoader, type TemplateAssets } from './assets';
import { FontLibrary, resolveRoles, type FontRoleSpec, type FontRoles } from './fonts';
import { resolvePageSetup, type PageSetup, type PageSpec } from './layout/page';

/**
 * Compiling happens once per template version: the front matter is checked, the Liquid parsed, the types
 * analyzed, the assets and fonts prepared. What comes out renders any number of documents without redoing
 * any of it.
 */
export interface CompiledTemplate {
  source: TemplateSource;
  frontMatter: FrontMatter;
  /** The catalogue plus the template's own declared variables: the data contract. */
  schema: Schema;
  /** Only the template's own declarations. */
  declared: Schema;
  locale: string;
  body: CompiledLiquid;
  metadata: {
    title?: (data: Record<string, unknown>) => string;
    author?: (data: Record<string, unknown>) => string;
    subject?: (data: Record<string, unknown>) => string;
    creator?: (data: Record<string, unknown>) => string;
    keywords: string[];
  };
  page: PageSetup;
  pageSpec: PageSpec;
  fonts: FontRoles;
  assets: TemplateAssets;
  lines: LineIndex;
  /** Warnings found while compiling (the analyzer's, unused assets, …). */
  warnings: Diagnostic[];
}

export interface CompileOptions {
  /** Reads an asset named in the front matter; files (CLI), uploads (server). Without it, assets are missing. */
  loadAsset?: AssetLoader;
  limits?: Partial<LiquidLimits>;
  /** Skip the static analysis (the server has already run it at save time). */
  analyze?: boolean;
  /** The language the analyzer's diagnostics are written in (English by default). */
  language?: Language;
}

export interface CompileResult {
  template?: CompiledTemplate;
  diagnostics: Diagnostic[];
}

/** Engines are per locale and partial set; most templates share the bundled few. */
const engineCache = new Map<string, Liquid>();
function engineFor(locale: string, mode: 'markup' | 'text', partials: Record<string, string>, limits?: Partial<LiquidLimits>): Liquid {
  const key = JSON.stringify([locale, mode, partials, limits ?? null]);
  let engine = engineCache.get(key);
  if (!engine) {
    engine = createEngine({ locale, mode, partials, ...(limits ? { limits } : {}) });
    if (engineCache.size > 200) engineCache.delete(engineCache.keys().next().value!);
    engineCache.set(key, engine);
  }
  return engine;
}

export async function compileTemplate(text: string, options: CompileOptions = {}): Promise<CompileResult> {
  const diagnostics: Diagnostic[] = [];
  const parsed = parseTemplateSource(text);
  diagnostics.push(...parsed.diagnostics);
  const source = parsed.source;
  if (!source || hasErrors(parsed.diagnostics)) return { diagnostics };
  const fm = source.frontMatter;
  const lines = new LineIndex(text);

  const contract = readContract(source);
  diagnostics.push(...contract.diagnostics);
  const schema = contract.schema;

  const markupEngine = engineFor(fm.locale, 'markup', fm.partials, options.limits);
  const textEngine = engineFor(fm.locale, 'text', fm.partials, options.limits);
  const language = options.language ?? 'en';
  const body = compileLiquid(markupEngine, source.body, { fileText: text, bodyOffset: source.bodyOffset, lines, language }, options.limits);
  diagnostics.push(...body.diagnostics);

  const metadata: CompiledTemplate['metadata'] = {
    keywords: Array.isArray(fm.metadata.keywords)
      ? fm.metadata.keywords
      : fm.metadata.keywords
        ? fm.metadata.keywords.split(/\s*,\s*/)
        : [],
  };
  const fragments = contract.fragments;
  for (const f of fragments) {
    const frag = compileFragment(textEngine, f.text, { fileText: text, offset: lines.offset(f.start), lines, what: f.name, language });
    diagnostics.push(...frag.diagnostics);
    if (frag.render) metadata[f.field] = frag.render;
  }

  if (options.analyze !== false && body.compiled) {
    diagnostics.push(
      ...analyzeTemplate({
        body: source.body,
        bodyStart: source.bodyStart,
        schema,
        fragments,
        partials: fm.partials,
        locale: fm.locale,
        language,
      }),
    );
  }

  const fontLibrary = new FontLibrary();
  const prepared = await prepareAssets(fm.assets, options.loadAsset ?? (() => undefined), fontLibrary, (p) => source.locate(p));
  diagnostics.push(...prepared.diagnostics);

  let fonts: FontRoles | undefined;
  try {
    fonts = resolveRoles(fontLibrary, roleSpecs(fm.fonts));
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    for (const d of e.diagnostics) diagnostics.push({ ...d, range: d.range ?? source.locate((d.path ?? 'fonts').split('.')) });
  }

  const page = resolvePageSetup(fm, prepared.assets, (p) => source.locate(p));
  diagnostics.push(...page.diagnostics);

  if (hasErrors(diagnostics) || !body.compiled || !fonts || !page.setup || !page.spec) return { diagnostics };
  const template: CompiledTemplate = {
    source,
    frontMatter: fm,
    schema,
    declared: contract.declared,
    locale: fm.locale,
    body: body.compiled,
    metadata,
    page: page.setup,
    pageSpec: page.spec,
    fonts,
    assets: prepared.assets,
    lines,
    warnings: diagnostics.filter((d) => d.severity !== 'error'),
  };
  return { template, diagnostics };
}

function roleSpecs(fonts: FrontMatter['fonts']): Record<string, FontRoleSpec> {
  const out: Record<string, FontRoleSpec> = {};
  for (const [role, spec] of Object.entries(fonts)) {
    if (typeof spec === 'string') out[role] = { family: spec };
    else {
      const s: FontRoleSpec = { family: spec.family };
      if (spec.weight !== undefined) s.weight = spec.weight;
      if (spec.style !== undefined) s.style = spec.style;
      if (spec.fallback !== undefined) s.fallback = spec.fallback;
      out[role] = s;
    }
  }
  return out;
}
