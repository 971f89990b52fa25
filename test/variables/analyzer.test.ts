import { describe, expect, it } from 'vitest';
import { analyzeTemplate, typeAt, type AnalyzeInput } from '../../variables/analyzer';
import { catalogue } from '../../variables/catalogue';
import type { Schema, VarType, Variable } from '../../variables/types';

const v = (type: VarType, required = true, personal = false): Variable => ({ type, required, personal, description: { en: 'x', fr: 'x' } });
const s = (kind: 'string' | 'number' | 'date' | 'datetime' | 'duration' | 'integer'): VarType => ({ kind });

/** A small contract of our own, so these tests do not move when the catalogue grows. */
const schema: Schema = {
  learner: v({
    kind: 'object',
    fields: {
      fullname: v(s('string'), true, true),
      email: v(s('string'), false, true),
      city: v(s('string'), false, true),
    },
  }),
  course: v({
    kind: 'object',
    fields: {
      fullname: v(s('string')),
      startdate: v(s('date'), false),
      duration: v(s('duration'), false),
      custom: v({ kind: 'map', of: s('string') }, false),
    },
  }),
  teachers: v({ kind: 'list', of: { kind: 'object', fields: { name: v(s('string')), role: v(s('string'), false) } } }),
  certificate: v({ kind: 'object', fields: { code: v(s('string')), issued: v(s('date')) } }),
};

const analyze = (body: string, extra: Partial<AnalyzeInput> = {}) =>
  analyzeTemplate({ body, bodyStart: { line: 1, column: 1 }, schema, ...extra });
const codes = (body: string, extra: Partial<AnalyzeInput> = {}): string[] => analyze(body, extra).map((d) => d.code);

describe('LIQUID_SYNTAX and TAG_UNKNOWN', () => {
  it('reports parse errors with readable messages and positions', () => {
    const [d] = analyze('Hello\n  {% if learner.email %}x');
    expect(d).toMatchObject({
      stage: 'analyze',
      code: 'LIQUID_SYNTAX',
      severity: 'error',
      message: '{% if learner.email %} is never closed: add {% endif %}.',
    });
    expect(d!.range).toEqual({ start: { line: 2, column: 3 }, end: { line: 2, column: 25 } });
    expect(codes('{{ learner.fullname ')).toEqual(['LIQUID_SYNTAX']);
    expect(codes('{% if learner.email %}{% endfor %}')).toEqual(['LIQUID_SYNTAX']);
  });

  it('reports every unknown tag, with a suggestion', () => {
    const ds = analyze('{% iff x %}{% endif %} {% frobnicate %}');
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ['TAG_UNKNOWN', 'Unknown tag "iff". Did you mean "if"?'],
      ['LIQUID_SYNTAX', '{% endif %} does not belong to any open block here.'],
      ['TAG_UNKNOWN', 'Unknown tag "frobnicate".'],
    ]);
  });

  it('accepts every tag the engine knows', () => {
    const body = `{% raw %}{{ not parsed }}{% endraw %}{% comment %}x{% endcomment %}{% # note %}
{% liquid
  assign n = 1
  echo n
%}{% increment c %}{% decrement d %}{% cycle "a", "b" %}{% capture t %}x{% endcapture %}{{ t }}{{ c }}{{ d }}`;
    expect(codes(body)).toEqual([]);
  });
});

