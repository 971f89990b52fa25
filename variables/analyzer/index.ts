import { Output, Tokenizer, TypeGuards } from 'liquidjs';
import { LineIndex, type Diagnostic, type Position, type Range } from '../diagnostics';
import { filterSignatures } from '../filters/signatures';
import type { Schema, VarType, Variable } from '../types';
import { Expressions, report, type Sink } from './expressions';
import { analysisEngine, parseLiquid } from './parse';
import { Scope, inputClass, type Language, type Origin } from './scope';
import { PROBE, Walker, type Probe } from './walk';

export type { Ty, Origin, Language } from './scope';

export interface Fragment {
  /** What the fragment is, as the designer wrote it in the front matter: `metadata.title`. */
  name: string;
  text: string;
  /** Where the text starts in the template file. */
  start: Position;
  /** Public fragments (PDF metadata) are readable by anyone holding the document. */
  public: boolean;
}

export interface AnalyzeInput {
  body: string;
  /** Where the Liquid body starts in the template file. */
  bodyStart: Position;
  schema: Schema;
  fragments?: readonly Fragment[];
  partials?: Readonly<Record<string, string>>;
  /** The document's language (front matter `locale`). */
  locale?: string;
  /** The language the diagnostics are written in: the designer's interface (English by default). */
  language?: Language;
}

/** Moves a position in a text that starts at `start` into file coordinates. */
function shift(pos: Position, start: Position): Position {
  return pos.line === 1
    ? { line: start.line, column: start.column + pos.column - 1 }
    : { line: start.line + pos.line - 1, column: pos.column };
}

function sinkFor(text: string, start: Position, diagnostics: Diagnostic[], isPublic: boolean, prefix: string, language: Language): Sink {
  const lines = new LineIndex(text);
  return {
    diagnostics,
    range: (begin: number, end: number): Range => ({ start: shift(lines.position(begin), start), end: shift(lines.position(end), start) }),
    prefix: { en: prefix, fr: prefix.replace(/: $/, ' : ') },
    fixable: true,
    public: isPublic,
    language,
  };
}

/**
 * Checks a template's Liquid against its data contract: syntax, names, properties, filters and their
 * arguments, loops, optional values printed bare, partials, and personal data in public fields. Every
 * diagnostic has stage "analyze", a stable code and a range in the template file.
 */
export function analyzeTemplate(input: AnalyzeInput): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const partials = input.partials ?? {};
  const check = (text: string, start: Position, isPublic: boolean, prefix: string): void => {
    const sink = sinkFor(text, start, diagnostics, isPublic, prefix, input.language ?? 'en');
    const parsed = parseLiquid(text);
    if (!parsed.templates) {
      for (const p of parsed.problems) report(sink, p.code, 'error', p.message, p.begin, p.end);
      return;
    }
    const ctx = { schema: input.schema, partials, stack: [], ...(input.locale !== undefined ? { locale: input.locale } : {}) };
    new Walker(sink, ctx).walk(parsed.templates, new Scope(undefined, input.schema), new Set());
  };
  check(input.body, input.bodyStart, false, '');
  for (const f of input.fragments ?? []) check(f.text, f.start, f.public, `${f.name}: `);
  return dedupe(diagnostics);
}

/** A partial rendered twice reports its problems once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.message}|${d.range?.start.line}:${d.range?.start.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface ScopeEntry {
  name: string;
  /** Undefined when it cannot be known statically. */
  type?: VarType;
  origin: Origin;
  optional: boolean;
  personal: boolean;
  /** Catalogue or declared data: description (en/fr) and example, for hover. */
  variable?: Variable;
}

export interface CursorInfo {
  /** What is being typed: a variable name, a property after a dot, a filter after a pipe, or plain text. */
  context: 'variable' | 'property' | 'filter' | 'text';
  /** The part of the name already typed. */
  prefix: string;
  /** Every name in scope at the cursor. */
  variables: ScopeEntry[];
  /** After a dot: the object's type; after a pipe: the type of the value being filtered. */
  type?: VarType;
  /** After a dot: the properties of `type`. */
  properties?: { name: string; type: VarType; variable?: Variable }[];
  /** After a pipe: the filters that accept `type` (all of them when the type is not known). */
  filters?: string[];
}

const BLOCKS = new Set(['for', 'if', 'unless', 'case', 'capture', 'tablerow', 'comment', 'raw']);

/** The names of the tags in a text, in order, as liquidjs's tokenizer reads them (none when it cannot: the
 *  text would not parse either, so no block needs closing). */
function tagNames(text: string): string[] {
  try {
    return new Tokenizer(text).readTopLevelTokens(analysisEngine().options).flatMap((t) => (TypeGuards.isTagToken(t) ? [t.name] : []));
  } catch {
    return [];
  }
}

