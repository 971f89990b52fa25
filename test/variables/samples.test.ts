import { describe, expect, it } from 'vitest';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import { parseDeclarations } from '../../variables/declarations';
import { sampleData } from '../../variables/samples';
import type { ScalarKind, Schema, Variable } from '../../variables/types';

const v = (type: Variable['type'], required = true, example?: unknown): Variable => ({
  type,
  required,
  description: { en: '', fr: '' },
  ...(example === undefined ? {} : { example }),
});

const kinds: ScalarKind[] = ['string', 'text', 'number', 'integer', 'boolean', 'date', 'datetime', 'duration', 'email', 'url', 'image'];
const everyType: Schema = {
  ...Object.fromEntries(kinds.map((k) => [k, v({ kind: k })])),
  choice: v({ kind: 'enum', values: ['onsite', 'remote'] }),
  tags: v({ kind: 'list', of: { kind: 'string' } }),
  scores: v({ kind: 'map', of: { kind: 'number' } }),
  people: v({ kind: 'list', of: { kind: 'object', fields: { name: v({ kind: 'string' }), email: v({ kind: 'email' }, false) } } }),
  nested: v({ kind: 'map', of: { kind: 'list', of: { kind: 'date' } } }),
  badExample: v({ kind: 'date' }, true, 'not a date'),
  goodExample: v({ kind: 'integer' }, true, 7),
};

describe('sample data', () => {
  it('binds cleanly for the catalogue, filled or bare', () => {
    expect(bind(catalogue, sampleData(catalogue)).diagnostics).toEqual([]);
    expect(bind(catalogue, sampleData(catalogue, { optional: false })).diagnostics).toEqual([]);
    expect(sampleData(catalogue, { optional: false })).toEqual({
      learner: { fullname: 'Camille Martin' },
      course: { fullname: 'Sauveteur secouriste du travail' },
      certificate: { code: 'ATT-7Q4K-2M9P', issued: '2026-02-04', verification_url: 'https://attest.example.org/v/ATT-7Q4K-2M9P' },
      organization: { name: 'Institut Exemple' },
    });
  });

  it('binds cleanly for a schema with every type, using examples only when they fit', () => {
    const data = sampleData(everyType);
    expect(bind(everyType, data).diagnostics).toEqual([]);
    expect(data.goodExample).toBe(7);
    expect(data.badExample).toBe('2026-03-01');
    expect((data.people as unknown[]).length).toBe(2);
    expect(data.choice).toBe('onsite');
  });

  it('binds cleanly for a template’s declarations', () => {
    const { schema } = parseDeclarations({
      'session.place': 'string',
      level: 'enum(a|b)',
      trainees: { type: 'list<object>', fields: { name: 'string' } },
    });
    expect(bind(schema, sampleData(schema)).diagnostics).toEqual([]);
  });

  it('is deterministic and does not share the catalogue’s examples', () => {
    expect(JSON.stringify(sampleData(everyType))).toBe(JSON.stringify(sampleData(everyType)));
    const a = sampleData(catalogue) as { teachers: { name: string }[] };
    a.teachers[0]!.name = 'changed';
    expect((sampleData(catalogue) as { teachers: { name: string }[] }).teachers[0]!.name).toBe('Julien Moreau');
  });
});
