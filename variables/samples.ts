import { bind } from './bind';
import type { Schema, VarType, Variable } from './types';

/**
 * Sample data for any schema, for previews of templates that declare their own variables: every field
 * filled (optional ones too, unless told), from the variable's example when it fits its type, else from
 * the type. Deterministic: the same schema always gives the same data, so previews are reproducible.
 */
export interface SampleOptions {
  /** Fill optional fields too (the default), or leave them out to preview the bare minimum. */
  optional?: boolean;
}

/** A 1×1 transparent PNG: an image every renderer can draw without an asset. */
export const SAMPLE_IMAGE =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

function words(name: string): string {
  const s = name.replace(/_/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function exampleFits(v: Variable): boolean {
  return v.example !== undefined && bind({ sample: v }, { sample: v.example }, { unknownFields: 'ignore' }).diagnostics.length === 0;
}

function fromType(t: VarType, name: string, n: number, options: SampleOptions): unknown {
  const suffix = n > 0 ? ` ${n}` : '';
  switch (t.kind) {
    case 'string':
      return words(name) + suffix;
    case 'text':
      return `${words(name)}${suffix}: sample text.`;
    case 'number':
      return 12.5 + n;
    case 'integer':
      return 3 + n;
    case 'boolean':
      return true;
    case 'date':
      return `2026-03-0${1 + (n % 9)}`;
    case 'datetime':
      return `2026-03-0${1 + (n % 9)}T09:30:00Z`;
    case 'duration':
      return 45000;
    case 'email':
      return `${
        name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '.')
          .replace(/^\.|\.$/g, '') || 'sample'
      }${n || ''}@example.org`;
    case 'url':
      return `https://example.org/${encodeURIComponent(name)}${n ? `/${n}` : ''}`;
    case 'image':
      return SAMPLE_IMAGE;
    case 'enum':
      return t.values[n % Math.max(1, t.values.length)];
    case 'list':
      return [fromType(t.of, name, 1, options), fromType(t.of, name, 2, options)];
    case 'map':
      return { first: fromType(t.of, name, 1, options), second: fromType(t.of, name, 2, options) };
    case 'object':
      return fields(t.fields, options, n);
  }
}

function fields(schema: Readonly<Record<string, Variable>>, options: SampleOptions, n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(schema)) {
    if (!v.required && options.optional === false) continue;
    out[name] = n === 0 && exampleFits(v) ? structuredClone(v.example) : fromType(v.type, name, n, options);
  }
  return out;
}

export function sampleData(schema: Schema, options: SampleOptions = {}): Record<string, unknown> {
  return fields(schema, options, 0);
}

/**
 * What a preview renders: a sample learner's data (which knows only the catalogue) completed with sample
 * values for the template's own declared variables, where the learner's data has none.
 */
export function previewData(declared: Schema, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const missing = Object.fromEntries(Object.entries(declared).filter(([key]) => data[key] === undefined));
  if (Object.keys(missing).length === 0) return { ...data };
  return { ...sampleData(missing), ...data };
}
