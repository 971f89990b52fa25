import { derivations } from './derive';
import type { Schema, VarType, Variable } from './types';
import { typeName } from './types';

/**
 * The data contract as JSON Schema 2020-12, for LMS integrators: validating a payload with it predicts what
 * bind() says, so it accepts what bind accepts (numbers as numeric strings, dates as Unix timestamps, …,
 * see values.ts), not only the normal form. Optional fields may be null. English descriptions are in
 * `description`, French ones in `x-description-fr`; `x-attest-type` names the Attest type and
 * `x-personal` marks personal data. bind() is slightly stricter in two places a JSON Schema cannot say
 * simply: it treats blank strings as missing and checks calendar dates (no 30 February).
 */
export type JsonSchema = { [key: string]: unknown };

export interface JsonSchemaOptions {
  $id?: string;
  title?: string;
  /** Top-level names the server fills itself (e.g. "certificate"): not required of the LMS. */
  serverFilled?: readonly string[];
}

const NUMERIC = String.raw`\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*`;
const ISO_DATE = String.raw`\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?`;
const ISO_DURATION = String.raw`[Pp](?:\d+(?:\.\d+)?[Ww])?(?:\d+(?:\.\d+)?[Dd])?(?:[Tt](?:\d+(?:\.\d+)?[Hh])?(?:\d+(?:\.\d+)?[Mm])?(?:\d+(?:\.\d+)?[Ss])?)?`;

function typeSchema(t: VarType, path: string): JsonSchema {
  switch (t.kind) {
    case 'string':
    case 'text':
      return { type: ['string', 'number'] };
    case 'number':
      return { type: ['number', 'string'], pattern: `^${NUMERIC}$` };
    case 'integer':
      return { type: ['integer', 'string'], pattern: String.raw`^\s*-?\d+(?:\.0*)?\s*$` };
    case 'boolean':
      return { enum: [true, false, 1, 0, '1', '0', 'true', 'false'] };
    case 'date':
    case 'datetime':
      return { type: ['string', 'number'], pattern: `^(?:${ISO_DATE}|${NUMERIC})$` };
    case 'duration':
      return { type: ['number', 'string'], minimum: 0, pattern: `^(?:${ISO_DURATION}|${NUMERIC})$` };
    case 'email':
      return { type: 'string', format: 'email', pattern: String.raw`^\s*[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+\s*$` };
    case 'url':
      return { type: 'string', format: 'uri', pattern: '^\\s*[Hh][Tt][Tt][Pp][Ss]?://' };
    case 'image':
      return { type: 'string', pattern: String.raw`^(?:data:image/[a-z+]+;base64,[A-Za-z0-9+/=\s]+|[\w.-]+(?:/[\w.-]+)*)$` };
    case 'enum':
      return { enum: [...t.values] };
    case 'list':
      return { type: 'array', items: typeSchema(t.of, `${path}[]`) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.of, `${path}.*`) };
    case 'object':
      return objectSchema(t.fields, path, []);
  }
}

function variableSchema(v: Variable, path: string): JsonSchema {
  const s = typeSchema(v.type, path);
  if (!v.required) {
    if (Array.isArray(s.type)) s.type = [...(s.type as string[]), 'null'];
    else if (typeof s.type === 'string') s.type = [s.type, 'null'];
    else if (Array.isArray(s.enum)) s.enum = [...(s.enum as unknown[]), null];
  }
  const out: JsonSchema = { description: v.description.en, 'x-description-fr': v.description.fr, 'x-attest-type': typeName(v.type), ...s };
  if (v.personal) out['x-personal'] = true;
  if (v.example !== undefined) out.examples = [v.example];
  return out;
}

function objectSchema(fields: Readonly<Record<string, Variable>>, path: string, notRequired: readonly string[]): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  const alternatives: string[][] = [];
  for (const [name, v] of Object.entries(fields)) {
    const fieldPath = path ? `${path}.${name}` : name;
    properties[name] = variableSchema(v, fieldPath);
    if (!v.required || notRequired.includes(name)) continue;
    // A required field that bind() derives from its siblings may be replaced by any of them.
    const derivation = derivations.find((d) => d.path === fieldPath && d.fromAny.length > 0);
    const siblings = derivation?.fromAny.map((p) => p.slice(path.length + 1));
    if (derivation && siblings?.every((s) => derivation.fromAny.includes(`${path}.${s}`) && Object.hasOwn(fields, s))) {
      alternatives.push([name, ...siblings]);
    } else required.push(name);
  }
  const out: JsonSchema = { type: 'object', properties };
  if (required.length > 0) out.required = required;
  if (alternatives.length === 1) out.anyOf = alternatives[0]!.map((n) => ({ required: [n] }));
  else if (alternatives.length > 1) out.allOf = alternatives.map((names) => ({ anyOf: names.map((n) => ({ required: [n] })) }));
  return out;
}

export function toJsonSchema(schema: Schema, options: JsonSchemaOptions = {}): JsonSchema {
  const root: JsonSchema = { $schema: 'https://json-schema.org/draft/2020-12/schema' };
  if (options.$id) root.$id = options.$id;
  root.title = options.title ?? 'Attest certificate data';
  return { ...root, ...objectSchema(schema, '', options.serverFilled ?? []) };
}
