import { describe, expect, it } from 'vitest';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import type { Schema, VarType, Variable } from '../../variables/types';

const v = (type: VarType, required = false): Variable => ({ type, required, description: { en: '', fr: '' } });

/** The least a document needs, as an LMS (plus the server) sends it. */
const minimal = () => ({
  learner: { fullname: 'Alex Durand' },
  course: { fullname: 'Gestes et postures' },
  certificate: { code: 'ATT-1', issued: '2026-02-04', verification_url: 'https://attest.example.org/v/ATT-1' },
  organization: { name: 'Institut' },
});

const codes = (r: ReturnType<typeof bind>) => r.diagnostics.map((d) => `${d.code} ${d.path}`);

describe('bind: every code, triggered and not', () => {
  it('BIND_MISSING for a required value, not for an optional one', () => {
    const data = minimal();
    expect(bind(catalogue, data).diagnostics).toEqual([]);
    const { learner: _l, ...noLearner } = data;
    expect(codes(bind(catalogue, noLearner))).toEqual(['BIND_MISSING learner.fullname']);
    expect(codes(bind(catalogue, { ...data, course: { fullname: '   ' } }))).toEqual(['BIND_MISSING course.fullname']);
    const r = bind(catalogue, data);
    expect(r.data.site).toBeNull();
    expect((r.data.learner as Record<string, unknown>).email).toBeNull();
  });

  it('BIND_TYPE for a value of the wrong kind', () => {
    const schema: Schema = {
      n: v({ kind: 'number' }),
      i: v({ kind: 'integer' }),
      b: v({ kind: 'boolean' }),
      l: v({ kind: 'list', of: { kind: 'string' } }),
    };
    expect(bind(schema, { n: '12.5', i: '3', b: '1', l: ['a'] }).diagnostics).toEqual([]);
    expect(codes(bind(schema, { n: 'douze', i: 2.5, b: 'yes', l: 'a' }))).toEqual([
      'BIND_TYPE n',
      'BIND_TYPE i',
      'BIND_TYPE b',
      'BIND_TYPE l',
    ]);
    expect(codes(bind(schema, [1, 2]))).toEqual(['BIND_TYPE ']);
  });

  it('BIND_ENUM for a value outside the choices, with a suggestion', () => {
    const schema: Schema = { level: v({ kind: 'enum', values: ['beginner', 'advanced'] }) };
    expect(bind(schema, { level: 'advanced' }).data.level).toBe('advanced');
    const r = bind(schema, { level: 'advancd' });
    expect(codes(r)).toEqual(['BIND_ENUM level']);
    expect(r.diagnostics[0]!.message).toContain('Did you mean "advanced"?');
  });

  it('BIND_FORMAT for malformed emails, urls, images, dates and durations', () => {
    const schema: Schema = {
      e: v({ kind: 'email' }),
      u: v({ kind: 'url' }),
      img: v({ kind: 'image' }),
      d: v({ kind: 'date' }),
      dt: v({ kind: 'datetime' }),
      dur: v({ kind: 'duration' }),
    };
    const good = {
      e: 'a.b@example.org',
      u: 'https://x.example.org/v/1',
      img: 'assets/seal.png',
      d: '2024-02-29',
      dt: '2026-03-01T09:30:00+01:00',
      dur: 'PT12H30M',
    };
    expect(bind(schema, good).diagnostics).toEqual([]);
    const bad = { e: 'a.b@', u: 'javascript:alert(1)', img: '../../etc/passwd', d: '2026-02-29', dt: '2026-03-01T25:00', dur: 'P1M' };
    expect(codes(bind(schema, bad))).toEqual([
      'BIND_FORMAT e',
      'BIND_FORMAT u',
      'BIND_FORMAT img',
      'BIND_FORMAT d',
      'BIND_FORMAT dt',
      'BIND_FORMAT dur',
    ]);
    expect(bind(schema, { dur: 'P1M' }).diagnostics[0]!.message).toContain('Years and months');
    expect(bind(schema, { img: 'data:image/png;base64,iVBORw0KGgo=' }).diagnostics).toEqual([]);
  });

  it('BIND_UNKNOWN warns about fields the schema lacks, drops them, and suggests', () => {
    const data = minimal();
    expect(bind(catalogue, data).diagnostics.filter((d) => d.code === 'BIND_UNKNOWN')).toEqual([]);
    const r = bind(catalogue, { ...data, learner: { fullname: 'A', emal: 'a@b.fr' }, cours: {} });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['BIND_UNKNOWN', 'warning', 'learner.emal'],
      ['BIND_UNKNOWN', 'warning', 'cours'],
    ]);
    expect(r.diagnostics[0]!.message).toContain('Did you mean "email"?');
    expect(r.diagnostics[1]!.message).toContain('Did you mean "course"?');
    expect('emal' in (r.data.learner as object)).toBe(false);
    expect(bind(catalogue, { ...data, cours: {} }, { unknownFields: 'ignore' }).diagnostics).toEqual([]);
  });
});

