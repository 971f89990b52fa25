/**
 * The type system of certificate data. A template's data is one object whose shape is the catalogue
 * (variables/catalogue.ts) extended by the template's own declarations (front matter `variables:`).
 *
 * Values after binding (variables/bind.ts) are plain JSON, normalised so filters and the renderer never
 * guess: date → "YYYY-MM-DD", datetime → ISO 8601 in UTC ("2026-03-01T09:30:00Z"), duration → seconds
 * (number), image → an asset name or data: URL string, everything else as JSON has it.
 */
export type ScalarKind =
  'string' | 'text' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'duration' | 'email' | 'url' | 'image';

export type VarType =
  | { kind: ScalarKind }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'list'; of: VarType }
  | { kind: 'object'; fields: Readonly<Record<string, Variable>> }
  /** Keyed by an id the LMS chooses (activity id, custom field shortname): every value has one type. */
  | { kind: 'map'; of: VarType };

export interface LocalizedText {
  en: string;
  fr: string;
}

export interface Variable {
  type: VarType;
  required: boolean;
  description: LocalizedText;
  example?: unknown;
  /** Personal data: never in public metadata, shown on the verification page only if the tenant allows. */
  personal?: boolean;
}

/** The whole data contract of one template: the catalogue's namespaces plus the template's own. */
export type Schema = Readonly<Record<string, Variable>>;

export function typeName(t: VarType): string {
  switch (t.kind) {
    case 'enum':
      return `enum(${t.values.join('|')})`;
    case 'list':
      return `list<${typeName(t.of)}>`;
    case 'map':
      return `map<${typeName(t.of)}>`;
    default:
      return t.kind;
  }
}

/**
 * One step of a data path. Paths are written as templates and bind diagnostics write them:
 * `teachers[2].name`, `grade.activities.quiz1.value`, `course.custom["room-1"]`; `teachers[]` and
 * `grade.activities.*` stand for "any item" and "any key" (the docs and the JSON Schema list paths that way).
 */
export type PathStep = { key: string } | { index: number | '*' };

const STEP = /\.?([A-Za-z_*][\w-]*|\*)|\[(\d*|\*)\]|\["((?:[^"\\]|\\.)*)"\]/y;

export function parsePath(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  STEP.lastIndex = 0;
  while (STEP.lastIndex < path.length) {
    const at = STEP.lastIndex;
    const m = STEP.exec(path);
    if (!m || (at === 0 && path[0] === '.')) return undefined;
    if (m[1] !== undefined) steps.push({ key: m[1] });
    else if (m[2] !== undefined) steps.push({ index: m[2] === '' || m[2] === '*' ? '*' : Number(m[2]) });
    else steps.push({ key: JSON.parse(`"${m[3] ?? ''}"`) as string });
  }
  return steps;
}

/** Writes a key the way paths read best: `.name` when it is a plain name, `["42 b"]` otherwise. */
export function pathKey(parent: string, key: string): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

/** The variable a path names (its last step is a named field), or undefined. */
export function resolveVariable(schema: Schema, path: string): Variable | undefined {
  return resolve(schema, path)?.variable;
}

/** The type of the value at a path: lists are indexed by `[n]`, maps by any key (or `*`). */
export function resolveType(schema: Schema, path: string): VarType | undefined {
  return resolve(schema, path)?.type;
}

function resolve(schema: Schema, path: string): { type: VarType; variable?: Variable } | undefined {
  const steps = parsePath(path);
  if (!steps || steps.length === 0) return undefined;
  let fields: Readonly<Record<string, Variable>> | undefined = schema;
  let current: { type: VarType; variable?: Variable } | undefined;
  for (const step of steps) {
    const type: VarType | undefined = current?.type;
    if ('index' in step) {
      if (type?.kind !== 'list') return undefined;
      current = { type: type.of };
    } else if (type?.kind === 'map') {
      current = { type: type.of };
    } else {
      fields = type === undefined ? fields : type.kind === 'object' ? type.fields : undefined;
      const variable: Variable | undefined = fields && Object.hasOwn(fields, step.key) ? fields[step.key] : undefined;
      if (!variable) return undefined;
      current = { type: variable.type, variable };
    }
  }
  return current;
}

/** Every path of a schema, depth first, as the docs list them (`teachers[].name`, `grade.activities.*.value`). */
export function schemaEntries(schema: Schema): { path: string; variable: Variable }[] {
  const out: { path: string; variable: Variable }[] = [];
  const visit = (fields: Readonly<Record<string, Variable>>, prefix: string): void => {
    for (const [name, variable] of Object.entries(fields)) {
      const path = prefix ? `${prefix}.${name}` : name;
      out.push({ path, variable });
      let t = variable.type;
      let p = path;
      while (t.kind === 'list' || t.kind === 'map') {
        p += t.kind === 'list' ? '[]' : '.*';
        t = t.of;
      }
      if (t.kind === 'object') visit(t.fields, p);
    }
  };
  visit(schema, '');
  return out;
}

const STRINGLIKE: ReadonlySet<string> = new Set(['string', 'text', 'email', 'url', 'enum']);

/**
 * Whether a value of type `from` can be used where `to` is expected: integers are numbers, emails, urls and
 * enums are strings, a string is valid text, lists and maps are covariant, and an object fits when it has
 * every field the target requires.
 */
export function isAssignable(from: VarType, to: VarType): boolean {
  switch (to.kind) {
    case 'number':
      return from.kind === 'number' || from.kind === 'integer';
    case 'string':
      return STRINGLIKE.has(from.kind) && from.kind !== 'text';
    case 'text':
      return STRINGLIKE.has(from.kind);
    case 'enum':
      return from.kind === 'enum' && from.values.every((v) => to.values.includes(v));
    case 'list':
    case 'map':
      return from.kind === to.kind && isAssignable(from.of, to.of);
    case 'object':
      if (from.kind !== 'object') return false;
      return Object.entries(to.fields).every(([name, field]) => {
        const have = Object.hasOwn(from.fields, name) ? from.fields[name] : undefined;
        if (!have) return !field.required;
        return (have.required || !field.required) && isAssignable(have.type, field.type);
      });
    default:
      return from.kind === to.kind;
  }
}

/** A value after binding: plain JSON in the normal form described at the top of this file. */
export type BoundValue = string | number | boolean | null | BoundValue[] | { [key: string]: BoundValue };

/** The data a template renders with: every declared field present, null where an optional one is missing. */
export type BoundData = { [key: string]: BoundValue };
