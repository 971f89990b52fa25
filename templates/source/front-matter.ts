import { z } from 'zod';
import { isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import type { Diagnostic, Position, Range } from '../../variables/diagnostics';
import { suggestion } from '../../variables/suggest';

/**
 * The front matter of a template: everything about a model that is not its Liquid body. The schema below
 * is the one place that says which fields exist; the README documents it from here.
 */
const FontRoleSchema = z.union([
  z.string().min(1),
  z
    .object({
      family: z.string().min(1),
      weight: z.number().int().min(100).max(900).optional(),
      style: z.enum(['normal', 'italic']).optional(),
      fallback: z.array(z.string().min(1)).optional(),
    })
    .strict(),
]);

const AssetSchema = z.union([
  z.string().min(1),
  z
    .object({
      path: z.string().min(1),
      type: z.enum(['image', 'pdf', 'font']).optional(),
      // Fonts only: which face of which family the file is (a family may have several files).
      family: z.string().min(1).optional(),
      weight: z.number().int().min(100).max(900).optional(),
      style: z.enum(['normal', 'italic']).optional(),
    })
    .strict(),
]);

const LiquidText = z.string();

export const FrontMatterSchema = z
  .object({
    name: z.string().min(1, 'a template needs a name'),
    description: z.string().optional(),
    locale: z
      .string()
      .refine(isLocale, { message: 'not a locale Intl knows (use a BCP 47 tag such as "fr", "en-GB", "vi")' })
      .default('en'),
    page: z
      .object({
        size: z.string().default('A4'),
        orientation: z.enum(['portrait', 'landscape']).default('portrait'),
        margin: z.union([z.string(), z.number()]).default('15mm'),
      })
      .strict()
      .default({ size: 'A4', orientation: 'portrait', margin: '15mm' }),
    background: z
      .union([z.string().min(1), z.object({ asset: z.string().min(1), page: z.number().int().min(1).default(1) }).strict()])
      .optional(),
    fonts: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/i, 'a role is a word such as "title"'), FontRoleSchema).default({}),
    assets: z.record(z.string().min(1), AssetSchema).default({}),
    metadata: z
      .object({
        title: LiquidText.optional(),
        author: LiquidText.optional(),
        subject: LiquidText.optional(),
        keywords: z.union([z.array(z.string()), z.string()]).optional(),
        creator: LiquidText.optional(),
      })
      .strict()
      .default({}),
    variables: z.unknown().optional(),
    partials: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'a partial name is a word such as "signature"'), z.string()).default({}),
  })
  .strict();

export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type FontRoleDeclaration = z.infer<typeof FontRoleSchema>;

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

export interface TemplateSource {
  text: string;
  frontMatter: FrontMatter;
  /** The Liquid body, and where it starts in the file (so every later stage reports file positions). */
  body: string;
  bodyOffset: number;
  bodyStart: Position;
  /** Where each front matter field sits in the file, for stages that report on a field (e.g. fonts.title). */
  locate(path: readonly (string | number)[]): Range | undefined;
  /** Offset in the file where a front matter string value's text starts (for Liquid in metadata fields). */
  valueStart(path: readonly (string | number)[]): Position | undefined;
}

const FENCE = /^---[ \t]*\r?\n/;

/** Keys that are object machinery in JavaScript, never names a designer means. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** yaml's measure of aliasing (uses of an anchor times the aliases inside it): sharing a value a few times
 *  is fine, nested aliases that multiply into millions of values are not. */
const MAX_ALIAS_COUNT = 50;

export interface SourceResult {
  source?: TemplateSource;
  diagnostics: Diagnostic[];
}

