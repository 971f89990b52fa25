import { describe, expect, it } from 'vitest';
import { inputProblems, MAX_INPUT_DEPTH } from '../../../server/domain/input';

const nested = (depth: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { d: v };
  return v;
};

describe('what a request may carry', () => {
  it('accepts text in every script, emoji (surrogate pairs) and control characters other than NUL', () => {
    expect(inputProblems({ name: 'Zoë 王 محمد 😀 \u202e\t\n\u0001', list: ['🇫🇷', { 'clé 🔑': 1 }] }, 'body')).toEqual([]);
  });

  it('refuses NUL and lone surrogates in values and keys, with their paths', () => {
    const problems = inputProblems({ learner: { firstname: 'A\u0000B', names: ['ok', 'x\ud800'] }, 'k\u0000': 1, low: '\udc00y' }, 'body');
    expect(problems.map((p) => [p.path, p.code]).sort()).toEqual(
      [
        ['body.learner.firstname', 'TEXT_INVALID'],
        ['body.learner.names[1]', 'TEXT_INVALID'],
        ['body.k?', 'TEXT_INVALID'],
        ['body.low', 'TEXT_INVALID'],
      ].sort(),
    );
  });

  it(`accepts ${MAX_INPUT_DEPTH} levels and refuses one more, where it happens`, () => {
    expect(inputProblems(nested(MAX_INPUT_DEPTH), 'body')).toEqual([]);
    const problems = inputProblems(nested(MAX_INPUT_DEPTH + 1), 'body');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('TOO_DEEP');
    expect(problems[0]!.path).toBe('body' + '.d'.repeat(MAX_INPUT_DEPTH));
  });

  it('walks a million levels without recursion, and stops counting after twenty problems', () => {
    const n = 1_000_000;
    expect(inputProblems(JSON.parse('['.repeat(n) + ']'.repeat(n)), 'body').map((p) => p.code)).toEqual(['TOO_DEEP']);
    expect(
      inputProblems(
        Array.from({ length: 1000 }, () => '\u0000'),
        'body',
      ),
    ).toHaveLength(20);
  });
});