describe('bind: all problems at once', () => {
  it('reports five problems with their paths', () => {
    const data = {
      learner: { firstname: '', email: 'camille@', country: 'FR' },
      course: { fullname: 'SST', startdate: '03/02/2026' },
      grade: { value: 'quinze', max: 20 },
      teachers: [{ name: 'Julien Moreau' }, { name: 'Sophie Lambert' }, { role: 'Formateur' }],
      certificate: { code: 'ATT-1', issued: '2026-02-04', verification_url: 'https://attest.example.org/v/ATT-1' },
      organization: { name: 'Institut' },
    };
    const r = bind(catalogue, data);
    expect(r.diagnostics.map((d) => `${d.code} ${d.path}`).sort()).toEqual(
      [
        'BIND_FORMAT learner.email',
        'BIND_FORMAT course.startdate',
        'BIND_TYPE grade.value',
        'BIND_MISSING teachers[2].name',
        'BIND_MISSING learner.fullname',
      ].sort(),
    );
  });
});

describe('bind: what LMSs send', () => {
  it('reads Moodle timestamps and numeric strings', () => {
    const data = {
      ...minimal(),
      learner: { fullname: 'A', enrolment_start: '1767225600', enrolment_end: 0 },
      course: { fullname: 'C', startdate: 1772409600, enddate: '0', timespent: '45000', duration_hours: '14.00000' },
      grade: { value: '15.50000', max: '20.00000', passed: '1' },
      completion: { completed: 0, date: 1772470800 },
      certificate: { code: 'X', issued: 1772582400, verification_url: 'https://a.example/v/X', version: '3' },
    };
    const r = bind(catalogue, data);
    expect(r.diagnostics).toEqual([]);
    expect(r.data.learner).toMatchObject({ enrolment_start: '2026-01-01', enrolment_end: null });
    expect(r.data.course).toMatchObject({ startdate: '2026-03-02', enddate: null, timespent: 45000, duration_hours: 14 });
    expect(r.data.grade).toMatchObject({ value: 15.5, max: 20, passed: true, percent: 77.5 });
    expect(r.data.completion).toEqual({ completed: false, date: '2026-03-02' });
    expect(r.data.certificate).toMatchObject({ issued: '2026-03-04', version: 3 });
  });

  it('reads a timestamp’s calendar date in the given zone', () => {
    const schema: Schema = { d: v({ kind: 'date' }), t: v({ kind: 'datetime' }) };
    // 2026-02-28T23:30:00Z is already 1 March in Paris.
    expect(bind(schema, { d: 1772321400, t: 1772321400 }).data).toEqual({ d: '2026-02-28', t: '2026-02-28T23:30:00Z' });
    expect(bind(schema, { d: 1772321400 }, { timeZone: 'Europe/Paris' }).data.d).toBe('2026-03-01');
    expect(bind(schema, { t: '2026-03-01T09:30:00+01:00' }).data.t).toBe('2026-03-01T08:30:00Z');
    expect(bind(schema, { t: '2026-03-01' }).data.t).toBe('2026-03-01T00:00:00Z');
    expect(bind(schema, { d: '2026-03-01T23:30:00-05:00' }).data.d).toBe('2026-03-01');
  });

  it('normalises durations, booleans and strings by the documented rules', () => {
    const schema: Schema = { dur: v({ kind: 'duration' }), b: v({ kind: 'boolean' }), s: v({ kind: 'string' }), n: v({ kind: 'number' }) };
    expect(bind(schema, { dur: 'P1DT2H', b: 'false', s: 42, n: ' -1.5e1 ' }).data).toEqual({ dur: 93600, b: false, s: '42', n: -15 });
    expect(codes(bind(schema, { n: '1,5' }))).toEqual(['BIND_TYPE n']);
    expect(codes(bind(schema, { dur: -5 }))).toEqual(['BIND_FORMAT dur']);
  });

  it('checks maps by key and list items by index', () => {
    const r = bind(catalogue, {
      ...minimal(),
      grade: { activities: { '42': { value: 'x' }, quiz: { value: 8, max: 10 } } },
      activities: { '42': 'hier' },
    });
    expect(codes(r)).toEqual(['BIND_TYPE grade.activities["42"].value', 'BIND_FORMAT activities["42"]']);
    expect(codes(bind(catalogue, { ...minimal(), teachers: [null] }))).toEqual(['BIND_MISSING teachers[0]']);
  });
});

