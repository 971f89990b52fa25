import { Liquid, LiquidError, type Template } from 'liquidjs';
import { filterSignatures } from '../filters/signatures';
import { didYouMean } from '../suggest';

/**
 * The analyzer parses with the engine's options so it sees the same tree, with one difference: unknown
 * filters do not stop the parse (the engine's `strictFilters` would), so that the analyzer can report each
 * one with a suggestion and still check the rest of the template.
 */
let liquid: Liquid | undefined;

export function analysisEngine(): Liquid {
  if (liquid) return liquid;
  liquid = new Liquid({
    strictFilters: false,
    strictVariables: false,
    ownPropertyOnly: true,
    jsTruthy: false,
    greedy: true,
    // As the render engine: a quoted name is a partial, an unquoted one an expression that names it.
    dynamicPartials: true,
    relativeReference: false,
    extname: '',
    cache: false,
    catchAllErrors: true,
  });
  const noop = (v: unknown): unknown => v;
  for (const name of Object.keys(liquid.filters)) delete (liquid.filters as Record<string, unknown>)[name];
  for (const name of Object.keys(filterSignatures)) liquid.registerFilter(name, noop);
  return liquid;
}

export interface SyntaxProblem {
  code: 'LIQUID_SYNTAX' | 'TAG_UNKNOWN';
  message: string;
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
    const errors = e instanceof LiquidError && Array.isArray((e as { errors?: unknown }).errors) ? (e as unknown as { errors: unknown[] }).errors : [e];
    parsed = { problems: errors.map((err) => syntaxProblem(err, text)) };
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, parsed);
  return parsed;
}

function syntaxProblem(e: unknown, text: string): SyntaxProblem {
  const token = e instanceof LiquidError ? (e as { token?: { begin?: number; end?: number; input?: string } }).token : undefined;
  let begin = 0;
  let end = Math.min(text.length, 1);
  if (token && token.input === text && typeof token.begin === 'number' && typeof token.end === 'number') {
    begin = token.begin;
    end = Math.max(token.end, token.begin + 1);
  }
  const raw = (e instanceof Error ? e.message : String(e)).replace(/, line:\d+, col:\d+$/, '');
  const unknownTag = /^tag "([^"]+)" not found$/.exec(raw);
  if (unknownTag) {
    const name = unknownTag[1]!;
    const opener = /^end(\w+)$/.exec(name)?.[1];
    if ((opener && Object.hasOwn(analysisEngine().tags, opener)) || ['else', 'elsif', 'when'].includes(name)) {
      return { code: 'LIQUID_SYNTAX', message: `{% ${name} %} does not belong to any open block here.`, begin, end };
    }
    const guess = didYouMean(name, Object.keys(analysisEngine().tags));
    return { code: 'TAG_UNKNOWN', message: `Unknown tag "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`, begin, end };
  }
  return { code: 'LIQUID_SYNTAX', message: readable(raw), begin, end };
}

/** liquidjs's messages, reworded for designers where we know the usual cause. */
function readable(message: string): string {
  let m = /^tag (\{%-?\s*(\w+)[\s\S]*?%\}) not closed$/.exec(message);
  if (m) return `${m[1]} is never closed: add {% end${m[2]} %}.`;
  m = /^output (".*") not closed$/s.exec(message);
  if (m) return `The output ${m[1]} is not closed: add }}.`;
  m = /^tag (".*") not closed$/s.exec(message);
  if (m) return `The tag ${m[1]} is not closed: add %}.`;
  m = /^unexpected token|^invalid value expression/.exec(message);
  if (m) return `${message[0]!.toUpperCase()}${message.slice(1)}: check the expression.`;
  return message.length > 0 ? `${message[0]!.toUpperCase()}${message.slice(1)}.`.replace(/\.\.$/, '.') : 'Syntax error.';
}
