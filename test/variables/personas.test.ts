import { describe, expect, it } from 'vitest';
import { bind } from '../../variables/bind';
import { catalogue } from '../../variables/catalogue';
import { findPersona, personas } from '../../variables/personas';
import { schemaEntries } from '../../variables/types';

const fullname = (id: string): string => {
  const learner = findPersona(id)?.data.learner as { fullname: string } | undefined;
  if (!learner) throw new Error(`no persona ${id}`);
  return learner.fullname;
};

describe('personas', () => {
  it('all bind against the catalogue without any diagnostic', () => {
    for (const p of personas) expect(bind(catalogue, p.data).diagnostics, p.id).toEqual([]);
  });

  it('have unique ids, bilingual labels and a purpose', () => {
    expect(new Set(personas.map((p) => p.id)).size).toBe(personas.length);
    for (const p of personas) {
      expect(p.id).toMatch(/^[a-z][a-z0-9-]*$/);
      for (const text of [p.label.en, p.label.fr, p.tests.en, p.tests.fr]) expect(text.length, p.id).toBeGreaterThan(3);
    }
  });

  it('hold the hard data they promise', () => {
    expect(fullname('accents')).toBe('Éléonore Ñúñez-Çağlar');
    expect(fullname('vietnamese')).toBe('Nguyễn Thị Ánh Tuyết');
    expect(fullname('greek')).toMatch(/^[\u0370-\u03ff\u1f00-\u1fff ]+$/);
    expect(fullname('cyrillic')).toMatch(/^[\u0400-\u04ff ]+$/);
    expect(fullname('turkish')).toContain('İ');
    expect(fullname('turkish')).toContain('ı');
    expect(fullname('arabic')).toMatch(/^[\u0600-\u06ff ]+$/);
    expect(fullname('hebrew')).toMatch(/^[\u0590-\u05ff ]+$/);
    expect(fullname('japanese')).toMatch(/[\u4e00-\u9fff]/);
    expect([...fullname('long-name')].length).toBe(110);
    expect(fullname('markup')).toBe('<b>{{ 7*7 }}</b> & {% raw %}');
    expect(fullname('emoji')).toMatch(/\p{Extended_Pictographic}/u);
    const combining = fullname('combining');
    expect(combining).toContain('e\u0301');
    expect(combining.normalize('NFC')).toBe('Renée Bélanger');
  });

  it('include one with every optional field missing and one with every field filled', () => {
    const bound = bind(catalogue, findPersona('minimal')!.data).data;
    const optionalLeaves = schemaEntries(catalogue).filter((e) => !e.variable.required && !e.path.includes('[]') && !e.path.includes('*'));
    for (const { path } of optionalLeaves) {
      const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k] ?? null, bound);
      expect(value, path).toBeNull();
    }
    const full = bind(catalogue, findPersona('camille-martin')!.data).data;
    for (const { path } of schemaEntries(catalogue).filter((e) => !e.path.includes('[]') && !e.path.includes('*'))) {
      const value = path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | null)?.[k] ?? null, full);
      expect(value, path).not.toBeNull();
    }
  });

  it('are frozen, so no preview can change another’s data', () => {
    const data = findPersona('camille-martin')!.data as { learner: { fullname: string } };
    expect(() => {
      data.learner.fullname = 'X';
    }).toThrow();
    expect(findPersona('nobody')).toBeUndefined();
  });
});