describe('UNKNOWN_VARIABLE and UNKNOWN_PROPERTY', () => {
  it('suggests the closest name and offers a fix that replaces it', () => {
    const [d] = analyze('A\nB {{ lerner.fullname }}');
    expect(d).toMatchObject({ code: 'UNKNOWN_VARIABLE', message: 'Unknown variable "lerner". Did you mean "learner"?' });
    expect(d!.range).toEqual({ start: { line: 2, column: 6 }, end: { line: 2, column: 12 } });
    expect(d!.fixes).toEqual([{ title: 'Replace with "learner"', range: d!.range, replacement: 'learner' }]);

    const [p] = analyze('{{ learner.fulname }}');
    expect(p).toMatchObject({ code: 'UNKNOWN_PROPERTY', message: '"fulname" is not a property of learner. Did you mean "fullname"?' });
    expect(p!.range).toEqual({ start: { line: 1, column: 12 }, end: { line: 1, column: 19 } });
    expect(p!.fixes?.[0]?.replacement).toBe('fullname');
  });

  it('reports a name with no close match without a fix', () => {
    const [d] = analyze('{{ zzzzzz }}');
    expect(d).toMatchObject({ code: 'UNKNOWN_VARIABLE', message: 'Unknown variable "zzzzzz".' });
    expect(d!.fixes).toBeUndefined();
  });

  it('knows lists, maps and strings', () => {
    expect(codes('{{ teachers.size }}{{ teachers.first.name | default: "" }}{{ course.fullname.size }}')).toEqual([]);
    expect(codes('{{ course.custom.room | default: "" }}{{ course.custom["any key"] | default: "" }}')).toEqual([]);
    expect(analyze('{{ teachers.name }}')[0]).toMatchObject({
      code: 'UNKNOWN_PROPERTY',
      message: expect.stringContaining('teachers is a list'),
    });
    expect(codes('{{ certificate.issued.year }}')).toEqual(['UNKNOWN_PROPERTY']);
  });

  it('checks loop variables against the list item type, and forloop', () => {
    expect(codes('{% for t in teachers %}{{ t.name }} {{ forloop.index }}/{{ forloop.length }}{% endfor %}')).toEqual([]);
    const ds = analyze('{% for t in teachers %}{{ t.nam }}{{ forloop.idx }}{% endfor %}{{ t.name }}');
    expect(ds.map((d) => d.code)).toEqual(['UNKNOWN_PROPERTY', 'UNKNOWN_PROPERTY', 'UNKNOWN_VARIABLE']);
    expect(ds[0]!.message).toContain('Did you mean "name"?');
  });

  it('tracks assign, capture, increment and tablerow scopes in document order', () => {
    expect(
      codes('{% assign n = teachers.size %}{{ n | plus: 1 }}{% capture who %}{{ learner.fullname }}{% endcapture %}{{ who | upcase }}'),
    ).toEqual([]);
    // Liquid's assign writes to the template's scope, even from inside a loop.
    expect(codes('{% for t in teachers %}{% assign last = t.name %}{% endfor %}{{ last }}')).toEqual([]);
    expect(codes('{{ later }}{% assign later = 1 %}')).toEqual(['UNKNOWN_VARIABLE']);
    expect(codes('{% tablerow t in teachers cols: 2 %}{{ t.name }}{{ tablerowloop.col }}{% endtablerow %}')).toEqual([]);
    // A typed local keeps its type: a date assigned and then added to.
    expect(codes('{% assign d = certificate.issued %}{{ d | plus: 1 }}')).toEqual(['FILTER_TYPE_MISMATCH']);
  });
});

describe('filters', () => {
  it('FILTER_UNKNOWN suggests a filter and a fix', () => {
    const [d] = analyze('{{ learner.fullname | upcas }}');
    expect(d).toMatchObject({ code: 'FILTER_UNKNOWN', message: 'Unknown filter "upcas". Did you mean "upcase"?' });
    expect(d!.range).toEqual({ start: { line: 1, column: 23 }, end: { line: 1, column: 28 } });
    expect(d!.fixes?.[0]?.replacement).toBe('upcase');
    expect(codes('{{ learner.fullname | sample }}')).toEqual(['FILTER_UNKNOWN']);
  });

  it('FILTER_TYPE_MISMATCH: date on a string, plus on a date, text filters on a date', () => {
    expect(analyze('{{ learner.fullname | date: "long" }}')[0]).toMatchObject({
      code: 'FILTER_TYPE_MISMATCH',
      message: '"date" works on a date, a date and time or a number, but learner.fullname is a text.',
    });
    expect(codes('{{ certificate.issued | plus: 1 }}')).toEqual(['FILTER_TYPE_MISMATCH']);
    expect(analyze('{{ certificate.issued | upcase }}')[0]?.message).toContain('Format it first');
    expect(
      codes('{{ certificate.issued | date: "long" | upcase }}{{ course.duration | default: 0 | divided_by: 3600 | number: 1 }}'),
    ).toEqual([]);
  });

  it('follows types through filter chains', () => {
    expect(codes('{{ teachers | map: "name" | join_list }}{{ teachers | first | map: "name" | default: "" }}')).toEqual([
      'FILTER_TYPE_MISMATCH',
    ]);
    expect(codes('{{ learner.fullname | split: " " | first | upcase | default: "" }}')).toEqual([]);
    // The first item of a list may be missing: the list may be empty.
    expect(codes('{{ learner.fullname | split: " " | first }}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{{ teachers | size | plus: 1 }}')).toEqual([]);
  });

  it('FILTER_ARGUMENT: count, type, closed values and item properties', () => {
    expect(analyze('{{ 3 | plus }}')[0]).toMatchObject({ code: 'FILTER_ARGUMENT', message: '"plus" takes operand, but none was given.' });
    expect(codes('{{ learner.fullname | upcase: 2 }}')).toEqual(['FILTER_ARGUMENT']);
    expect(codes('{{ 3 | plus: learner.fullname }}')).toEqual(['FILTER_ARGUMENT']);
    const [d] = analyze('{{ course.duration | default: 0 | duration: "hour" }}');
    expect(d).toMatchObject({ code: 'FILTER_ARGUMENT', message: expect.stringContaining('Did you mean "hours"?') });
    expect(d!.fixes?.[0]?.replacement).toBe('"hours"');
    expect(analyze('{{ teachers | map: "nam" | join_list }}')[0]).toMatchObject({
      code: 'UNKNOWN_PROPERTY',
      message: expect.stringContaining('Did you mean "name"?'),
    });
    expect(codes('{{ 3 | plus: 2 }}{{ certificate.issued | date: "dd/MM/yyyy" }}{{ course.fullname | truncate: 20, "…" }}')).toEqual([]);
  });
});