/** Splits a template file into front matter and body and validates the front matter. */
export function parseTemplateSource(text: string): SourceResult {
  const diagnostics: Diagnostic[] = [];
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = text.length - clean.length;
  const open = FENCE.exec(clean);
  if (!open) {
    diagnostics.push({
      stage: 'source',
      code: 'SOURCE_NO_FRONT_MATTER',
      severity: 'error',
      message: 'A template starts with front matter between two "---" lines (at least a name), then the markup.',
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } },
    });
    return { diagnostics };
  }
  const closeRe = /^---[ \t]*(\r?\n|$)/m;
  const rest = clean.slice(open[0].length);
  const close = closeRe.exec(rest);
  if (!close) {
    diagnostics.push({
      stage: 'source',
      code: 'SOURCE_UNCLOSED_FRONT_MATTER',
      severity: 'error',
      message: 'The front matter has no closing "---" line.',
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 4 } },
    });
    return { diagnostics };
  }
  const yamlStart = shift + open[0].length;
  const yamlText = rest.slice(0, close.index);
  const bodyOffset = yamlStart + close.index + close[0].length;
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const firstLine = 2; // the YAML starts on the line after the opening fence
  const toPosition = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line + firstLine - 1, column: p.col };
  };
  const rangeOf = (start: number, end: number): Range => ({ start: toPosition(start), end: toPosition(Math.max(end, start + 1)) });

  for (const e of [...doc.errors, ...doc.warnings]) {
    diagnostics.push({
      stage: 'source',
      code: 'SOURCE_YAML_SYNTAX',
      severity: doc.errors.includes(e) ? 'error' : 'warning',
      message: `Front matter is not valid YAML: ${e.message.split('\n')[0]}`,
      range: rangeOf(e.pos[0], e.pos[1]),
    });
  }
  if (doc.errors.length) return { diagnostics };

  const locate = (path: readonly (string | number)[]): Range | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return rangeOf(range[0], range[1]);
    }
    return undefined;
  };
  // Names that reach an object's prototype when a later stage copies or indexes by them: refused wherever
  // they appear (variables, assets, partials, fonts, metadata), before the YAML becomes objects.
  visit(doc, {
    Pair(_, pair, path) {
      if (!isScalar(pair.key) || !FORBIDDEN_NAMES.has(String(pair.key.value))) return;
      const keys = path.flatMap((node) =>
        node && typeof node === 'object' && 'key' in node && isScalar(node.key) ? [String(node.key.value)] : [],
      );
      const field = [...keys, String(pair.key.value)].join('.');
      const r = pair.key.range;
      diagnostics.push({
        stage: 'source',
        code: 'SOURCE_FORBIDDEN_NAME',
        severity: 'error',
        message: `"${field}": "${String(pair.key.value)}" cannot be used as a name in the front matter; choose another name.`,
        ...(r ? { range: rangeOf(r[0], r[1]) } : {}),
        path: field,
      });
    },
  });
  if (diagnostics.some((d) => d.code === 'SOURCE_FORBIDDEN_NAME')) return { diagnostics };
  let raw: unknown;
  try {
    // Aliases are fine for sharing a value; a few that expand into millions of nodes ("billion laughs")
    // are refused instead of filling the memory.
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    diagnostics.push({
      stage: 'source',
      code: 'SOURCE_YAML_ALIASES',
      severity: 'error',
      message: `The front matter's YAML aliases (*name) are used too often or nested too deeply (they would expand into a huge number of values); write the values out instead of nesting aliases.`,
      range: locate([]) ?? rangeOf(0, 1),
    });
    return { diagnostics };
  }
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw)) {
    diagnostics.push({
      stage: 'source',
      code: 'SOURCE_INVALID_FIELD',
      severity: 'error',
      message: 'The front matter must be a mapping of fields (name: …, page: …).',
      range: locate([]) ?? rangeOf(0, 1),
    });
    return { diagnostics };
  }
  const parsed = FrontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const locateKey = (path: readonly (string | number)[]): Range | undefined => {
      const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
      if (!isMap(parent)) return undefined;
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
      const r = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
      return r ? rangeOf(r[0], r[1]) : undefined;
    };
    for (const issue of parsed.error.issues) diagnostics.push(...issueToDiagnostics(issue, raw, locate, locateKey));
    return { diagnostics };
  }

  const valueStart = (path: readonly (string | number)[]): Position | undefined => {
    const node = doc.getIn(path, true);
    if (!isScalar(node) || !node.range) return undefined;
    // Quoted and block scalars start their text after the quote or the indicator line.
    const at = node.range[0];
    const src = yamlText.slice(at, node.range[1]);
    if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') return toPosition(at + 1);
    if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
      const nl = src.indexOf('\n');
      const after = at + nl + 1;
      const indent = /^[ \t]*/.exec(yamlText.slice(after))?.[0].length ?? 0;
      return toPosition(after + indent);
    }
    return toPosition(at);
  };

  const body = clean.slice(bodyOffset - shift);
  const bodyStart = { line: yamlText.split('\n').length + 2, column: 1 };
  return {
    source: { text, frontMatter: parsed.data, body, bodyOffset, bodyStart, locate, valueStart },
    diagnostics,
  };
}

function issueToDiagnostics(
  issue: z.core.$ZodIssue,
  raw: object,
  locate: (path: readonly (string | number)[]) => Range | undefined,
  locateKey: (path: readonly (string | number)[]) => Range | undefined,
): Diagnostic[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const field = path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(path);
    return issue.keys.map((key) => {
      const range = locateKey([...path, key]) ?? locate([...path, key]);
      return {
        stage: 'source' as const,
        code: 'SOURCE_UNKNOWN_FIELD',
        severity: 'error' as const,
        message: `"${[...path, key].join('.')}" is not a front matter field.${suggestion(key, known)}`,
        range: range ?? locate(path),
        path: [...path, key].join('.'),
      };
    });
  }
  const missing = issue.code === 'invalid_type' && getIn(raw, path) === undefined;
  return [
    {
      stage: 'source',
      code: missing ? 'SOURCE_MISSING_FIELD' : 'SOURCE_INVALID_FIELD',
      severity: 'error',
      message: missing ? `The front matter needs "${field}".` : `"${field}": ${issue.message}`,
      range: locate(path),
      path: field,
    },
  ];
}

function getIn(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** The field names valid at a path of the schema, for "did you mean". */
function knownKeys(path: readonly (string | number)[]): string[] {
  let schema: z.ZodType = FrontMatterSchema;
  for (const p of path) {
    const inner = unwrap(schema);
    if (inner instanceof z.ZodObject) {
      const next = (inner.shape as Record<string, z.ZodType>)[String(p)];
      if (!next) return [];
      schema = next;
    } else return [];
  }
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodUnion) {
      const obj = (s.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
      if (!obj) return s;
      s = obj;
    } else break;
  }
  return s;
}