describe('bind: derived values', () => {
  it('fills what can be derived and never overwrites what was sent', () => {
    const data = {
      ...minimal(),
      learner: { firstname: 'Camille', lastname: 'Martin', country: 'DE', credit_hours: 10 },
      grade: { value: 12, max: 16, pass: 13, activities: { a: { value: 1, max: 3 } } },
      completion: { date: '2026-02-03' },
      certificate: { code: 'ATT 2', issued: '2026-02-04', credit_hours: 14 },
    };
    const r = bind(catalogue, data, { locale: 'fr', verificationUrl: (c) => `https://v.example.org/${encodeURIComponent(c)}` });
    expect(r.diagnostics).toEqual([]);
    expect(r.data.learner).toMatchObject({ fullname: 'Camille Martin', country_name: 'Allemagne' });
    expect(r.data.grade).toMatchObject({ percent: 75, passed: false, activities: { a: { percent: 33.333333 } } });
    expect(r.data.completion).toEqual({ completed: true, date: '2026-02-03' });
    expect(r.data.credit_hours).toBe(10);
    expect((r.data.certificate as Record<string, unknown>).verification_url).toBe('https://v.example.org/ATT%202');

    const sent = bind(catalogue, {
      ...data,
      learner: { firstname: 'Camille', lastname: 'Martin', fullname: 'MARTIN Camille' },
      grade: { value: 12, max: 16, percent: 70 },
    });
    expect(sent.data.learner).toMatchObject({ fullname: 'MARTIN Camille' });
    expect(sent.data.grade).toMatchObject({ percent: 70 });
    expect(bind(catalogue, { ...data, learner: { lastname: 'Martin' } }).data.credit_hours).toBe(14);
    // Without a server address the url stays missing.
    expect(codes(bind(catalogue, data))).toEqual(['BIND_MISSING certificate.verification_url']);
  });

  it('does not touch the input', () => {
    const data = { ...minimal(), learner: { firstname: 'A', lastname: 'B' } };
    const before = JSON.stringify(data);
    bind(catalogue, data);
    expect(JSON.stringify(data)).toBe(before);
  });
});

describe('bind: hostile data', () => {
  it('never lets a "__proto__" key reach the bound data', () => {
    const data = JSON.parse('{"learner":{"fullname":"A","profile":{"__proto__":{"polluted":"yes"},"employer":"ACME"}}}') as object;
    const r = bind(catalogue, { ...minimal(), ...data });
    const profile = (r.data.learner as Record<string, unknown>).profile as Record<string, unknown>;
    expect(Object.getPrototypeOf(profile)).toBe(Object.prototype);
    expect(profile.polluted).toBeUndefined();
    expect(profile).toEqual({ employer: 'ACME' });
    expect(codes(r)).toEqual(['BIND_UNKNOWN learner.profile.__proto__']);
  });
});

describe('values too long to be a certificate field', () => {
  it('are refused with BIND_TOO_LONG, and values at the limit pass', async () => {
    const { bind } = await import('../../variables/bind');
    const { catalogue } = await import('../../variables/catalogue');
    const { MAX_LENGTH } = await import('../../variables/values');
    const { findPersona } = await import('../../variables/personas');
    const base = findPersona('camille-martin')!.data as Record<string, Record<string, unknown>>;
    const max = MAX_LENGTH.string!;
    const at = bind(catalogue, { ...base, learner: { ...base.learner, fullname: 'a'.repeat(max) } });
    expect(at.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const over = bind(catalogue, {
      ...base,
      learner: { ...base.learner, fullname: 'a'.repeat(max + 1) },
      outcomes: Array.from({ length: 5000 }, (_, i) => ({ name: `o${i}` })),
    });
    expect(
      over.diagnostics
        .filter((d) => d.code === 'BIND_TOO_LONG')
        .map((d) => d.path)
        .sort(),
    ).toEqual(['learner.fullname', 'outcomes']);
  });
});