describe('LOOP_NOT_LIST', () => {
  it('reports loops over non-lists and accepts lists and ranges', () => {
    const [d] = analyze('{% for c in course.fullname %}{{ c }}{% endfor %}');
    expect(d).toMatchObject({ code: 'LOOP_NOT_LIST', message: 'course.fullname is a text, not a list: {% for %} loops over lists only.' });
    expect(d!.range).toEqual({ start: { line: 1, column: 13 }, end: { line: 1, column: 28 } });
    expect(
      codes('{% for i in (1..3) %}{{ i | plus: 1 }}{% endfor %}{% for t in teachers reversed limit: 2 %}{{ t.name }}{% endfor %}'),
    ).toEqual([]);
    expect(codes('{% tablerow x in certificate %}{% endtablerow %}')).toEqual(['LOOP_NOT_LIST']);
  });
});

describe('OPTIONAL_WITHOUT_DEFAULT', () => {
  it('warns on an optional value printed bare, with a fix that adds a default', () => {
    const [d] = analyze('Email: {{ learner.email }}');
    expect(d).toMatchObject({ code: 'OPTIONAL_WITHOUT_DEFAULT', severity: 'warning' });
    expect(d!.range).toEqual({ start: { line: 1, column: 11 }, end: { line: 1, column: 24 } });
    expect(d!.fixes).toEqual([
      {
        title: 'Add | default: ""',
        range: { start: { line: 1, column: 24 }, end: { line: 1, column: 24 } },
        replacement: ' | default: ""',
      },
    ]);
    expect(codes('{{ course.startdate | date: "long" }}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{{ teachers[0].name }}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% for t in teachers %}{{ t.role }}{% endfor %}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
  });

  it('accepts a default, an if-guard, and the else of a nil test', () => {
    const safe = [
      '{{ learner.email | default: "" }}',
      '{{ learner.email | default: learner.fullname }}',
      '{% if learner.email %}{{ learner.email }}{% endif %}',
      '{% if learner.email != nil and learner.city %}{{ learner.email }} {{ learner.city }}{% endif %}',
      '{% if learner.email == nil %}—{% else %}{{ learner.email }}{% endif %}',
      '{% unless learner.email == blank %}{{ learner.email }}{% endunless %}',
      '{% unless learner.email %}—{% else %}{{ learner.email }}{% endunless %}',
      '{% if course.startdate %}{{ course.startdate | date: "long" }}{% endif %}',
      '{% case learner.city %}{% when "Lyon" %}{{ learner.city }}{% endcase %}',
      '{% for t in teachers %}{% if t.role %}{{ t.role }}{% endif %}{% endfor %}',
      '{{ learner.fullname }}{{ teachers.size }}',
    ];
    for (const body of safe) expect(codes(body), body).toEqual([]);
  });

  it('does not let one guard cover another value, or an or-condition cover either side', () => {
    expect(codes('{% if learner.email %}{{ learner.city }}{% endif %}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% if learner.email or learner.city %}{{ learner.city }}{% endif %}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% if learner.email %}{% else %}{{ learner.email }}{% endif %}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{{ learner.email | default: learner.city }}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% assign e = learner.email %}{{ e }}')).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% assign e = learner.email %}{% if e %}{{ e }}{% endif %}')).toEqual([]);
  });
});

describe('PERSONAL_DATA_IN_PUBLIC', () => {
  const fragment = (text: string, isPublic = true) => [{ name: 'metadata.title', text, start: { line: 4, column: 10 }, public: isPublic }];

  it('reports personal data in a public fragment, at its place in the front matter', () => {
    const ds = analyze('', { fragments: fragment('Certificate — {{ learner.fullname | upcase }}') });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ code: 'PERSONAL_DATA_IN_PUBLIC', severity: 'error' });
    expect(ds[0]!.message).toMatch(/^metadata\.title: learner\.fullname is personal data/);
    expect(ds[0]!.range).toEqual({ start: { line: 4, column: 27 }, end: { line: 4, column: 43 } });
  });

  it('accepts non-personal data in public fragments and personal data in private ones', () => {
    expect(codes('', { fragments: fragment('{{ course.fullname }} {{ certificate.code }}') })).toEqual([]);
    expect(codes('', { fragments: fragment('{{ learner.fullname }}', false) })).toEqual([]);
    expect(codes('{{ learner.fullname }}')).toEqual([]);
  });

  it('sees personal data through loops and assignments', () => {
    expect(codes('', { fragments: fragment('{% assign n = learner.fullname %}{{ n }}') })).toContain('PERSONAL_DATA_IN_PUBLIC');
  });
});

