import { Context, Liquid, toValueSync, type Emitter, type FilterImplOptions, type FS, type Template } from 'liquidjs';
import { LineIndex, type Diagnostic } from '../../variables/diagnostics';
import { createFilters, isKnownFilter } from '../../variables/filters';
import { LIQUID_DIALECT, liquidProblems } from '../../variables/liquid';
import type { Language } from '../../variables/analyzer';
import { SourceMap, type Segment } from './source-map';

/**
 * The sandboxed Liquid engine. Templates are untrusted input: they see only the data they are given (own
 * properties), only the filters we register (unknown filters are parse errors), only their own partials
 * (an in-memory file system: no disk, no network), and run under limits of size, time and memory.
 *
 * liquidjs limits are cooperative, so the server also renders untrusted templates off the request thread;
 * these limits make the common runaway cases (huge ranges, exponential strings) fail in milliseconds.
 */
export interface LiquidLimits {
  /** Largest template source, in characters. */
  parseLimit: number;
  /** Render time budget, in milliseconds. */
  renderLimit: number;
  /** Roughly: characters and array items allocated by filters, ranges and captures (every string a filter
   *  returns and every character a capture collects counts, so doubling loops stop early). */
  memoryLimit: number;
  /** Largest rendered output, in characters. */
  outputLimit: number;
}

export const DEFAULT_LIMITS: LiquidLimits = {
  parseLimit: 1_000_000,
  renderLimit: 2_000,
  memoryLimit: 20_000_000,
  outputLimit: 4_000_000,
};

/**
 * Two flavours: "markup" escapes every value it prints so data is always text, never markup; "text" prints
 * values as they are, for plain-text fields such as the PDF title.
 */
export type OutputMode = 'markup' | 'text';

