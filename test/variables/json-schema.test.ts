import { describe, expect, it } from 'vitest';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import { parseDeclarations } from '../../variables/declarations';
import { toJsonSchema, type JsonSchema } from '../../variables/json-schema';
import { personas } from '../../variables/personas';
import { sampleData } from '../../variables/samples';
import { hasErrors } from '../../variables/diagnostics';
import { schemaEntries } from '../../variables/types';

/** The part of JSON Schema 2020-12 that toJsonSchema emits, checked by hand (no validator package). */
function validate(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  const typeOf = (v: unknown): string =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${path}: type ${t} not in ${types.join(',')}`];
  }
  if (Array.isArray(schema.enum) && !(schema.enum as unknown[]).some((e) => e === value)) errors.push(`${path}: not in enum`);
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
    errors.push(`${path}: pattern`);
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: minimum`);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}.${r}: required`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errors.push(...validate(props[k], v, `${path}.${k}`));
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        errors.push(...validate(schema.additionalProperties as JsonSchema, v, `${path}.${k}`));
      }
    }
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => errors.push(...validate(schema.items as JsonSchema, v, `${path}[${i}]`)));
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as JsonSchema[]).some((s) => validate(s, value, path).length === 0))
    errors.push(`${path}: anyOf`);
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf as JsonSchema[]) errors.push(...validate(s, value, path));
  return errors;
}

const json = toJsonSchema(catalogue, { $id: 'https://attest.example.org/schema/catalogue.json' });

function nodeAt(path: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = json;
  for (const step of path.replace(/\[\]/g, '.[]').split('.')) {
    if (!node) return undefined;
    if (step === '[]') node = node.items as JsonSchema | undefined;
    else if (step === '*') node = node.additionalProperties as JsonSchema | undefined;
    else node = (node.properties as Record<string, JsonSchema> | undefined)?.[step];
  }
  return node;
}

describe('JSON Schema export', () => {
  it('is a 2020-12 document', () => {
    expect(json.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(json.$id).toBe('https://attest.example.org/schema/catalogue.json');
    expect(json.type).toBe('object');
    expect(json.required).toEqual(['learner', 'course', 'certificate', 'organization']);
  });

  it('covers every catalogue path with its descriptions and flags', () => {
    for (const { path, variable } of schemaEntries(catalogue)) {
      const node = nodeAt(path);
      expect(node, path).toBeDefined();
      expect(node!.description, path).toBe(variable.description.en);
      expect(node!['x-description-fr'], path).toBe(variable.description.fr);
      expect(node!['x-personal'] === true, path).toBe(variable.personal === true);
    }
  });

  it('accepts every persona and every sample', () => {
    for (const p of personas) expect(validate(json, p.data), p.id).toEqual([]);
    expect(validate(json, sampleData(catalogue))).toEqual([]);
    expect(validate(json, sampleData(catalogue, { optional: false }))).toEqual([]);
  });

  it('agrees with bind on payloads it can judge', () => {
    const base = personas.find((p) => p.id === 'minimal')!.data as Record<string, Record<string, unknown>>;
    const variants: Record<string, unknown>[] = [
      { ...base, learner: { firstname: 'Only' } },
      { ...base, learner: {} },
      { ...base, grade: { value: '15.5000', max: 'twenty' } },
      { ...base, grade: { passed: '1' } },
      { ...base, grade: { passed: 'yes' } },
      { ...base, course: { fullname: 'C', startdate: 1772409600, timespent: 'PT2H' } },
      { ...base, course: { fullname: 'C', startdate: 'yesterday' } },
      { ...base, course: { fullname: 'C', timespent: -3 } },
      { ...base, teachers: [{ name: 'A' }, { role: 'B' }] },
      { ...base, learner: { fullname: 'A', email: 'not-an-email' } },
      { ...base, certificate: { ...base.certificate, verification_url: 'ftp://x.example.org' } },
      { ...base, certificate: { ...base.certificate, version: '3' } },
      { ...base, certificate: { ...base.certificate, version: 2.5 } },
      { ...base, outcomes: 'none' },
      { ...base, learner: { fullname: 'A', profile: { employer: 'ACME', size: 12 } } },
    ];
    const verdicts: boolean[] = [];
    for (const data of variants) {
      const schemaSays = validate(json, data).length === 0;
      const bindSays = !hasErrors(bind(catalogue, data).diagnostics);
      expect(schemaSays, JSON.stringify(data)).toBe(bindSays);
      verdicts.push(bindSays);
    }
    expect(verdicts).toEqual([true, false, false, true, false, true, false, false, false, false, false, true, false, false, true]);
  });

  it('exports declarations, and leaves server-filled namespaces optional', () => {
    const { schema } = parseDeclarations({ level: { type: 'enum(a|b)', required: true }, 'session.place': 'string' });
    const out = toJsonSchema(schema, { serverFilled: ['certificate'] });
    expect(out.required).toEqual(['learner', 'course', 'organization', 'level']);
    const props = out.properties as Record<string, JsonSchema>;
    expect(props.level).toMatchObject({ enum: ['a', 'b'], 'x-attest-type': 'enum(a|b)' });
    expect((props.session!.properties as Record<string, JsonSchema>).place).toMatchObject({ type: ['string', 'number', 'null'] });
  });
});
