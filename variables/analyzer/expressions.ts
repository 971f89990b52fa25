import { TypeGuards, type Expression, type Token, type ValueToken } from 'liquidjs';
import type { Diagnostic, Fix, Range, Severity } from '../diagnostics';
import { filterSignatures, type FilterSignature } from '../filters/signatures';
import { didYouMean } from '../suggest';
import { dateFormatMessage, dateFormatProblem } from '../filters/dates';
import type { LocalizedText, VarType } from '../types';
import { describeClass, describeType, inputClass, UNKNOWN, type Language, type Scope, type Ty } from './scope';

/** A filter as the tree holds it, in a `Value` (Filter objects) or a `FilteredValueToken` (FilterTokens). */
export interface FilterUse {
  name: string;
  args: unknown[];
  begin: number;
  end: number;
}

/** Where diagnostics go and how token offsets become file ranges, for one text (body, fragment, partial). */
export interface Sink {
  diagnostics: Diagnostic[];
  range(begin: number, end: number): Range;
  /** Diagnostics inside a partial point at the tag that renders it, and say so. */
  prefix: LocalizedText;
  /** The language messages are written in (the designer's interface, not the document). */
  language: Language;
  /** Fixes only make sense in the text being edited, not in a partial seen through its tag. */
  fixable: boolean;
  /** A public fragment (the PDF title): personal data must not appear. */
  public: boolean;
}

export function report(
  sink: Sink,
  code: string,
  severity: Severity,
  message: LocalizedText,
  begin: number,
  end: number,
  fix?: { title: LocalizedText; replacement: string; begin?: number; end?: number },
): void {
  const range = sink.range(begin, end);
  const lang = sink.language;
  const d: Diagnostic = { stage: 'analyze', code, severity, message: sink.prefix[lang] + message[lang], range };
  if (fix && sink.fixable) {
    const f: Fix = {
      title: fix.title[lang],
      range: fix.begin === undefined ? range : sink.range(fix.begin, fix.end ?? fix.begin),
      replacement: fix.replacement,
    };
    d.fixes = [f];
  }
  sink.diagnostics.push(d);
}

type Guards = ReadonlySet<string>;

/** " Did you mean "x"?" in both languages, or nothing. */
export function meant(guess: string | undefined): LocalizedText {
  return guess ? { en: ` Did you mean "${guess}"?`, fr: ` Vouliez-vous dire "${guess}" ?` } : { en: '', fr: '' };
}

/** The quick fix that puts the suggestion in place. */
export function replaceWith(guess: string, replacement = guess): { title: LocalizedText; replacement: string } {
  return { title: { en: `Replace with "${guess}"`, fr: `Remplacer par "${guess}"` }, replacement };
}

/** The same message built in each language. */
export function inBoth(say: (lang: Language) => string): LocalizedText {
  return { en: say('en'), fr: say('fr') };
}

/** The literal content of an identifier or quoted token (the key in `a.b` or `a["b"]`). */
function keyOf(tok: unknown): string | undefined {
  if (TypeGuards.isWordToken(tok)) return tok.content;
  if (TypeGuards.isQuotedToken(tok)) return tok.content;
  return undefined;
}

const SIZE: Ty = { type: { kind: 'integer' }, optional: false, personal: false };

/**
 * Infers the type of expressions and checks them against the scope and the filter table, reporting what it
 * finds to the sink. Pure over its inputs; one instance per analyzed text.
 */
export class Expressions {
  constructor(readonly sink: Sink) {}