describe('partials: PARTIAL_UNKNOWN, include and render', () => {
  const partials = {
    signature: '{{ who.name }} ({{ who.role | default: "" }})',
    header: '{{ title | upcase }} — {{ course.fullname }}',
    teacher: '{{ teacher.name }}{{ forloop.index }}',
    broken: '{{ who.nam }}',
  };

  it('reports a partial that does not exist, with a suggestion', () => {
    const [d] = analyze('x\n{% render "signatur" %}', { partials });
    expect(d).toMatchObject({ code: 'PARTIAL_UNKNOWN', message: 'No partial named "signatur". Did you mean "signature"?' });
    expect(d!.range).toEqual({ start: { line: 2, column: 1 }, end: { line: 2, column: 24 } });
  });

  it('takes an unquoted partial name as an expression, as the engine does, and checks it only when quoted', () => {
    expect(codes('{% assign p = "signature" %}{% render p, who: teachers.first %}', { partials })).not.toContain('PARTIAL_UNKNOWN');
    expect(codes('{% render "nope" %}', { partials })).toEqual(['PARTIAL_UNKNOWN']);
  });

  it('types render arguments, with and for bindings', () => {
    expect(codes('{% render "signature", who: certificate %}', { partials })).toEqual(['UNKNOWN_PROPERTY', 'UNKNOWN_PROPERTY']);
    // The first teacher may be missing, so the partial prints a value that may be missing.
    expect(codes('{% render "signature", who: teachers.first %}', { partials })).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% render "signature" with teachers.first as who %}', { partials })).toEqual(['OPTIONAL_WITHOUT_DEFAULT']);
    expect(codes('{% if teachers.first %}{% render "signature", who: teachers.first %}{% endif %}', { partials })).toEqual([]);
    expect(codes('{% render "teacher" for teachers %}', { partials })).toEqual([]);
    expect(codes('{% render "signature" for teachers as who %}', { partials })).toEqual([]);
    expect(codes('{% render "teacher" for course.fullname %}', { partials })).toContain('LOOP_NOT_LIST');
  });

  it('reports problems inside the partial at the tag that renders it', () => {
    const [d] = analyze('{% render "broken", who: teachers.first %}', { partials });
    expect(d).toMatchObject({
      code: 'UNKNOWN_PROPERTY',
      message: 'In partial "broken": "nam" is not a property of who. Did you mean "name"?',
    });
    expect(d!.range).toEqual({ start: { line: 1, column: 1 }, end: { line: 1, column: 43 } });
    expect(d!.fixes).toBeUndefined();
  });

  it('render is isolated; include sees the caller', () => {
    expect(codes('{% render "header", title: "Hi" %}', { partials })).toEqual(['UNKNOWN_VARIABLE']);
    expect(codes('{% include "header", title: "Hi" %}', { partials })).toEqual([]);
    expect(codes('{% include "header" %}', { partials })).toEqual(['UNKNOWN_VARIABLE']);
  });
});

