import { Liquid, type Template } from 'liquidjs';
import { filterSignatures } from '../filters/signatures';
import { LIQUID_DIALECT, liquidProblems } from '../liquid';
import type { LocalizedText } from '../types';

/**
 * The analyzer parses with the engine's dialect (variables/liquid.ts) so it sees the same tree, with two
 * differences: unknown filters do not stop the parse (the engine's `strictFilters` would), so that the
 * analyzer can report each one with a suggestion and still check the rest of the template; and every
 * syntax error is collected, not only the first.
 */
let liquid: Liquid | undefined;

export function analysisEngine(): Liquid {
  if (liquid) return liquid;
  liquid = new Liquid({ ...LIQUID_DIALECT, strictFilters: false, catchAllErrors: true });
  const noop = (v: unknown): unknown => v;
  for (const name of Object.keys(liquid.filters)) delete (liquid.filters as Record<string, unknown>)[name];
  for (const name of Object.keys(filterSignatures)) liquid.registerFilter(name, noop);
  return liquid;
}

export interface SyntaxProblem {
  code: 'LIQUID_SYNTAX' | 'TAG_UNKNOWN';
  message: LocalizedText;
  begin: number;
  end: number;
}

export type Parsed = { templates: Template[]; problems: [] } | { templates?: undefined; problems: SyntaxProblem[] };

/** Parses are cached by text: partials and front-matter fragments rarely change between keystrokes. */
const cache = new Map<string, Parsed>();
const CACHE_SIZE = 256;

export function parseLiquid(text: string): Parsed {
  const hit = cache.get(text);
  if (hit) return hit;
  let parsed: Parsed;
  try {
    parsed = { templates: analysisEngine().parse(text), problems: [] };
  } catch (e) {
    parsed = { problems: syntaxProblems(e, text) };
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, parsed);
  return parsed;
}

function syntaxProblems(e: unknown, text: string): SyntaxProblem[] {
  return liquidProblems(e, text, 'parse', Object.keys(analysisEngine().tags)).map((p) => ({
    // Parsing gives only these two (limits and render errors come from running a template).
    code: p.code === 'TAG_UNKNOWN' ? 'TAG_UNKNOWN' : 'LIQUID_SYNTAX',
    message: { en: p.message, fr: p.fr },
    begin: p.begin ?? 0,
    end: p.end ?? Math.min(text.length, 1),
  }));
}