  /** `a.b[0].c`, a literal, a range or a grouped filtered value. */
  token(tok: unknown, scope: Scope, guards: Guards): Ty {
    if (TypeGuards.isPropertyAccessToken(tok)) return this.access(tok, scope, guards);
    if (TypeGuards.isQuotedToken(tok)) return { type: { kind: 'string' }, optional: false, personal: false, literal: tok.content };
    if (TypeGuards.isNumberToken(tok)) {
      return {
        type: { kind: Number.isInteger(tok.content) ? 'integer' : 'number' },
        optional: false,
        personal: false,
        literal: tok.content,
      };
    }
    if (TypeGuards.isLiteralToken(tok)) {
      if (tok.literal === 'true' || tok.literal === 'false') return { type: { kind: 'boolean' }, optional: false, personal: false };
      return { optional: true, personal: false, nil: true };
    }
    if (TypeGuards.isRangeToken(tok)) {
      for (const end of [tok.lhs, tok.rhs]) {
        const t = this.token(end, scope, guards);
        if (t.type && inputClass(t.type) !== 'number') {
          report(
            this.sink,
            'FILTER_TYPE_MISMATCH',
            'error',
            inBoth((l) =>
              l === 'en'
                ? `A range needs numbers, but ${end.getText()} is ${describeType(t.type!, l)}.`
                : `Un intervalle demande des nombres, mais ${end.getText()} est ${describeType(t.type!, l)}.`,
            ),
            end.begin,
            end.end,
          );
        }
      }
      return { type: { kind: 'list', of: { kind: 'integer' } }, optional: false, personal: false };
    }
    if (TypeGuards.isFilteredValueToken(tok)) {
      const initial = this.expression(tok.initial, scope, guards);
      return this.filters(
        initial,
        tok.filters.map((f) => ({ name: f.name, args: f.args, begin: f.begin, end: f.end })),
        scope,
        guards,
      );
    }
    return UNKNOWN;
  }

  /** An expression with operators: comparisons and `and`/`or` give booleans; a lone operand its own type. */
  expression(expr: Expression, scope: Scope, guards: Guards): Ty {
    const stack: Ty[] = [];
    for (const tok of expr.postfix) {
      if (TypeGuards.isOperatorToken(tok)) {
        if (tok.operator !== 'not') stack.pop();
        stack.pop();
        stack.push({ type: { kind: 'boolean' }, optional: false, personal: false });
      } else {
        stack.push(this.token(tok, scope, guards));
      }
    }
    return stack.length === 1 ? stack[0]! : UNKNOWN;
  }

  /** A `Value` (output, assign, if): its expression, then its filter chain. */
  value(value: { initial: Expression; filters: readonly unknown[] }, scope: Scope, guards: Guards): Ty {
    const initial = this.expression(value.initial, scope, guards);
    return this.filters(initial, value.filters.map(filterUse), scope, guards);
  }

  private access(tok: Extract<ValueToken, { props: unknown }>, scope: Scope, guards: Guards): Ty {
    let ty: Ty;
    let path: string | undefined;
    let i = 0;
    if (tok.variable) {
      ty = this.token(tok.variable, scope, guards);
    } else {
      const root = tok.props[0];
      const name = keyOf(root);
      if (!root || name === undefined) return UNKNOWN;
      i = 1;
      const binding = scope.lookup(name);
      if (!binding) {
        const names = [...scope.all().keys()];
        const guess = didYouMean(name, names);
        const m = meant(guess);
        report(
          this.sink,
          'UNKNOWN_VARIABLE',
          'error',
          { en: `Unknown variable "${name}".${m.en}`, fr: `Variable inconnue "${name}".${m.fr}` },
          root.begin,
          root.end,
          guess ? replaceWith(guess) : undefined,
        );
        return UNKNOWN;
      }
      ty = { ...binding.ty, path: name };
      path = name;
      if (guards.has(name)) ty.optional = false;
    }
    for (; i < tok.props.length; i++) {
      const prop = tok.props[i]!;
      const key = keyOf(prop);
      let next: Ty | undefined;
      let step: string | undefined;
      if (key !== undefined) {
        next = this.property(ty, key, prop, tok.getText());
        step = `.${key}`;
      } else if (TypeGuards.isNumberToken(prop)) {
        next =
          ty.type?.kind === 'list' ? { type: ty.type.of, optional: true, personal: ty.personal } : { ...UNKNOWN, personal: ty.personal };
        step = `[${prop.content}]`;
      } else {
        const k = this.token(prop, scope, guards);
        const t = ty.type;
        next =
          t?.kind === 'list' || t?.kind === 'map'
            ? { type: t.of, optional: true, personal: ty.personal || k.personal }
            : { ...UNKNOWN, personal: ty.personal };
      }
      if (!next) return { ...UNKNOWN, personal: ty.personal };
      ty = next;
      path = path !== undefined && step !== undefined ? path + step : undefined;
      if (path !== undefined) {
        ty.path = path;
        if (guards.has(path)) ty.optional = false;
      } else delete ty.path;
    }
    if (this.sink.public && ty.personal) {
      report(
        this.sink,
        'PERSONAL_DATA_IN_PUBLIC',
        'error',
        {
          en: `${tok.getText()} is personal data and this field is public (anyone holding the PDF reads it): leave it out.`,
          fr: `${tok.getText()} est une donnée personnelle et ce champ est public (quiconque a le PDF le lit) : retirez-la.`,
        },
        tok.begin,
        tok.end,
      );
    }
    return ty;
  }

