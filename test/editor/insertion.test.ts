import { describe, expect, it } from 'vitest';
import { insertionText, loopVariable } from '../../editor/components/insertion';
import { analyzeTemplate } from '../../variables/analyzer';
import { catalogue } from '../../variables/catalogue';
import type { Schema, VarType } from '../../variables/types';

const v = (type: VarType) => ({ type, required: true, description: { en: 'x', fr: 'x' } });
const declared: Schema = {
  tags: v({ kind: 'list', of: { kind: 'string' } }),
  sessions: v({ kind: 'list', of: { kind: 'date' } }),
  courses: v({ kind: 'list', of: { kind: 'object', fields: { title: v({ kind: 'string' }), ended: v({ kind: 'date' }) } } }),
};
const schema: Schema = { ...catalogue, ...declared };
const taken = new Set(Object.keys(schema));
const problems = (body: string) =>
  analyzeTemplate({ body, bodyStart: { line: 1, column: 1 }, schema, locale: 'fr' }).map((d) => `${d.severity} ${d.code}: ${d.message}`);

describe('what the variables panel inserts', () => {
  it('a loop over the fields of a list of objects, never {{ item }} (which prints nothing)', () => {
    const text = insertionText('teachers', catalogue.teachers!.type, taken);
    expect(text).toBe('{% for teacher in teachers %}{{ teacher.name }}, {{ teacher.role }}{% endfor %}');
    // teacher.role is optional: the analyzer says so, and nothing else.
    expect(problems(text)).toEqual([expect.stringMatching(/^warning OPTIONAL_WITHOUT_DEFAULT: teacher\.role/)]);
    expect(insertionText('outcomes', catalogue.outcomes!.type, taken)).toMatch(/^\{% for outcome in outcomes %\}\{\{ outcome\.name \}\}/);
  });

  it('a loop printing the item for a list of values, dates formatted', () => {
    expect(insertionText('tags', declared.tags!.type, taken)).toBe('{% for tag in tags %}{{ tag }}{% endfor %}');
    const dates = insertionText('sessions', declared.sessions!.type, taken);
    expect(dates).toBe('{% for session in sessions %}{{ session | date: "long" }}{% endfor %}');
    expect(problems(dates)).toEqual([]);
  });

  it('a loop variable that hides no name in scope', () => {
    // `course` would hide the catalogue's course.* inside the loop.
    const text = insertionText('courses', declared.courses!.type, taken);
    expect(text).toBe('{% for item in courses %}{{ item.title }}, {{ item.ended | date: "long" }}{% endfor %}');
    expect(problems(text)).toEqual([]);
    expect(loopVariable('activities', new Set())).toBe('activity');
    expect(loopVariable('class', new Set())).toBe('item');
    expect(loopVariable('x', new Set(['item', 'entry']))).toBe('item_2');
  });

  it('a date printed in the document’s language, a value as it is', () => {
    expect(insertionText('completion.date', { kind: 'date' }, taken)).toBe('{{ completion.date | date: "long" }}');
    expect(insertionText('learner.fullname', { kind: 'string' }, taken)).toBe('{{ learner.fullname }}');
  });
});
