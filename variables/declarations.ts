import { bind } from './bind';
import { catalogue } from './catalogue';
import type { Diagnostic, Range } from './diagnostics';
import { suggestion } from './suggest';
import type { LocalizedText, ScalarKind, Schema, VarType, Variable } from './types';

/**
 * A template's own variables, declared in its front matter under `variables:` (see docs/variables.md):
 *
 *     variables:
 *       session.place: string                      # shorthand: name → type; dots make objects
 *       level: "enum(beginner|advanced)"
 *       trainees:
 *         type: list<object>
 *         required: true
 *         description: { en: Other trainees, fr: Autres stagiaires }
 *         fields: { name: string, email: email }
 *
 * They extend the catalogue; redeclaring a catalogue name is an error (use `extra` or a new name).
 * Declared variables are optional unless `required: true`.
 */
export type YamlPath = (string | number)[];

/** A declaration problem: `path` is the YAML path as text, `yamlPath` the same as keys to find it in the file. */
export interface DeclarationDiagnostic extends Diagnostic {
  yamlPath: YamlPath;
}

export interface DeclarationOptions {
  /** The schema declarations extend; the catalogue unless told. */
  base?: Schema;
  /** Where the `variables:` value sits in the front matter; `["variables"]` unless told. */
  at?: YamlPath;
  /** Finds a YAML path in the template source, so diagnostics carry a range (the front matter parser has one). */
  locate?: (yamlPath: YamlPath) => Range | undefined;
}

export interface DeclarationResult {
  /** The base plus the declarations: what the analyzer and bind() work with. */
  schema: Schema;
  /** Only what the template declared. */
  declared: Schema;
  diagnostics: DeclarationDiagnostic[];
}

