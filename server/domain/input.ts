import { formatPath, type Problem } from './errors';

const NOT_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Learner data from an LMS is a handful of levels deep; nothing Attest reads is deeper than this. */
export const MAX_INPUT_DEPTH = 32;

/**
 * What every request carries, whatever its schema, must be storable and walkable: strings (and keys) are
 * valid Unicode text without NUL (PostgreSQL refuses NUL in text; a lone surrogate would be stored as U+FFFD,
 * silently changing the data), and nesting stays under MAX_INPUT_DEPTH (JSON.parse accepts a million levels,
 * which JSON.stringify and every recursive reader after it would die on). The walk itself is iterative. The
 * HTTP adapter checks every request's parameters, query and JSON body with it; handlers that parse raw
 * bytes (webhooks) call it themselves.
 */
export function inputProblems(value: unknown, where: string): Problem[] {
  // Paths are links to the parent, spelled out only for a problem.
  interface At {
    key: PropertyKey;
    parent: At | undefined;
    depth: number;
  }
  const pathOf = (at: At): string => {
    const keys: PropertyKey[] = [];
    for (let a: At | undefined = at; a; a = a.parent) keys.push(a.key);
    return formatPath(keys.reverse());
  };
  const problems: Problem[] = [];
  const stack: [unknown, At][] = [[value, { key: where, parent: undefined, depth: 0 }]];
  while (stack.length && problems.length < 20) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (NOT_TEXT.test(v))
        problems.push({
          path: pathOf(at),
          code: 'TEXT_INVALID',
          message: 'Contains a NUL character or a lone surrogate; send valid Unicode text.',
        });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (at.depth >= MAX_INPUT_DEPTH) {
      problems.push({ path: pathOf(at), code: 'TOO_DEEP', message: `Nested deeper than ${MAX_INPUT_DEPTH} levels.` });
      continue;
    }
    const depth = at.depth + 1;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], { key: i, parent: at, depth }]);
      continue;
    }
    for (const [k, inner] of Object.entries(v)) {
      if (NOT_TEXT.test(k))
        problems.push({
          path: pathOf({ key: k.replace(NOT_TEXT, '?'), parent: at, depth }),
          code: 'TEXT_INVALID',
          message: 'This key contains a NUL character or a lone surrogate.',
        });
      else stack.push([inner, { key: k, parent: at, depth }]);
    }
  }
  return problems;
}
