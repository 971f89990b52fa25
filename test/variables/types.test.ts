import { describe, expect, it } from 'vitest';
import { catalogue } from '../../variables/catalogue';
import {
  isAssignable,
  parsePath,
  pathKey,
  resolveType,
  resolveVariable,
  schemaEntries,
  typeName,
  type VarType,
} from '../../variables/types';

describe('paths', () => {
  it('parses names, indexes, wildcards and quoted keys', () => {
    expect(parsePath('teachers[2].name')).toEqual([{ key: 'teachers' }, { index: 2 }, { key: 'name' }]);
    expect(parsePath('grade.activities.*.value')).toEqual([{ key: 'grade' }, { key: 'activities' }, { key: '*' }, { key: 'value' }]);
    expect(parsePath('teachers[].name')).toEqual([{ key: 'teachers' }, { index: '*' }, { key: 'name' }]);
    expect(parsePath('course.custom["room 1"]')).toEqual([{ key: 'course' }, { key: 'custom' }, { key: 'room 1' }]);
    expect(parsePath('a..b')).toBeUndefined();
    expect(parsePath('.a')).toBeUndefined();
  });

  it('writes keys that are not names in brackets', () => {
    expect(pathKey('grade.activities', '42')).toBe('grade.activities["42"]');
    expect(pathKey('learner', 'email')).toBe('learner.email');
    expect(pathKey('', 'learner')).toBe('learner');
  });

  it('resolves catalogue paths through lists and maps', () => {
    expect(resolveType(catalogue, 'teachers[0].name')).toEqual({ kind: 'string' });
    expect(resolveType(catalogue, 'grade.activities.*')?.kind).toBe('object');
    expect(resolveType(catalogue, 'grade.activities.quiz1.percent')).toEqual({ kind: 'number' });
    expect(resolveType(catalogue, 'activities["42"]')).toEqual({ kind: 'date' });
    expect(resolveVariable(catalogue, 'learner.fullname')?.required).toBe(true);
    expect(resolveType(catalogue, 'learner.nope')).toBeUndefined();
    expect(resolveType(catalogue, 'learner[0]')).toBeUndefined();
    expect(resolveType(catalogue, 'learner.fullname.x')).toBeUndefined();
    expect(resolveType(catalogue, 'toString')).toBeUndefined();
  });

  it('lists every path of a schema the way the docs write them', () => {
    const paths = schemaEntries(catalogue).map((e) => e.path);
    expect(paths).toContain('teachers[].name');
    expect(paths).toContain('grade.activities.*.letter');
    expect(paths).toContain('learner.profile');
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of paths) expect(resolveType(catalogue, p), p).toBeDefined();
  });
});

describe('type compatibility', () => {
  const s = (kind: 'string' | 'text' | 'number' | 'integer' | 'email' | 'date' | 'datetime'): VarType => ({ kind });
  it('follows the widening rules', () => {
    expect(isAssignable(s('integer'), s('number'))).toBe(true);
    expect(isAssignable(s('number'), s('integer'))).toBe(false);
    expect(isAssignable(s('email'), s('string'))).toBe(true);
    expect(isAssignable(s('string'), s('text'))).toBe(true);
    expect(isAssignable(s('text'), s('string'))).toBe(false);
    expect(isAssignable(s('date'), s('datetime'))).toBe(false);
    expect(isAssignable({ kind: 'enum', values: ['a'] }, s('string'))).toBe(true);
    expect(isAssignable({ kind: 'enum', values: ['a'] }, { kind: 'enum', values: ['a', 'b'] })).toBe(true);
    expect(isAssignable({ kind: 'enum', values: ['a', 'c'] }, { kind: 'enum', values: ['a', 'b'] })).toBe(false);
    expect(isAssignable({ kind: 'list', of: s('integer') }, { kind: 'list', of: s('number') })).toBe(true);
    expect(isAssignable({ kind: 'list', of: s('integer') }, { kind: 'map', of: s('number') })).toBe(false);
  });
  it('fits objects by their required fields', () => {
    const field = (type: VarType, required: boolean) => ({ type, required, description: { en: '', fr: '' } });
    const target: VarType = { kind: 'object', fields: { name: field(s('string'), true), role: field(s('string'), false) } };
    expect(isAssignable({ kind: 'object', fields: { name: field(s('string'), true) } }, target)).toBe(true);
    expect(isAssignable({ kind: 'object', fields: { name: field(s('string'), false) } }, target)).toBe(false);
    expect(isAssignable({ kind: 'object', fields: { role: field(s('string'), true) } }, target)).toBe(false);
    expect(typeName({ kind: 'list', of: { kind: 'enum', values: ['a', 'b'] } })).toBe('list<enum(a|b)>');
  });
});
