import { describe, expect, it } from 'vitest';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import { derivations } from '../../variables/derive';
import { DEFAULT_MAPPING_CONTEXT, pdcertificatePlaceholders } from '../../variables/moodle';
import { resolveType, resolveVariable, schemaEntries } from '../../variables/types';

describe('catalogue', () => {
  const entries = schemaEntries(catalogue);

  it('describes every variable in English and French', () => {
    for (const { path, variable } of entries) {
      expect(variable.description.en.length, path).toBeGreaterThan(3);
      expect(variable.description.fr.length, path).toBeGreaterThan(3);
      expect(variable.description.fr, path).not.toBe(variable.description.en);
    }
  });

  it('gives every leaf an example that fits its type', () => {
    for (const { path, variable } of entries) {
      if (variable.type.kind === 'object') continue;
      expect(variable.example, path).toBeDefined();
      const r = bind({ x: variable }, { x: variable.example });
      expect(r.diagnostics, path).toEqual([]);
    }
  });

  it('requires exactly what a document cannot exist without', () => {
    const required = entries.filter((e) => e.variable.required).map((e) => e.path);
    expect(required).toEqual([
      'learner',
      'learner.fullname',
      'learner.managers[].email',
      'course',
      'course.fullname',
      'outcomes[].name',
      'teachers[].name',
      'certificate',
      'certificate.code',
      'certificate.issued',
      'certificate.verification_url',
      'organization',
      'organization.name',
    ]);
  });

  it('marks learner data as personal, and the course and organisation as not', () => {
    for (const { path, variable } of entries) {
      if (path.startsWith('learner.') || path.startsWith('grade.value') || path.startsWith('completion.'))
        expect(variable.personal, path).toBe(true);
      if (path.startsWith('course.') && path !== 'course.timespent') expect(variable.personal, path).toBeUndefined();
      if (path.startsWith('organization.')) expect(variable.personal, path).toBeUndefined();
    }
  });

  it('holds what the issue lists', () => {
    const expected: Record<string, string> = {
      'learner.alternatename': 'string',
      'learner.country': 'string',
      'learner.country_name': 'string',
      'learner.enrolment_start': 'date',
      'learner.groups': 'list',
      'learner.profile': 'map',
      'site.country': 'string',
      'course.summary': 'text',
      'course.timespent': 'duration',
      'course.duration_hours': 'number',
      'course.custom': 'map',
      'completion.completed': 'boolean',
      'grade.letter': 'string',
      'grade.passed': 'boolean',
      'grade.activities.*.letter': 'string',
      'activities.*': 'date',
      'outcomes[].grade': 'string',
      credit_hours: 'number',
      'learner.credit_hours': 'number',
      'teachers[].role': 'string',
      'certifier.signature': 'image',
      'certificate.verification_url': 'url',
      'certificate.version': 'integer',
      'organization.logo': 'image',
      extra: 'map',
    };
    for (const [path, kind] of Object.entries(expected)) expect(resolveType(catalogue, path)?.kind, path).toBe(kind);
  });

  it('maps every mod_pdcertificate placeholder to a catalogue variable (or one the template declares)', () => {
    expect(pdcertificatePlaceholders).toHaveLength(43);
    for (const p of pdcertificatePlaceholders) {
      if (p.declares) expect(p.variable, p.name).toBe(p.declares.name);
      else expect(resolveType(catalogue, p.variable), p.name).toBeDefined();
      const root = p.variable.replace(/\.\*.*$/, '').split('.')[0]!;
      expect(p.liquid(DEFAULT_MAPPING_CONTEXT, '12'), p.name).toContain(root);
    }
  });

  it('derives only values the catalogue declares', () => {
    for (const d of derivations) {
      expect(resolveType(catalogue, d.path), d.path).toBeDefined();
      for (const from of d.fromAny) expect(resolveVariable(catalogue, from), from).toBeDefined();
    }
  });
});