const SCALARS: readonly ScalarKind[] = [
  'string',
  'text',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'duration',
  'email',
  'url',
  'image',
];
const TYPE_WORDS = [...SCALARS, 'enum', 'list', 'map', 'object'];
const KEYS = ['type', 'required', 'description', 'example', 'personal', 'fields', 'values'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words Liquid gives a meaning of its own: a variable with one of these names could never be read. */
const LIQUID_WORDS = new Set(['forloop', 'tablerowloop', 'empty', 'blank', 'nil', 'null', 'true', 'false', 'and', 'or', 'contains', 'in']);
const IMPLICIT: LocalizedText = { en: 'Declared by the template.', fr: 'Déclaré par le modèle.' };

class Context {
  readonly diagnostics: DeclarationDiagnostic[] = [];
  /** Objects made by dotted names, which a later explicit declaration may complete. */
  readonly implicit = new WeakSet<Variable>();
  constructor(private readonly locate: DeclarationOptions['locate']) {}
  report(code: string, yamlPath: YamlPath, message: string, severity: 'error' | 'warning' = 'error'): void {
    const d: DeclarationDiagnostic = { stage: 'source', code, severity, message, path: yamlPath.join('.'), yamlPath };
    const range = this.locate?.(yamlPath);
    if (range) d.range = range;
    this.diagnostics.push(d);
  }
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads `list<map<number>>`, `enum(a|b)`, … ; returns the type or a reason. */
export function parseTypeString(text: string): VarType | { error: string } {
  let i = 0;
  const s = text;
  const space = (): void => {
    while (s[i] === ' ') i++;
  };
  const word = (): string => {
    space();
    const m = /^[A-Za-z]+/.exec(s.slice(i));
    i += m ? m[0].length : 0;
    return m ? m[0] : '';
  };
  const expect = (c: string): boolean => {
    space();
    if (s[i] !== c) return false;
    i++;
    return true;
  };
  const read = (): VarType | { error: string } => {
    const w = word();
    const kind = w.toLowerCase();
    if (kind === 'list' || kind === 'map') {
      if (!expect('<')) return { error: `"${kind}" needs an item type: ${kind}<string>.` };
      const of = read();
      if ('error' in of) return of;
      if (!expect('>')) return { error: `"${text}" is missing a closing ">".` };
      return { kind, of };
    }
    if (kind === 'enum') {
      space();
      if (s[i] !== '(') return { kind: 'enum', values: [] };
      const close = s.indexOf(')', i);
      if (close < 0) return { error: `"${text}" is missing a closing ")".` };
      const values = s
        .slice(i + 1, close)
        .split('|')
        .map((v) => v.trim());
      i = close + 1;
      if (values.some((v) => v === '')) return { error: `"${text}" has an empty choice.` };
      return { kind: 'enum', values };
    }
    if (kind === 'object') return { kind: 'object', fields: {} };
    if ((SCALARS as readonly string[]).includes(kind)) return { kind: kind as ScalarKind };
    if (w === '') return { error: `"${text}" is not a type.` };
    return { error: `"${w}" is not a type.${suggestion(w, TYPE_WORDS)} Types: ${TYPE_WORDS.join(', ')}.` };
  };
  const t = read();
  space();
  if (!('error' in t) && i < s.length) return { error: `Unexpected "${s.slice(i)}" in type "${text}".` };
  return t;
}

/** The innermost type under lists and maps: where `fields` and `values` apply. */
function innermost(t: VarType): VarType {
  return t.kind === 'list' || t.kind === 'map' ? innermost(t.of) : t;
}

function readDescription(value: unknown, yamlPath: YamlPath, ctx: Context): LocalizedText | undefined {
  if (typeof value === 'string') return { en: value, fr: value };
  if (isMap(value) && (typeof value.en === 'string' || typeof value.fr === 'string')) {
    const en = typeof value.en === 'string' ? value.en : undefined;
    const fr = typeof value.fr === 'string' ? value.fr : undefined;
    return { en: en ?? fr ?? '', fr: fr ?? en ?? '' };
  }
  ctx.report('VARIABLE_DECLARATION_INVALID', yamlPath, 'A description is a text, or { en: …, fr: … }.');
  return undefined;
}

function parseVariable(decl: unknown, yamlPath: YamlPath, ctx: Context): Variable | undefined {
  if (typeof decl === 'string') {
    const t = parseTypeString(decl);
    if ('error' in t) return void ctx.report('VARIABLE_TYPE_UNKNOWN', yamlPath, t.error);
    if (t.kind === 'enum' && t.values.length === 0) {
      return void ctx.report('VARIABLE_DECLARATION_INVALID', yamlPath, 'An enum lists its choices: enum(a|b|c).');
    }
    if (innermost(t).kind === 'object') {
      return void ctx.report(
        'VARIABLE_DECLARATION_INVALID',
        yamlPath,
        'An object needs fields: { type: object, fields: { … } }, or dotted names.',
      );
    }
    return { type: t, required: false, description: IMPLICIT };
  }
  if (!isMap(decl)) {
    return void ctx.report(
      'VARIABLE_DECLARATION_INVALID',
      yamlPath,
      'A declaration is a type ("string", "list<date>") or a mapping { type: …, required: … }.',
    );
  }
  let ok = true;
  for (const key of Object.keys(decl)) {
    if (!KEYS.includes(key)) {
      ctx.report(
        'VARIABLE_DECLARATION_INVALID',
        [...yamlPath, key],
        `"${key}" is not a declaration key (${KEYS.join(', ')}).${suggestion(key, KEYS)}`,
      );
      ok = false;
    }
  }
  let type: VarType | undefined;
  if (decl.type === undefined) {
    if (decl.fields !== undefined) type = { kind: 'object', fields: {} };
    else return void ctx.report('VARIABLE_DECLARATION_INVALID', yamlPath, 'This declaration needs a type.');
  } else if (typeof decl.type !== 'string') {
    return void ctx.report('VARIABLE_TYPE_UNKNOWN', [...yamlPath, 'type'], 'A type is written as text: string, list<object>, enum(a|b), …');
  } else {
    const t = parseTypeString(decl.type);
    if ('error' in t) return void ctx.report('VARIABLE_TYPE_UNKNOWN', [...yamlPath, 'type'], t.error);
    type = t;
  }
  const inner = innermost(type);
  if (decl.values !== undefined) {
    const values = decl.values;
    if (inner.kind !== 'enum' || inner.values.length > 0) {
      ctx.report('VARIABLE_DECLARATION_INVALID', [...yamlPath, 'values'], '"values" belongs to a type "enum" written without its choices.');
      ok = false;
    } else if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      ctx.report('VARIABLE_DECLARATION_INVALID', [...yamlPath, 'values'], '"values" is a list of choices: [a, b, c].');
      ok = false;
    } else (inner as { values: readonly string[] }).values = values.map(String);
  }
  if (inner.kind === 'enum' && inner.values.length === 0 && decl.values === undefined) {
    ctx.report('VARIABLE_DECLARATION_INVALID', yamlPath, 'An enum lists its choices: enum(a|b|c), or values: [a, b, c].');
    ok = false;
  }
  if (decl.fields !== undefined) {
    if (inner.kind !== 'object') {
      ctx.report(
        'VARIABLE_DECLARATION_INVALID',
        [...yamlPath, 'fields'],
        `"fields" belongs to an object type, not ${decl.type as string}.`,
      );
      ok = false;
    } else if (!isMap(decl.fields) || Object.keys(decl.fields).length === 0) {
      ctx.report('VARIABLE_DECLARATION_INVALID', [...yamlPath, 'fields'], '"fields" maps each field name to its declaration.');
      ok = false;
    } else declareAll(decl.fields, [...yamlPath, 'fields'], inner.fields, undefined, ctx);
  } else if (inner.kind === 'object') {
    ctx.report('VARIABLE_DECLARATION_INVALID', yamlPath, 'An object needs fields: { fields: { name: string } }.');
    ok = false;
  }
  if (decl.required !== undefined && typeof decl.required !== 'boolean') {
    ctx.report('VARIABLE_DECLARATION_INVALID', [...yamlPath, 'required'], '"required" is true or false.');
    ok = false;
  }
  if (decl.personal !== undefined && typeof decl.personal !== 'boolean') {
    ctx.report('VARIABLE_DECLARATION_INVALID', [...yamlPath, 'personal'], '"personal" is true or false.');
    ok = false;
  }
  const description = decl.description === undefined ? IMPLICIT : readDescription(decl.description, [...yamlPath, 'description'], ctx);
  if (!ok || !description) return undefined;
  const variable: Variable = { type, required: decl.required === true, description };
  if (decl.personal === true) variable.personal = true;
  if (decl.example !== undefined) {
    variable.example = decl.example;
    const check = bind({ example: variable }, { example: decl.example }, { unknownFields: 'ignore' });
    for (const d of check.diagnostics) {
      ctx.report('VARIABLE_EXAMPLE_INVALID', [...yamlPath, 'example'], `The example does not fit the type: ${d.message}`, 'warning');
    }
  }
  return variable;
}

function declareAll(value: unknown, yamlPath: YamlPath, into: Record<string, Variable>, base: Schema | undefined, ctx: Context): void {
  if (!isMap(value)) {
    ctx.report('VARIABLE_DECLARATION_INVALID', yamlPath, '"variables" maps each name to its type: { session_place: string }.');
    return;
  }
  for (const [key, decl] of Object.entries(value)) {
    const here = [...yamlPath, key];
    const names = key.split('.');
    const bad = names.find((n) => !NAME.test(n) || LIQUID_WORDS.has(n) || n.startsWith('__'));
    if (bad !== undefined) {
      const why = LIQUID_WORDS.has(bad)
        ? `"${bad}" means something else in Liquid`
        : bad.startsWith('__')
          ? 'names starting with __ are reserved'
          : 'a name is letters, digits and _, not starting with a digit';
      ctx.report('VARIABLE_DECLARATION_INVALID', here, `"${key}" is not a variable name: ${why}.`);
      continue;
    }
    if (base && Object.hasOwn(base, names[0]!)) {
      ctx.report(
        'VARIABLE_REDECLARED',
        here,
        `"${names[0]}" is a catalogue variable and cannot be redeclared; choose another name, or send free data in "extra".`,
      );
      continue;
    }
    const variable = parseVariable(decl, here, ctx);
    if (variable) insert(into, names, variable, here, ctx);
  }
}

function insert(into: Record<string, Variable>, names: string[], variable: Variable, yamlPath: YamlPath, ctx: Context): void {
  let fields = into;
  const parents: Variable[] = [];
  for (let i = 0; i < names.length - 1; i++) {
    const name = names[i]!;
    let parent = fields[name];
    if (!parent) {
      parent = { type: { kind: 'object', fields: {} }, required: false, description: IMPLICIT };
      ctx.implicit.add(parent);
      fields[name] = parent;
    }
    if (parent.type.kind !== 'object') {
      ctx.report(
        'VARIABLE_REDECLARED',
        yamlPath,
        `"${names.slice(0, i + 1).join('.')}" is already declared as ${parent.type.kind}, not an object.`,
      );
      return;
    }
    parents.push(parent);
    fields = parent.type.fields;
  }
  const last = names[names.length - 1]!;
  const existing = fields[last];
  if (existing) {
    // Dotted names may have made this object already; an explicit object declaration completes it.
    if (ctx.implicit.has(existing) && variable.type.kind === 'object') {
      const merged = variable.type.fields as Record<string, Variable>;
      for (const [name, f] of Object.entries((existing.type as { fields: Record<string, Variable> }).fields)) {
        if (Object.hasOwn(merged, name)) {
          ctx.report('VARIABLE_REDECLARED', yamlPath, `"${[...names, name].join('.')}" is declared twice.`);
          return;
        }
        merged[name] = f;
      }
      variable.required ||= existing.required;
    } else {
      ctx.report('VARIABLE_REDECLARED', yamlPath, `"${names.join('.')}" is declared twice.`);
      return;
    }
  }
  fields[last] = variable;
  // An object made by dots is required as soon as one of its fields is.
  if (variable.required) for (const p of parents) if (ctx.implicit.has(p)) p.required = true;
}

export function parseDeclarations(value: unknown, options: DeclarationOptions = {}): DeclarationResult {
  const base = options.base ?? catalogue;
  const ctx = new Context(options.locate);
  const declared: Record<string, Variable> = {};
  if (value !== undefined && value !== null) declareAll(value, options.at ?? ['variables'], declared, base, ctx);
  return { schema: { ...base, ...declared }, declared, diagnostics: ctx.diagnostics };
}
