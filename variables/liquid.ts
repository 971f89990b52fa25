import { LiquidError, type LiquidErrors, type LiquidOptions } from 'liquidjs';
import { DateFormatError, dateFormatMessage } from './filters/dates';
import { filterSignatures } from './filters/signatures';
import { didYouMean } from './suggest';

/**
 * The Liquid that templates are written in, for the two parsers that read it: the render engine
 * (templates/liquid/engine.ts) and the analyzer (variables/analyzer/parse.ts). They must see the same tree,
 * so both start from these options and say their own additions where they create their Liquid. It lives
 * in variables/ because the analyzer may import nothing of ours outside variables/, and templates/ may
 * import variables/ (as it already does for the filter table).
 */
export const LIQUID_DIALECT = {
  strictVariables: false,
  // Data is read through own properties only: `x.constructor` or `x.__proto__` are nothing, never code.
  ownPropertyOnly: true,
  // Liquid's truthiness (only nil and false are false), not JavaScript's.
  jsTruthy: false,
  greedy: true,
  // A quoted name is a partial, an unquoted one an expression that names it.
  dynamicPartials: true,
  relativeReference: false,
  extname: '',
  cache: false,
} as const satisfies LiquidOptions;

export type LiquidCode = 'LIQUID_SYNTAX' | 'TAG_UNKNOWN' | 'LIQUID_RENDER' | 'LIQUID_LIMIT' | 'DATE_FORMAT_UNKNOWN';

/** A Liquid error as a designer reads it, at offsets of the text that was parsed or rendered. */
export interface LiquidProblem {
  code: LiquidCode;
  message: string;
  /** The same in French, for a designer whose interface is in French (the analyzer's diagnostics). */
  fr: string;
  /** Where in the text, when the error carries a token of that text (an error inside a partial does not). */
  begin?: number;
  end?: number;
}

/**
 * Rewords what liquidjs throws (one error, or all of them with `catchAllErrors`) for designers: the one
 * translator of Liquid's messages, so the editor, the save check and the renderer say the same thing.
 * `tags` are the tag names the parser knew, for "did you mean".
 */
export function liquidProblems(e: unknown, text: string, phase: 'parse' | 'render', tags: readonly string[]): LiquidProblem[] {
  const errors: unknown[] = isLiquidErrors(e) ? e.errors : [e];
  return errors.map((err) => liquidProblem(err, text, phase, tags));
}

function isLiquidErrors(e: unknown): e is LiquidErrors {
  return e instanceof LiquidError && Array.isArray((e as Partial<LiquidErrors>).errors);
}

function liquidProblem(e: unknown, text: string, phase: 'parse' | 'render', tags: readonly string[]): LiquidProblem {
  const inner = e instanceof LiquidError ? (e.originalError ?? e) : e;
  const raw = (inner instanceof Error ? inner.message : String(inner)).replace(/, line:\d+, col:\d+$/, '');
  // A date format the analyzer could not see (computed from data, or a version published before it
  // checked formats) stops the render with the analyzer's code and words.
  const problem: LiquidProblem =
    inner instanceof DateFormatError
      ? { code: 'DATE_FORMAT_UNKNOWN', ...said(dateFormatMessage(inner.format, inner.problem)) }
      : reword(raw, phase, tags);
  const token = e instanceof LiquidError ? e.token : undefined;
  if (token && token.input === text && typeof token.begin === 'number' && typeof token.end === 'number') {
    problem.begin = token.begin;
    problem.end = Math.max(token.end, token.begin + 1);
  }
  return problem;
}

const said = (m: { en: string; fr: string }): { message: string; fr: string } => ({ message: m.en, fr: m.fr });

function reword(message: string, phase: 'parse' | 'render', tags: readonly string[]): LiquidProblem {
  if (/limit exceeded|larger than/.test(message)) {
    return {
      code: 'LIQUID_LIMIT',
      message: `the template does too much work (${message}); check loops and ranges.`,
      fr: `le modèle demande trop de travail (${message}) ; vérifiez les boucles et les intervalles.`,
    };
  }
  const unknownTag = /^tag "([^"]+)" not found$/.exec(message);
  if (unknownTag) {
    const name = unknownTag[1]!;
    const opener = /^end(\w+)$/.exec(name)?.[1];
    if ((opener && tags.includes(opener)) || ['else', 'elsif', 'when'].includes(name)) {
      return {
        code: 'LIQUID_SYNTAX',
        message: `{% ${name} %} does not belong to any open block here.`,
        fr: `{% ${name} %} n’appartient à aucun bloc ouvert ici.`,
      };
    }
    const guess = didYouMean(name, tags);
    return {
      code: 'TAG_UNKNOWN',
      message: `Unknown tag "${name}".${guess ? ` Did you mean "${guess}"?` : ''}`,
      fr: `Balise inconnue "${name}".${guess ? ` Vouliez-vous dire "${guess}" ?` : ''}`,
    };
  }
  // Only the render engine sees this one (it refuses unknown filters while parsing; the analyzer reports
  // each with its own code instead).
  const unknownFilter = /^undefined filter: (\S+)$/.exec(message);
  if (unknownFilter) {
    const guess = didYouMean(unknownFilter[1]!, Object.keys(filterSignatures));
    return {
      code: 'LIQUID_SYNTAX',
      message: `Unknown filter "${unknownFilter[1]}".${guess ? ` Did you mean "${guess}"?` : ''}`,
      fr: `Filtre inconnu "${unknownFilter[1]}".${guess ? ` Vouliez-vous dire "${guess}" ?` : ''}`,
    };
  }
  return { code: phase === 'parse' ? 'LIQUID_SYNTAX' : 'LIQUID_RENDER', ...said(readable(message)) };
}

/** liquidjs's messages, reworded where we know the usual cause; the others keep liquidjs's words. */
function readable(message: string): { en: string; fr: string } {
  let m = /^tag (\{%-?\s*(\w+)[\s\S]*?%\}) not closed$/.exec(message);
  if (m) return { en: `${m[1]} is never closed: add {% end${m[2]} %}.`, fr: `${m[1]} n’est jamais fermé : ajoutez {% end${m[2]} %}.` };
  m = /^output (".*") not closed$/s.exec(message);
  if (m) return { en: `The output ${m[1]} is not closed: add }}.`, fr: `La sortie ${m[1]} n’est pas fermée : ajoutez }}.` };
  m = /^tag (".*") not closed$/s.exec(message);
  if (m) return { en: `The tag ${m[1]} is not closed: add %}.`, fr: `La balise ${m[1]} n’est pas fermée : ajoutez %}.` };
  m = /^unexpected token|^invalid value expression/.exec(message);
  if (m)
    return {
      en: `${message[0]!.toUpperCase()}${message.slice(1)}: check the expression.`,
      fr: `Expression illisible (${message}) : vérifiez l’expression.`,
    };
  const en = message.length > 0 ? `${message[0]!.toUpperCase()}${message.slice(1)}.`.replace(/\.\.$/, '.') : 'Syntax error.';
  return { en, fr: message.length > 0 ? `Erreur Liquid : ${message}`.replace(/\.?$/, '.') : 'Erreur de syntaxe.' };
}