const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeMarkup(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** How a value prints: scalars as text, lists joined, anything else (objects) as nothing. */
export function printable(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(printable).join('');
  return '';
}

class PartialsFS implements FS {
  constructor(private readonly partials: Readonly<Record<string, string>>) {}
  private key(file: string): string {
    return file.replace(/^\/+/, '').replace(/\.liquid$/, '');
  }
  existsSync(file: string): boolean {
    return Object.hasOwn(this.partials, this.key(file));
  }
  async exists(file: string): Promise<boolean> {
    return this.existsSync(file);
  }
  readFileSync(file: string): string {
    const key = this.key(file);
    if (!Object.hasOwn(this.partials, key)) throw new Error(`no partial named "${key}"`);
    return this.partials[key]!;
  }
  async readFile(file: string): Promise<string> {
    return this.readFileSync(file);
  }
  resolve(_dir: string, file: string): string {
    return this.key(file);
  }
  containsSync(): boolean {
    return true;
  }
  async contains(): Promise<boolean> {
    return true;
  }
  sep = '/';
  dirname(): string {
    return '';
  }
}

export function createEngine(options: {
  locale: string;
  mode: OutputMode;
  partials?: Readonly<Record<string, string>>;
  limits?: Partial<LiquidLimits>;
}): Liquid {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const engine = new Liquid({
    ...LIQUID_DIALECT,
    // Partials come from the front matter only: an in-memory file system, no disk.
    fs: new PartialsFS(options.partials ?? {}),
    root: [''],
    partials: [''],
    layouts: [''],
    // An unknown filter is a parse error: nothing renders that the filter table does not know.
    strictFilters: true,
    parseLimit: limits.parseLimit,
    renderLimit: limits.renderLimit,
    memoryLimit: limits.memoryLimit,
    outputEscape: options.mode === 'markup' ? (v: unknown) => escapeMarkup(printable(v)) : (v: unknown) => printable(v),
  });
  // The filter table (variables/filters) is the one list of what exists: liquidjs built-ins it leaves out
  // (raw, which would print data as markup; sample and date_to_*, which break "same data, same bytes";
  // hashing and base64) are removed, so the engine and the analyzer agree.
  for (const name of Object.keys(engine.filters)) if (!isKnownFilter(name)) delete (engine.filters as Record<string, unknown>)[name];
  for (const [name, fn] of Object.entries(createFilters(options.locale))) engine.registerFilter(name, fn);
  // liquidjs charges a few filters for what they allocate; `append`, `replace`, `join`, `prepend` and ours
  // do not, so a chain of them could build strings far beyond memoryLimit. Every filter is charged for the
  // string or list it returns.
  const table = engine.filters;
  for (const [name, filter] of Object.entries(table)) table[name] = charged(filter);
  return engine;
}

type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;
type FilterThis = ThisParameterType<FilterHandler>;

function charged(filter: FilterImplOptions): FilterImplOptions {
  const handler = typeof filter === 'function' ? filter : filter.handler;
  if (!handler) return filter;
  const wrapped = function (this: FilterThis, value: unknown, ...args: unknown[]): unknown {
    const result: unknown = handler.call(this, value, ...args);
    if (typeof result === 'string' || Array.isArray(result)) this.context.memoryLimit.use(result.length);
    return result;
  };
  return typeof filter === 'function' ? wrapped : { ...filter, handler: wrapped };
}

/** Collects what a capture (or any tag rendering into a string) produces, charging each write to memory. */
class ChargedEmitter implements Emitter {
  buffer = '';
  constructor(private readonly ctx: Context) {}
  write(html: unknown): void {
    const text = printable(html);
    this.ctx.memoryLimit.use(text.length);
    this.buffer += text;
  }
}

/**
 * Renders with liquidjs's own driver while watching every nested `renderTemplates`: output going into a
 * string of its own (a capture, a block) is charged against the memory limit as it is written, and
 * `onTemplate` (when given) sees each template rendered straight into `emitter`.
 */
function renderWatched(
  engine: Liquid,
  templates: Template[],
  ctx: Context,
  emitter: Emitter,
  onTemplate?: (tpl: Template, run: () => Iterable<unknown>) => Generator<unknown, void, unknown>,
): void {
  const renderer = engine.renderer;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept unbound on purpose: `finally` puts back exactly this method (a bound copy would stack on each render), and it is always invoked as `original.call(renderer, …)`.
  const original = renderer.renderTemplates;
  renderer.renderTemplates = function* (tpls: Template[], c: Context, em?: Emitter) {
    if (!em) {
      const inner = new ChargedEmitter(c);
      yield* original.call(renderer, tpls, c, inner);
      return inner.buffer;
    }
    if (em !== emitter || !onTemplate) {
      const output: unknown = yield* original.call(renderer, tpls, c, em);
      return output;
    }
    for (const tpl of tpls) {
      yield* onTemplate(tpl, () => original.call(renderer, [tpl], c, em));
      if (c.breakCalled || c.continueCalled) break;
    }
    return emitter === em && 'buffer' in emitter ? (emitter as { buffer: string }).buffer : '';
  };
  try {
    toValueSync(renderer.renderTemplates(templates, ctx, emitter));
  } finally {
    renderer.renderTemplates = original;
  }
}

/** A body parsed once per template version and rendered per document. */
export interface CompiledLiquid {
  render(data: Record<string, unknown>): { output: string; map: SourceMap };
}

export class LiquidStageError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics[0]?.message ?? 'Liquid error');
    this.name = 'LiquidStageError';
  }
}

/**
 * Parses `body` (which sits at `bodyOffset` in `fileText`) and returns a renderer that also records where
 * each stretch of output came from.
 */