/**
 * For the editor: the scope and the type at a position of the template file (inside the body), to offer
 * variables in scope, properties after a dot and the filters that fit the value at hand. It works on
 * unfinished text: the template is cut at the cursor's `{{` or `{%`, open blocks are closed, and a marker
 * output records the scope where the cursor was.
 */
export function typeAt(input: AnalyzeInput, at: Position): CursorInfo {
  const lines = new LineIndex(input.body);
  const local =
    at.line === input.bodyStart.line
      ? { line: 1, column: at.column - input.bodyStart.column + 1 }
      : { line: at.line - input.bodyStart.line + 1, column: at.column };
  const offset = lines.offset(local);
  const before = input.body.slice(0, offset);
  const opener = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  const closed = opener < 0 || /\}\}|%\}/.test(before.slice(opener));
  const cut = closed ? offset : opener;
  const head = input.body.slice(0, cut);
  const open: string[] = [];
  for (const name of tagNames(head)) {
    if (BLOCKS.has(name)) open.push(name);
    else if (name.startsWith('end') && open[open.length - 1] === name.slice(3)) open.pop();
  }
  const text =
    head +
    `{{ ${PROBE} }}` +
    open
      .reverse()
      .map((b) => `{% end${b} %}`)
      .join('');
  const probe: Probe = {};
  const silent: Sink = {
    diagnostics: [],
    range: () => ({ start: at, end: at }),
    prefix: { en: '', fr: '' },
    fixable: false,
    public: false,
    language: 'en',
  };
  const parsed = parseLiquid(text);
  if (parsed.templates) {
    new Walker(silent, { schema: input.schema, partials: input.partials ?? {}, stack: [], probe }).walk(
      parsed.templates,
      new Scope(undefined, input.schema),
      new Set(),
    );
  }
  const scope = probe.scope ?? new Scope(undefined, input.schema);
  const variables: ScopeEntry[] = [...scope.all()].map(([name, b]) => {
    const e: ScopeEntry = { name, origin: b.origin, optional: b.ty.optional, personal: b.ty.personal };
    if (b.ty.type) e.type = b.ty.type;
    if (b.variable) e.variable = b.variable;
    return e;
  });
  if (closed) return { context: 'text', prefix: '', variables };

  const typeOf = (expr: string): VarType | undefined => {
    const p = parseLiquid(`{{ ${expr} }}`);
    const out = p.templates?.[0];
    if (!(out instanceof Output)) return undefined;
    return new Expressions(silent).value(out.value, scope, probe.guards ?? new Set()).type;
  };
  const inside = expression(before.slice(opener + 2), before.startsWith('{%', opener));
  const pipe = /^([\s\S]*)\|\s*(\w*)$/.exec(inside);
  if (pipe) {
    const type = typeOf(pipe[1]!);
    const filters = Object.entries(filterSignatures)
      .filter(([, s]) => !type || s.input.includes('any') || s.input.includes(inputClass(type)))
      .map(([name]) => name);
    const info: CursorInfo = { context: 'filter', prefix: pipe[2]!, variables, filters };
    if (type) info.type = type;
    return info;
  }
  const dot = /([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\])*)\.([\w-]*)$/.exec(inside);
  if (dot) {
    const type = typeOf(dot[1]!);
    const info: CursorInfo = { context: 'property', prefix: dot[2]!, variables };
    if (type) {
      info.type = type;
      info.properties = properties(type);
    }
    return info;
  }
  return { context: 'variable', prefix: /([\w-]*)$/.exec(inside)?.[1] ?? '', variables };
}

/** The expression being typed inside `{{ … ` or `{% tag … `: what follows the tag's own words. Read with
 *  patterns, not liquidjs: the text is unfinished, and its tokenizer refuses what is not closed. */
function expression(inside: string, isTag: boolean): string {
  const s = inside.replace(/^-?\s*/, '');
  const tag = isTag ? /^(\w+)\s+([\s\S]*)$/.exec(s) : null;
  if (tag) {
    const rest = tag[2]!;
    const after = /^(?:[\w-]+\s*=|[\w-]+\s+in\s)\s*([\s\S]*)$/.exec(rest);
    return after ? after[1]! : rest;
  }
  return s;
}

function properties(type: VarType): { name: string; type: VarType; variable?: Variable }[] {
  if (type.kind === 'object') return Object.entries(type.fields).map(([name, variable]) => ({ name, type: variable.type, variable }));
  if (type.kind === 'list')
    return ['size', 'first', 'last'].map((name) => ({ name, type: name === 'size' ? { kind: 'integer' } : type.of }));
  if (inputClass(type) === 'string') return [{ name: 'size', type: { kind: 'integer' } }];
  return [];
}
