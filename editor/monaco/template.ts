import { parse as parseYaml } from 'yaml';
import { catalogue } from '../../variables/catalogue';
import { LineIndex, type Diagnostic, type Position } from '../../variables/diagnostics';
import type { Fragment } from '../../variables/analyzer';
import type { Schema } from '../../variables/types';
import { readContract } from '../../templates/source/contract';
import { parseTemplateSource, type FrontMatter, type TemplateSource } from '../../templates/source/front-matter';

/**
 * What the editor knows about one version of the text: the front matter and the data contract read by the
 * same functions the compiler uses (templates/source/), and where the Liquid body sits. Completion, hover
 * and diagnostics all start from here, so they agree with `compileTemplate` on every position.
 */
export interface TemplateView {
  text: string;
  lines: LineIndex;
  /** Undefined while the front matter does not parse; the body is then located by its fences alone. */
  source?: TemplateSource;
  frontMatter?: FrontMatter;
  /** Problems of the front matter and of the `variables:` declarations. */
  sourceDiagnostics: Diagnostic[];
  /** The catalogue plus the template's declarations (the catalogue alone when they cannot be read). */
  schema: Schema;
  /** Only the template's declarations (none when they cannot be read). */
  declared: Schema;
  /** Offset of the Liquid body in the text, or undefined when the text has no complete front matter. */
  bodyOffset?: number;
  bodyStart?: Position;
  body: string;
  partials: Readonly<Record<string, string>>;
  locale: string;
  /** Metadata fields hold Liquid too; the analyzer checks them as public fragments. */
  fragments: Fragment[];
  /** `assets:` and `fonts:` as written, read even when another field is invalid (for completion only). */
  assets: Readonly<Record<string, unknown>>;
  fonts: Readonly<Record<string, unknown>>;
}

let last: TemplateView | undefined;

/** Reads a template text; the last reading is kept because completion and hover ask about the same text. */
export function readTemplate(text: string): TemplateView {
  if (last && last.text === text) return last;
  last = read(text);
  return last;
}

function read(text: string): TemplateView {
  const lines = new LineIndex(text);
  const parsed = parseTemplateSource(text);
  const source = parsed.source;
  if (!source) {
    const view: TemplateView = {
      text,
      lines,
      sourceDiagnostics: parsed.diagnostics,
      schema: catalogue,
      declared: {},
      body: '',
      partials: {},
      locale: 'en',
      fragments: [],
      ...lenientNames(text),
    };
    // While the front matter is being typed it is often invalid YAML; completion in the body should still
    // work, with the catalogue alone. Only the fences are needed for that.
    const offset = fencedBodyOffset(text);
    if (offset !== undefined) {
      view.bodyOffset = offset;
      view.bodyStart = lines.position(offset);
      view.body = text.slice(offset);
    }
    return view;
  }
  const fm = source.frontMatter;
  const contract = readContract(source);
  const sourceDiagnostics: Diagnostic[] = [...parsed.diagnostics, ...contract.diagnostics];
  return {
    text,
    lines,
    source,
    frontMatter: fm,
    sourceDiagnostics,
    schema: contract.schema,
    declared: contract.declared,
    bodyOffset: source.bodyOffset,
    bodyStart: source.bodyStart,
    body: source.body,
    partials: fm.partials,
    locale: fm.locale,
    fragments: contract.fragments,
    assets: fm.assets,
    fonts: fm.fonts,
  };
}

/** Where the body starts when the front matter's YAML is broken: after the second `---` line. */
function fencedBodyOffset(text: string): number | undefined {
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  if (!open) return undefined;
  const close = /^---[ \t]*(\r?\n|$)/m.exec(text.slice(open[0].length));
  return close ? open[0].length + close.index + close[0].length : undefined;
}

/**
 * The asset and font role names of a front matter that does not validate yet: while the designer types
 * `background: { asset: }` the whole front matter is invalid, and that is exactly when the names are wanted.
 */
function lenientNames(text: string): { assets: Record<string, unknown>; fonts: Record<string, unknown> } {
  const offset = fencedBodyOffset(text);
  const open = /^\uFEFF?---[ \t]*\r?\n/.exec(text);
  const none = { assets: {}, fonts: {} };
  if (offset === undefined || !open) return none;
  const yamlText = text.slice(open[0].length, offset).replace(/^---[ \t]*\r?\n?$/m, '');
  let raw: unknown;
  try {
    raw = parseYaml(yamlText, { maxAliasCount: 50 });
  } catch {
    return none;
  }
  const record = (v: unknown): Record<string, unknown> =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  return { assets: record(record(raw).assets), fonts: record(record(raw).fonts) };
}

/** Whether a file position is in the front matter (between the fences, fences included). */
export function inFrontMatter(view: TemplateView, offset: number): boolean {
  return view.bodyOffset === undefined ? /^\uFEFF?---/.test(view.text) : offset < view.bodyOffset;
}

export type AssetKind = 'image' | 'pdf' | 'font';

/**
 * The assets declared in the front matter, with the kind their declaration or file name says. The real
 * kind is known only from the bytes (templates/assets.ts sniffs them on the server); this is for offering
 * the right names, never for reporting errors.
 */
export function declaredAssets(view: TemplateView): { name: string; file: string; kind?: AssetKind }[] {
  return Object.entries(view.assets).map(([name, decl]) => {
    const declared = decl !== null && typeof decl === 'object' ? (decl as { path?: unknown; type?: unknown }) : {};
    const file = typeof decl === 'string' ? decl : typeof declared.path === 'string' ? declared.path : '';
    const kind = declared.type === 'image' || declared.type === 'pdf' || declared.type === 'font' ? declared.type : undefined;
    const entry: { name: string; file: string; kind?: AssetKind } = { name, file };
    const guessed = kind ?? kindFromFileName(file);
    if (guessed) entry.kind = guessed;
    return entry;
  });
}

function kindFromFileName(file: string): AssetKind | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'png' || ext === 'jpg' || ext === 'jpeg') return 'image';
  if (ext === 'pdf') return 'pdf';
  if (ext === 'ttf' || ext === 'otf' || ext === 'ttc') return 'font';
  return undefined;
}

/**
 * Font roles a `font="…"` attribute may name: the template's `fonts:` plus `body`, which every template
 * has (templates/fonts/roles.ts DEFAULT_ROLES; that module reads font files, so it cannot be imported here).
 */
export function fontRoles(view: TemplateView): string[] {
  return [...new Set(['body', ...Object.keys(view.fonts)])];
}