describe('positions', () => {
  it('shifts body positions by bodyStart (first line by column too)', () => {
    const [a] = analyzeTemplate({ body: '  {{ x }}', bodyStart: { line: 12, column: 5 }, schema });
    expect(a!.range).toEqual({ start: { line: 12, column: 10 }, end: { line: 12, column: 11 } });
    const [b] = analyzeTemplate({ body: 'first\n\n  {{ x }}', bodyStart: { line: 12, column: 5 }, schema });
    expect(b!.range).toEqual({ start: { line: 14, column: 6 }, end: { line: 14, column: 7 } });
  });
});

describe('typeAt', () => {
  const at = (body: string, extra: Partial<AnalyzeInput> = {}) =>
    typeAt(
      { body, bodyStart: { line: 3, column: 1 }, schema, ...extra },
      { line: 3 + body.split('\n').length - 1, column: body.split('\n').at(-1)!.length + 1 },
    );

  it('lists the variables in scope, including loop variables', () => {
    const info = at('{% assign n = 1 %}{% for t in teachers %}{{ ');
    expect(info.context).toBe('variable');
    const names = info.variables.map((v) => v.name);
    expect(names).toEqual(expect.arrayContaining(['t', 'forloop', 'n', 'learner', 'course', 'teachers', 'certificate']));
    expect(info.variables.find((v) => v.name === 't')?.origin).toBe('loop');
    expect(at('{% for t in teachers %}{% endfor %}{{ ').variables.map((v) => v.name)).not.toContain('t');
  });

  it('finds the blocks open at the cursor as Liquid reads tags, not text that looks like one', () => {
    // A quoted "{% if" is text: closing an if that is not open would break the parse and lose the loop.
    expect(at('{% for t in teachers %}{{ "{% if" }}{%- if t -%}{{ ').variables.map((v) => v.name)).toContain('t');
    expect(at('{% for t in teachers %}{% if t %}{% endif %}{{ t.na').properties?.map((p) => p.name)).toEqual(['name', 'role']);
  });

  it('gives properties after a dot', () => {
    const info = at('{% for t in teachers %}{{ t.na');
    expect(info).toMatchObject({ context: 'property', prefix: 'na' });
    expect(info.properties?.map((p) => p.name)).toEqual(['name', 'role']);
    expect(at('{% if learner.').properties?.map((p) => p.name)).toEqual(['fullname', 'email', 'city']);
  });

  it('gives the filters that fit the value after a pipe', () => {
    const info = at('{{ certificate.issued | da');
    expect(info).toMatchObject({ context: 'filter', prefix: 'da', type: { kind: 'date' } });
    expect(info.filters).toContain('date');
    expect(info.filters).not.toContain('upcase');
    expect(at('{{ learner.fullname | ').filters).toContain('upcase');
    expect(at('{{ teachers | map: "name" | ').filters).toContain('join_list');
  });

  it('says when the cursor is in plain text', () => {
    expect(at('{{ learner.fullname }} hello').context).toBe('text');
  });
});

describe('with the catalogue', () => {
  it('accepts a typical certificate body', () => {
    const body = `{{ learner.fullname }} — {{ course.fullname }}
{% if course.startdate %}{{ course.startdate | date: "long" }}{% endif %}
{% for t in teachers %}{{ t.name }}{% unless forloop.last %}, {% endunless %}{% endfor %}
{{ certificate.issued | date: "dd/MM/yyyy" }} {{ certificate.code }} {{ certificate.verification_url }}`;
    expect(analyzeTemplate({ body, bodyStart: { line: 1, column: 1 }, schema: catalogue })).toEqual([]);
  });

  it('finds mistakes against it', () => {
    const ds = analyzeTemplate({
      body: '{{ learner.fulname }}{{ course.fullname | date }}',
      bodyStart: { line: 1, column: 1 },
      schema: catalogue,
    });
    expect(ds.map((d) => d.code)).toEqual(['UNKNOWN_PROPERTY', 'FILTER_TYPE_MISMATCH']);
  });
});