  /** One `.key` step. Returns undefined after reporting an unknown property. */
  private property(ty: Ty, key: string, prop: Token, whole: string): Ty | undefined {
    const t = ty.type;
    if (!t) return { ...UNKNOWN, personal: ty.personal };
    const unknown = (message: LocalizedText, candidates: string[]): undefined => {
      const guess = didYouMean(key, candidates);
      const m = meant(guess);
      report(
        this.sink,
        'UNKNOWN_PROPERTY',
        'error',
        { en: message.en + m.en, fr: message.fr + m.fr },
        prop.begin,
        prop.end,
        guess && TypeGuards.isWordToken(prop) ? replaceWith(guess) : undefined,
      );
      return undefined;
    };
    const owner = ownerName(whole, key);
    switch (t.kind) {
      case 'object': {
        const field = Object.hasOwn(t.fields, key) ? t.fields[key] : undefined;
        if (!field)
          return unknown(
            { en: `"${key}" is not a property of ${owner}.`, fr: `"${key}" n’est pas une propriété de ${owner}.` },
            Object.keys(t.fields),
          );
        return { type: field.type, optional: ty.optional || !field.required, personal: ty.personal || !!field.personal };
      }
      case 'map':
        return { type: t.of, optional: true, personal: ty.personal };
      case 'list':
        if (key === 'size') return SIZE;
        if (key === 'first' || key === 'last') return { type: t.of, optional: true, personal: ty.personal };
        return unknown(
          {
            en: `${owner} is a list: it has no property "${key}" (loop over it with {% for %}, or use first, last, size).`,
            fr: `${owner} est une liste : elle n’a pas de propriété "${key}" (parcourez-la avec {% for %}, ou utilisez first, last, size).`,
          },
          ['size', 'first', 'last'],
        );
      default:
        if (inputClass(t) === 'string' && key === 'size') return SIZE;
        return unknown(
          inBoth((l) =>
            l === 'en'
              ? `${owner} is ${describeType(t, l)}: it has no property "${key}".`
              : `${owner} est ${describeType(t, l)} : il n’a pas de propriété "${key}".`,
          ),
          inputClass(t) === 'string' ? ['size'] : [],
        );
    }
  }

  /** Applies a filter chain: each filter's input and arguments are checked, its output computed. */
  filters(input: Ty, uses: readonly FilterUse[], scope: Scope, guards: Guards): Ty {
    let ty = input;
    for (const use of uses) ty = this.filter(ty, use, scope, guards);
    return ty;
  }

