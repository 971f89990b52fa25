import type { Diagnostic } from './diagnostics';
import { derive, type DeriveOptions } from './derive';
import { suggestion } from './suggest';
import type { BoundData, BoundValue, Schema, VarType, Variable } from './types';
import { pathKey, typeName } from './types';
import { coerceScalar, describe, isMissing, MISSING, type CoerceOptions } from './values';

/**
 * Binding: the data an LMS sends, checked against a template's schema (catalogue + declarations) when a
 * document is requested. Every problem is listed at once, each with its path (`teachers[2].name`); values
 * come out in the normal form of types.ts (what is accepted is written in values.ts); optional values that
 * are missing become null so templates can use `default`; fields the schema does not know are dropped with
 * a warning. Derived values (derive.ts) are filled before required fields are judged missing.
 */
/** Outcomes, teachers, modules: a certificate lists tens of things, never a hundred thousand. */
export const MAX_LIST_ITEMS = 2_000;

export interface BindOptions extends CoerceOptions, DeriveOptions {
  /** Fields the schema does not know: a warning each (the default), or silently dropped. */
  unknownFields?: 'warning' | 'ignore';
}

export interface BindResult {
  data: BoundData;
  diagnostics: Diagnostic[];
}

interface Pending {
  container: { [key: string]: BoundValue };
  key: string;
  path: string;
  variable: Variable;
}

interface Context {
  options: BindOptions;
  diagnostics: Diagnostic[];
  missing: Pending[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function report(ctx: Context, code: string, path: string, message: string, severity: 'error' | 'warning' = 'error'): void {
  ctx.diagnostics.push({ stage: 'bind', code, severity, message, path });
}

function bindFields(
  fields: Readonly<Record<string, Variable>>,
  raw: Record<string, unknown>,
  path: string,
  ctx: Context,
): { [key: string]: BoundValue } {
  const out: { [key: string]: BoundValue } = {};
  for (const name in fields) {
    const variable = fields[name]!;
    const fieldPath = path ? `${path}.${name}` : name;
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    const bound = bindValue(variable.type, value, fieldPath, ctx, variable.required);
    if (bound === MISSING) {
      out[name] = null;
      if (variable.required) ctx.missing.push({ container: out, key: name, path: fieldPath, variable });
    } else out[name] = bound;
  }
  if (ctx.options.unknownFields !== 'ignore') {
    for (const key in raw) {
      if (Object.hasOwn(raw, key) && !Object.hasOwn(fields, key)) {
        const where = path ? `"${path}"` : 'the data';
        report(
          ctx,
          'BIND_UNKNOWN',
          pathKey(path, key),
          `${where} has no field "${key}"; it is ignored.${suggestion(key, Object.keys(fields))}`,
          'warning',
        );
      }
    }
  }
  return out;
}

function bindValue(type: VarType, raw: unknown, path: string, ctx: Context, required: boolean): BoundValue | typeof MISSING {
  if (isMissing(raw)) {
    // A required object that is absent reports its own required fields, which says more than "learner is missing".
    if (required && type.kind === 'object' && Object.values(type.fields).some((f) => f.required)) {
      return bindFields(type.fields, {}, path, ctx);
    }
    return MISSING;
  }
  switch (type.kind) {
    case 'object':
      if (!isPlainObject(raw)) return mismatch(ctx, path, 'an object', raw);
      return bindFields(type.fields, raw, path, ctx);
    case 'list': {
      if (!Array.isArray(raw)) return mismatch(ctx, path, typeName(type), raw);
      if (raw.length > MAX_LIST_ITEMS) {
        report(
          ctx,
          'BIND_TOO_LONG',
          path,
          `This list has ${raw.length.toLocaleString('en')} items; a list may have at most ${MAX_LIST_ITEMS.toLocaleString('en')}.`,
        );
        return null;
      }
      const out: BoundValue[] = new Array<BoundValue>(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const itemPath = `${path}[${i}]`;
        const item = isMissing(raw[i]) ? MISSING : bindValue(type.of, raw[i], itemPath, ctx, true);
        if (item === MISSING) {
          report(ctx, 'BIND_MISSING', itemPath, 'This list item is empty.');
          out[i] = null;
        } else out[i] = item;
      }
      return out;
    }
    case 'map': {
      if (!isPlainObject(raw)) return mismatch(ctx, path, typeName(type), raw);
      const size = Object.keys(raw).length;
      if (size > MAX_LIST_ITEMS) {
        report(
          ctx,
          'BIND_TOO_LONG',
          path,
          `This map has ${size.toLocaleString('en')} keys; a map may have at most ${MAX_LIST_ITEMS.toLocaleString('en')}.`,
        );
        return null;
      }
      const out: { [key: string]: BoundValue } = {};
      for (const key in raw) {
        if (!Object.hasOwn(raw, key)) continue;
        if (key === '__proto__') {
          // Copying it would replace the bound object's prototype instead of adding a key.
          report(ctx, 'BIND_UNKNOWN', pathKey(path, key), '"__proto__" cannot be a key; it is ignored.', 'warning');
          continue;
        }
        const value = bindValue(type.of, raw[key], pathKey(path, key), ctx, false);
        out[key] = value === MISSING ? null : value;
      }
      return out;
    }
    case 'enum': {
      const s = typeof raw === 'number' ? String(raw) : raw;
      if (typeof s !== 'string') return mismatch(ctx, path, `one of ${type.values.join(', ')}`, raw);
      if (type.values.includes(s)) return s;
      report(
        ctx,
        'BIND_ENUM',
        path,
        `${describe(raw)} is not one of ${type.values.map((v) => `"${v}"`).join(', ')}.${suggestion(s, type.values)}`,
      );
      return null;
    }
    default: {
      const c = coerceScalar(type.kind, raw, ctx.options);
      if (c === MISSING) return MISSING;
      if (c.ok) return c.value;
      report(ctx, c.code, path, c.message);
      return null;
    }
  }
}

function mismatch(ctx: Context, path: string, expected: string, raw: unknown): null {
  report(ctx, 'BIND_TYPE', path, `Expected ${expected}, got ${describe(raw)}.`);
  return null;
}

export function bind(schema: Schema, data: unknown, options: BindOptions = {}): BindResult {
  const ctx: Context = { options, diagnostics: [], missing: [] };
  if (!isPlainObject(data)) {
    report(ctx, 'BIND_TYPE', '', `The data must be an object of fields (learner, course, …), got ${describe(data)}.`);
    return { data: bindFields(schema, {}, '', { ...ctx, diagnostics: [] }), diagnostics: ctx.diagnostics };
  }
  const bound = bindFields(schema, data, '', ctx);
  derive(bound, options);
  for (const m of ctx.missing) {
    if (m.container[m.key] === null) {
      report(ctx, 'BIND_MISSING', m.path, `Required ${typeName(m.variable.type)} missing: ${m.variable.description.en}`);
    }
  }
  return { data: bound, diagnostics: ctx.diagnostics };
}
