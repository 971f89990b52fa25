import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import { parseDeclarations, parseTypeString } from '../../variables/declarations';
import { resolveType, resolveVariable } from '../../variables/types';

const declare = (yaml: string) => parseDeclarations(parse(yaml) as unknown);
const codes = (r: ReturnType<typeof declare>) => r.diagnostics.map((d) => `${d.code} ${d.path}`);

describe('type strings', () => {
  it('reads every type', () => {
    expect(parseTypeString('string')).toEqual({ kind: 'string' });
    expect(parseTypeString('list<string>')).toEqual({ kind: 'list', of: { kind: 'string' } });
    expect(parseTypeString('map< list<date> >')).toEqual({ kind: 'map', of: { kind: 'list', of: { kind: 'date' } } });
    expect(parseTypeString('enum(a | b|c)')).toEqual({ kind: 'enum', values: ['a', 'b', 'c'] });
    expect(parseTypeString('strng')).toEqual({ error: expect.stringContaining('Did you mean "string"?') as unknown });
    expect('error' in parseTypeString('list<string')).toBe(true);
    expect('error' in parseTypeString('string extra')).toBe(true);
    expect('error' in parseTypeString('enum(a||b)')).toBe(true);
  });
});

describe('declarations', () => {
  it('reads shorthand, nested names, list<object>, enums and extends the catalogue', () => {
    const r = declare(`
session.place: string
session.date: { type: date, required: true, description: { en: Session date, fr: Date de la session } }
level: "enum(beginner|advanced)"
mode: { type: enum, values: [onsite, remote] }
scores: map<number>
trainees:
  type: list<object>
  personal: true
  description: Other trainees
  example: [{ name: Ana Lima }]
  fields:
    name: { type: string, required: true }
    email: email
`);
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys(r.declared)).toEqual(['session', 'level', 'mode', 'scores', 'trainees']);
    expect(r.schema.learner).toBe(catalogue.learner);
    expect(resolveType(r.schema, 'session.place')).toEqual({ kind: 'string' });
    // An object made by dots is required as soon as one of its fields is.
    expect(r.declared.session?.required).toBe(true);
    expect(resolveVariable(r.schema, 'session.date')?.description).toEqual({ en: 'Session date', fr: 'Date de la session' });
    expect(resolveType(r.schema, 'level')).toEqual({ kind: 'enum', values: ['beginner', 'advanced'] });
    expect(resolveType(r.schema, 'mode')).toEqual({ kind: 'enum', values: ['onsite', 'remote'] });
    expect(resolveType(r.schema, 'trainees[0].email')).toEqual({ kind: 'email' });
    expect(resolveVariable(r.schema, 'trainees')).toMatchObject({
      personal: true,
      required: false,
      description: { en: 'Other trainees', fr: 'Other trainees' },
    });
    expect(resolveVariable(r.schema, 'trainees[0].name')?.required).toBe(true);

    const bound = bind(r.schema, {
      learner: { fullname: 'A' },
      course: { fullname: 'C' },
      certificate: { code: 'X', issued: '2026-02-04', verification_url: 'https://a.example/v/X' },
      organization: { name: 'O' },
      session: { place: 'Lyon' },
      trainees: [{ email: 'x@example.org' }],
      level: 'expert',
    });
    expect(bound.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual([
      'BIND_ENUM level',
      'BIND_MISSING session.date',
      'BIND_MISSING trainees[0].name',
    ]);
  });

  it('lets an explicit object complete one made by dots', () => {
    const r = declare(`
session.place: string
session: { type: object, fields: { room: string } }
`);
    expect(r.diagnostics).toEqual([]);
    expect(Object.keys((resolveType(r.schema, 'session') as { fields: object }).fields).sort()).toEqual(['place', 'room']);
  });

  it('accepts nothing to declare', () => {
    expect(parseDeclarations(undefined).diagnostics).toEqual([]);
    expect(parseDeclarations(null).schema).toEqual(catalogue);
    expect(declare('{}').diagnostics).toEqual([]);
  });

  it('VARIABLE_TYPE_UNKNOWN for types that do not exist, with the YAML path', () => {
    const r = declare(`
place: strng
rooms: { type: "list<rom>" }
count: { type: 3 }
`);
    expect(codes(r)).toEqual([
      'VARIABLE_TYPE_UNKNOWN variables.place',
      'VARIABLE_TYPE_UNKNOWN variables.rooms.type',
      'VARIABLE_TYPE_UNKNOWN variables.count.type',
    ]);
    expect(r.diagnostics[0]!.yamlPath).toEqual(['variables', 'place']);
    expect(r.diagnostics[0]!.message).toContain('Did you mean "string"?');
    expect(r.diagnostics[0]!.stage).toBe('source');
    expect(r.declared).toEqual({});
  });

  it('VARIABLE_DECLARATION_INVALID for declarations of the wrong shape', () => {
    const r = declare(`
a: { type: string, requird: true }
b: { type: object }
c: enum
d: { type: string, values: [x] }
e: { type: string, fields: { x: string } }
f: { type: string, required: "yes" }
"9lives": string
forloop: string
g: [string]
h: { description: nothing }
i: { type: string, description: 3 }
`);
    expect(codes(r)).toEqual([
      'VARIABLE_DECLARATION_INVALID variables.a.requird',
      'VARIABLE_DECLARATION_INVALID variables.b',
      'VARIABLE_DECLARATION_INVALID variables.c',
      'VARIABLE_DECLARATION_INVALID variables.d.values',
      'VARIABLE_DECLARATION_INVALID variables.e.fields',
      'VARIABLE_DECLARATION_INVALID variables.f.required',
      'VARIABLE_DECLARATION_INVALID variables.9lives',
      'VARIABLE_DECLARATION_INVALID variables.forloop',
      'VARIABLE_DECLARATION_INVALID variables.g',
      'VARIABLE_DECLARATION_INVALID variables.h',
      'VARIABLE_DECLARATION_INVALID variables.i.description',
    ]);
    expect(r.diagnostics[0]!.message).toContain('Did you mean "required"?');
    expect(codes(parseDeclarations(['a']))).toEqual(['VARIABLE_DECLARATION_INVALID variables']);
    const proto = parseDeclarations(JSON.parse('{"__proto__": "string", "x": { "type": "object", "fields": { "__proto__": "string" } } }'));
    expect(codes(proto)).toEqual([
      'VARIABLE_DECLARATION_INVALID variables.__proto__',
      'VARIABLE_DECLARATION_INVALID variables.x.fields.__proto__',
    ]);
    expect(Object.getPrototypeOf(proto.declared)).toBe(Object.prototype);
  });

  it('VARIABLE_REDECLARED for catalogue names and names declared twice', () => {
    const r = declare(`
learner: string
course.room: string
x: string
x.y: string
z.w: string
z: { type: object, fields: { w: date } }
`);
    expect(codes(r)).toEqual([
      'VARIABLE_REDECLARED variables.learner',
      'VARIABLE_REDECLARED variables.course.room',
      'VARIABLE_REDECLARED variables.x.y',
      'VARIABLE_REDECLARED variables.z',
    ]);
    expect(r.schema.learner).toBe(catalogue.learner);
  });

  it('VARIABLE_EXAMPLE_INVALID warns when an example does not fit its type', () => {
    expect(declare('d: { type: date, example: "2026-03-01" }').diagnostics).toEqual([]);
    const r = declare('d: { type: date, example: "tomorrow" }');
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['VARIABLE_EXAMPLE_INVALID', 'warning', 'variables.d.example'],
    ]);
    expect(r.declared.d).toBeDefined();
  });

  it('gives diagnostics a range when the caller can locate YAML paths', () => {
    const range = { start: { line: 3, column: 3 }, end: { line: 3, column: 8 } };
    const r = parseDeclarations({ place: 'strng' }, { locate: (p) => (p.join('.') === 'variables.place' ? range : undefined) });
    expect(r.diagnostics[0]!.range).toEqual(range);
  });
});