export function compileLiquid(
  engine: Liquid,
  body: string,
  place: { fileText: string; bodyOffset: number; lines?: LineIndex; what?: string; language?: Language },
  limits: Partial<LiquidLimits> = {},
): { compiled?: CompiledLiquid; diagnostics: Diagnostic[] } {
  const lines = place.lines ?? new LineIndex(place.fileText);
  const outputLimit = limits.outputLimit ?? DEFAULT_LIMITS.outputLimit;
  let templates: Template[];
  try {
    templates = engine.parse(body);
  } catch (e) {
    return { diagnostics: [liquidDiagnostic(engine, e, body, lines, place.bodyOffset, 'parse', place.what, place.language)] };
  }
  const compiled: CompiledLiquid = {
    render(data) {
      const segments: Segment[] = [];
      const emitter = new LimitedEmitter(outputLimit);
      // sync: partials are read through the in-memory file system's synchronous calls.
      const ctx = new Context(data, engine.options, { sync: true });
      // Record, for each template rendered straight into the document (not into a capture), which output
      // stretch it produced. Tags render their children through this same method, so nesting is seen.
      function* record(tpl: Template, run: () => Iterable<unknown>): Generator<unknown, void, unknown> {
        const before = emitter.buffer.length;
        yield* run();
        const after = emitter.buffer.length;
        if (after > before) {
          const token = (tpl as { token?: { begin: number; end: number; input: string } }).token;
          if (token && token.input === body) {
            const literal = tpl.constructor.name === 'HTML' && after - before === token.end - token.begin;
            segments.push({ outStart: before, outEnd: after, srcStart: token.begin, srcEnd: token.end, literal });
          }
        }
      }
      try {
        renderWatched(engine, templates, ctx, emitter, record);
      } catch (e) {
        throw new LiquidStageError([liquidDiagnostic(engine, e, body, lines, place.bodyOffset, 'render', place.what)]);
      }
      return { output: emitter.buffer, map: new SourceMap(segments, lines, place.bodyOffset) };
    },
  };
  return { compiled, diagnostics: [] };
}

/** Renders a short plain-text fragment (e.g. the PDF title) with the same sandbox. */
export function compileFragment(
  engine: Liquid,
  text: string,
  place: { fileText: string; offset: number; lines?: LineIndex; what: string; language?: Language },
): { render?: (data: Record<string, unknown>) => string; diagnostics: Diagnostic[] } {
  const lines = place.lines ?? new LineIndex(place.fileText);
  let templates: Template[];
  try {
    templates = engine.parse(text);
  } catch (e) {
    return { diagnostics: [liquidDiagnostic(engine, e, text, lines, place.offset, 'parse', place.what, place.language)] };
  }
  return {
    diagnostics: [],
    render: (data) => {
      try {
        const emitter = new LimitedEmitter(DEFAULT_LIMITS.outputLimit);
        renderWatched(engine, templates, new Context(data, engine.options, { sync: true }), emitter);
        return emitter.buffer;
      } catch (e) {
        throw new LiquidStageError([liquidDiagnostic(engine, e, text, lines, place.offset, 'render', place.what)]);
      }
    },
  };
}

class LimitedEmitter implements Emitter {
  buffer = '';
  constructor(private readonly limit: number) {}
  write(html: unknown): void {
    this.buffer += printable(html);
    if (this.buffer.length > this.limit) {
      throw new Error(`the rendered markup is larger than ${this.limit} characters`);
    }
  }
}

/**
 * A Liquid error as a template diagnostic, in the words variables/liquid.ts gives it (the analyzer's too).
 * Render-time errors are English: a document being made has no interface language.
 */
function liquidDiagnostic(
  engine: Liquid,
  e: unknown,
  text: string,
  lines: LineIndex,
  offset: number,
  phase: 'parse' | 'render',
  what?: string,
  language: Language = 'en',
): Diagnostic {
  const [problem] = liquidProblems(e, text, phase, Object.keys(engine.tags));
  const prefix = what ? (language === 'fr' ? `${what} : ` : `${what}: `) : '';
  const message = language === 'fr' ? problem!.fr : problem!.message;
  const d: Diagnostic = { stage: 'liquid', code: problem!.code, severity: 'error', message: `${prefix}${message}` };
  if (problem!.begin !== undefined && problem!.end !== undefined) d.range = lines.range(offset + problem!.begin, offset + problem!.end);
  return d;
}