  private filter(input: Ty, use: FilterUse, scope: Scope, guards: Guards): Ty {
    const nameEnd = use.begin + use.name.length;
    const args: { ty: Ty; tok: Token }[] = [];
    let named = false;
    for (const a of use.args) {
      if (Array.isArray(a)) {
        named = true;
        if (a[1]) this.token(a[1], scope, guards);
      } else if (a && typeof a === 'object') {
        args.push({ ty: this.token(a, scope, guards), tok: a as Token });
      }
    }
    const sig: FilterSignature | undefined = Object.hasOwn(filterSignatures, use.name) ? filterSignatures[use.name] : undefined;
    const personal = input.personal || args.some((a) => a.ty.personal);
    if (!sig) {
      const guess = didYouMean(use.name, Object.keys(filterSignatures));
      const m = meant(guess);
      report(
        this.sink,
        'FILTER_UNKNOWN',
        'error',
        { en: `Unknown filter "${use.name}".${m.en}`, fr: `Filtre inconnu "${use.name}".${m.fr}` },
        use.begin,
        nameEnd,
        guess ? replaceWith(guess) : undefined,
      );
      return { optional: input.optional, personal };
    }
    if (input.type && !input.nil && !sig.input.includes('any')) {
      const cls = inputClass(input.type);
      if (!sig.input.includes(cls)) {
        const type = input.type;
        const dateHint = (cls === 'date' || cls === 'datetime') && sig.input.includes('string');
        report(
          this.sink,
          'FILTER_TYPE_MISMATCH',
          'error',
          inBoth((l) =>
            l === 'en'
              ? `"${use.name}" works on ${orList(
                  sig.input.map((c) => describeClass(c, l)),
                  l,
                )}, but ${input.path ?? 'the value'} is ${describeType(type, l)}.${dateHint ? ' Format it first, e.g. | date: "long".' : ''}`
              : `"${use.name}" s’applique à ${orList(
                  sig.input.map((c) => describeClass(c, l)),
                  l,
                )}, mais ${input.path ?? 'la valeur'} est ${describeType(type, l)}.${dateHint ? ' Formatez-la d’abord, par exemple | date: "long".' : ''}`,
          ),
          use.begin,
          nameEnd,
        );
      }
    }
    this.checkArguments(use, sig, args, named, input);
    return this.output(input, sig, use, args, personal);
  }

  private checkArguments(use: FilterUse, sig: FilterSignature, args: { ty: Ty; tok: Token }[], named: boolean, input: Ty): void {
    const required = sig.args.filter((a) => !a.optional).length;
    const nameEnd = use.begin + use.name.length;
    const expects = (l: Language): string =>
      sig.args.length === 0
        ? l === 'en'
          ? 'no argument'
          : 'aucun argument'
        : `${sig.args.map((a) => (a.optional ? `[${a.name}]` : a.name)).join(', ')}`;
    if (named)
      report(
        this.sink,
        'FILTER_ARGUMENT',
        'error',
        {
          en: `"${use.name}" takes no named arguments; it takes ${expects('en')}.`,
          fr: `"${use.name}" ne prend pas d’argument nommé ; il prend ${expects('fr')}.`,
        },
        use.begin,
        use.end,
      );
    if (args.length < required || args.length > sig.args.length) {
      const n = args.length;
      report(
        this.sink,
        'FILTER_ARGUMENT',
        'error',
        {
          en: `"${use.name}" takes ${expects('en')}, but ${n === 0 ? 'none was' : `${n} ${n === 1 ? 'was' : 'were'}`} given.`,
          fr: `"${use.name}" prend ${expects('fr')}, mais ${n === 0 ? 'aucun n’a été donné' : `${n} ${n === 1 ? 'a été donné' : 'ont été donnés'}`}.`,
        },
        use.begin,
        args.length > 0 ? use.end : nameEnd,
      );
    }
    sig.args.forEach((spec, i) => {
      const a = args[i];
      if (!a) return;
      if (a.ty.type && !a.ty.nil && spec.type !== 'any') {
        const cls = inputClass(a.ty.type);
        const ok = cls === spec.type || (spec.type === 'string' && cls === 'number');
        const type = a.ty.type;
        if (!ok)
          report(
            this.sink,
            'FILTER_ARGUMENT',
            'error',
            inBoth((l) =>
              l === 'en'
                ? `The ${spec.name} of "${use.name}" must be ${describeClass(spec.type, l)}, but ${a.tok.getText()} is ${describeType(type, l)}.`
                : `L’argument ${spec.name} de "${use.name}" doit être ${describeClass(spec.type, l)}, mais ${a.tok.getText()} est ${describeType(type, l)}.`,
            ),
            a.tok.begin,
            a.tok.end,
          );
      }
      if (spec.dateFormat && typeof a.ty.literal === 'string') {
        const problem = dateFormatProblem(a.ty.literal);
        if (problem)
          report(
            this.sink,
            'DATE_FORMAT_UNKNOWN',
            'error',
            dateFormatMessage(a.ty.literal, problem),
            a.tok.begin,
            a.tok.end,
            problem.suggestion ? replaceWith(problem.suggestion, JSON.stringify(problem.suggestion)) : undefined,
          );
      }
      if (spec.closed && spec.suggestions && typeof a.ty.literal === 'string' && !spec.suggestions.includes(a.ty.literal)) {
        const guess = didYouMean(a.ty.literal, spec.suggestions);
        const m = meant(guess);
        const values = spec.suggestions.map((s) => `"${s}"`).join(', ');
        report(
          this.sink,
          'FILTER_ARGUMENT',
          'error',
          {
            en: `The ${spec.name} of "${use.name}" is one of ${values}.${m.en}`,
            fr: `L’argument ${spec.name} de "${use.name}" est l’un de ${values}.${m.fr}`,
          },
          a.tok.begin,
          a.tok.end,
          guess ? replaceWith(guess, JSON.stringify(guess)) : undefined,
        );
      }
      // A property named by a list filter (map: "name", sort: "date") must exist on the items.
      if (spec.name === 'property' && typeof a.ty.literal === 'string' && input.type?.kind === 'list' && input.type.of.kind === 'object') {
        const fields = input.type.of.fields;
        if (!Object.hasOwn(fields, a.ty.literal)) {
          const guess = didYouMean(a.ty.literal, Object.keys(fields));
          const m = meant(guess);
          report(
            this.sink,
            'UNKNOWN_PROPERTY',
            'error',
            {
              en: `The items of ${input.path ?? 'this list'} have no property "${a.ty.literal}".${m.en}`,
              fr: `Les éléments de ${input.path ?? 'cette liste'} n’ont pas de propriété "${a.ty.literal}".${m.fr}`,
            },
            a.tok.begin,
            a.tok.end,
            guess ? replaceWith(guess, JSON.stringify(guess)) : undefined,
          );
        }
      }
    });
  }

  private output(input: Ty, sig: FilterSignature, use: FilterUse, args: { ty: Ty; tok: Token }[], personal: boolean): Ty {
    const optional = use.name === 'default' ? (args[0]?.ty.optional ?? false) : sig.nonNil ? false : input.optional;
    const r = sig.returns;
    let type: VarType | undefined;
    if (r === 'same') type = input.type ?? (use.name === 'default' ? args[0]?.ty.type : undefined);
    else if (r === 'item')
      type = input.type?.kind === 'list' ? input.type.of : input.type && inputClass(input.type) === 'string' ? input.type : undefined;
    else if (r === 'property-list') {
      const key = args[0]?.ty.literal;
      const item = input.type?.kind === 'list' ? input.type.of : undefined;
      const field = item?.kind === 'object' && typeof key === 'string' && Object.hasOwn(item.fields, key) ? item.fields[key] : undefined;
      type = field ? { kind: 'list', of: field.type } : undefined;
    } else if (r !== 'unknown') type = r;
    const out: Ty = { optional, personal };
    if (type) out.type = type;
    // The first or last item of a list may be missing: the list may be empty.
    if (r === 'item') out.optional = true;
    return out;
  }
}

function ownerName(whole: string, key: string): string {
  const at = whole.lastIndexOf(key);
  const owner = (at > 0 ? whole.slice(0, at) : whole).replace(/[.[\]"']+$/, '');
  return owner || 'this value';
}

/** A `Filter` of a `Value`: its name and arguments are public, its position only in the private `token`
 *  (liquidjs has no public way to place a filter, and a diagnostic must point at it). */
function filterUse(f: unknown): FilterUse {
  const filter = f as { name: string; args: unknown[]; token?: { begin: number; end: number } };
  return { name: filter.name, args: filter.args, begin: filter.token?.begin ?? 0, end: filter.token?.end ?? 0 };
}

function orList(items: string[], lang: Language): string {
  const or = lang === 'fr' ? 'ou' : 'or';
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${or} ${items[items.length - 1]}`;
}
