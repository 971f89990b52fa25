import {
  AssignTag,
  CaptureTag,
  CaseTag,
  DecrementTag,
  EchoTag,
  ForTag,
  IfTag,
  IncludeTag,
  IncrementTag,
  Output,
  RenderTag,
  TablerowTag,
  Tag,
  toValueSync,
  TypeGuards,
  UnlessTag,
  Value,
  type Arguments,
  type Expression,
  type Template,
  type Token,
} from 'liquidjs';
import { didYouMean } from '../suggest';
import type { Schema } from '../types';
import { formatDate } from '../filters/dates';
import { languageName } from '../filters/text';
import { Expressions, inBoth, meant, report, type Sink } from './expressions';
import { parseLiquid } from './parse';
import { FORLOOP, Scope, TABLEROWLOOP, UNKNOWN, describeType, type Ty } from './scope';

/** The name typeAt plants at the cursor: when the walk meets it, it records the scope there. */
export const PROBE = '__attest_cursor__';

export interface Probe {
  scope?: Scope;
  guards?: ReadonlySet<string>;
}

export interface WalkContext {
  schema: Schema;
  partials: Readonly<Record<string, string>>;
  /** Partials being walked, to stop `{% include "a" %}` inside "a". */
  stack: readonly string[];
  probe?: Probe;
  /** The document's language, when the template names one: a date printed raw reads as ISO there. */
  locale?: string;
}

type Guards = ReadonlySet<string>;
type Argument = Arguments extends Iterable<infer A> ? A : never;
type ValueLike = { initial: Expression; filters: readonly unknown[] };

/** The private fields of include and render that partial() reads (see there why). */
interface PartialFields {
  hash?: { hash: Record<string, Token | undefined> };
  withVar?: Token;
  with?: { value: Token; alias?: string };
  forBinding?: { value: Token; alias?: string };
}

/** What a condition tells about data: which paths are present when it holds, and when it does not. */
interface Facts {
  ty: Ty;
  whenTrue: string[];
  whenFalse: string[];
}

/**
 * Walks a parsed template in document order with the scope Liquid would have at each point, checking every
 * expression and tracking which optional values an enclosing `if` has made safe to print.
 */
export class Walker {
  private readonly exprs: Expressions;
  constructor(
    private readonly sink: Sink,
    private readonly ctx: WalkContext,
  ) {
    this.exprs = new Expressions(sink);
  }

  walk(templates: readonly Template[], scope: Scope, guards: Guards): void {
    for (const tpl of templates) this.template(tpl, scope, guards);
  }

  /**
   * One template node, read through liquidjs's public API: the exported tag classes and their public fields,
   * and the static-analysis methods every template has (`arguments()`, `localScope()`, `children()`,
   * `partialScope()`, which `liquid.analyze()` is built on). `analyze()` itself only lists variable paths;
   * the walk needs more (types flowing through filters, which branch an `if` guards), so it goes node by node.
   */
  private template(tpl: Template, scope: Scope, guards: Guards): void {
    if (tpl instanceof Output) return this.print(tpl.value, scope, guards);
    if (!(tpl instanceof Tag)) return; // HTML
    if (tpl instanceof EchoTag) {
      for (const value of tpl.arguments()) if (value instanceof Value) this.print(value, scope, guards);
      return;
    }
    if (tpl instanceof AssignTag) {
      const [value] = [...tpl.arguments()];
      const ty = value instanceof Value ? this.exprs.value(value, scope, guards) : UNKNOWN;
      for (const { content: key } of tpl.localScope()) scope.bottom().set(key, { ty: { ...ty, path: key }, origin: 'local' });
      return;
    }
    if (tpl instanceof CaptureTag) {
      this.walk(tpl.templates, scope, guards);
      scope
        .bottom()
        .set(tpl.variable, { ty: { type: { kind: 'string' }, optional: false, personal: false, path: tpl.variable }, origin: 'local' });
      return;
    }
    if (tpl instanceof IncrementTag || tpl instanceof DecrementTag) {
      for (const name of tpl.localScope()) {
        scope.bottom().set(typeof name === 'string' ? name : name.content, {
          ty: { type: { kind: 'integer' }, optional: false, personal: false },
          origin: 'local',
        });
      }
      return;
    }
    if (tpl instanceof ForTag)
      return this.loop('for', tpl.collection, Object.values(tpl.hash.hash), tpl.variable, tpl.templates, tpl.elseTemplates, scope, guards);
    if (tpl instanceof TablerowTag)
      return this.loop('tablerow', tpl.collection, Object.values(tpl.args.hash), tpl.variable, tpl.templates, undefined, scope, guards);
    if (tpl instanceof IfTag || tpl instanceof UnlessTag)
      return this.conditional(tpl instanceof UnlessTag, tpl.branches, tpl.elseTemplates, scope, guards);
    if (tpl instanceof CaseTag) return this.caseTag(tpl, scope, guards);
    if (tpl instanceof IncludeTag || tpl instanceof RenderTag) return this.partial(tpl, scope, guards);
    // cycle, liquid, raw, comments, break, continue and anything else: check what they evaluate, name what
    // they assign, walk what they contain (partials are walked by partial(), with their own scope).
    const node: Template = tpl;
    for (const a of node.arguments?.() ?? []) this.argument(a, scope, guards);
    for (const name of node.localScope?.() ?? [])
      scope.bottom().set(name.content, { ty: { ...UNKNOWN, path: name.content }, origin: 'local' });
    if (node.children) this.walk(toValueSync(node.children(false, true)), scope, guards);
  }

  private argument(a: Argument, scope: Scope, guards: Guards): Ty {
    return a instanceof Value ? this.exprs.value(a, scope, guards) : this.exprs.token(a, scope, guards);
  }

  /** `{{ … }}` and `{% echo %}`: an optional value printed bare prints nothing on some documents. */
  private print(value: ValueLike, scope: Scope, guards: Guards): void {
    const first = value.initial.postfix[0];
    if (this.ctx.probe && value.initial.postfix.length === 1 && TypeGuards.isPropertyAccessToken(first)) {
      const root = first.props[0];
      if (!first.variable && TypeGuards.isWordToken(root) && root.content === PROBE) {
        this.ctx.probe.scope = scope;
        this.ctx.probe.guards = guards;
        return;
      }
    }
    const ty = this.exprs.value(value, scope, guards);
    if (!first) return;
    // Where the last filter ends is only in its private token (see filterUse in expressions.ts).
    const last = value.filters.length > 0 ? (value.filters[value.filters.length - 1] as { token?: { end: number } }).token : undefined;
    const lastOperand = value.initial.postfix[value.initial.postfix.length - 1]!;
    const end = Math.max(last?.end ?? 0, ...value.initial.postfix.map((t) => t.end), lastOperand.end);
    const begin = Math.min(...value.initial.postfix.map((t) => t.begin));
    const what = first.getText();
    const kind = ty.type?.kind;
    if ((kind === 'date' || kind === 'datetime') && !ty.nil && this.ctx.locale !== undefined && !writesIsoDates(this.ctx.locale)) {
      const filter = `| ${kind}: "long"`;
      const language = (l: 'en' | 'fr'): string => String(languageName(this.ctx.locale, l));
      report(
        this.sink,
        'DATE_PRINTED_RAW',
        'warning',
        {
          en: `${what} is ${kind === 'date' ? 'a date' : 'a date and time'} printed as the data holds it (2026-03-01), which is not how dates are written in ${language('en')}: format it with ${filter}.`,
          fr: `${what} est ${kind === 'date' ? 'une date' : 'une date et heure'} imprimée telle que la donnée la contient (2026-03-01), ce qui n’est pas l’écriture des dates en ${language('fr')} : formatez-la avec ${filter}.`,
        },
        begin,
        end,
        { title: { en: `Add ${filter}`, fr: `Ajouter ${filter}` }, replacement: ` ${filter}`, begin: end, end },
      );
    }
    if (ty.optional && !ty.nil) {
      report(
        this.sink,
        'OPTIONAL_WITHOUT_DEFAULT',
        'warning',
        {
          en: `${what} is optional and may be missing: print it with | default: "…" or inside {% if ${ty.path ?? what} %}.`,
          fr: `${what} est facultatif et peut manquer : imprimez-le avec | default: "…" ou dans {% if ${ty.path ?? what} %}.`,
        },
        begin,
        end,
        { title: { en: 'Add | default: ""', fr: 'Ajouter | default: ""' }, replacement: ' | default: ""', begin: end, end },
      );
    }
  }

  private loop(
    name: 'for' | 'tablerow',
    collection: Token,
    modifiers: readonly (Token | undefined)[],
    variable: string,
    templates: readonly Template[],
    elseTemplates: readonly Template[] | undefined,
    scope: Scope,
    guards: Guards,
  ): void {
    const ty = this.exprs.token(collection, scope, guards);
    for (const v of modifiers) if (v) this.exprs.token(v, scope, guards);
    let item: Ty = { ...UNKNOWN, personal: ty.personal };
    if (ty.type?.kind === 'list') item = { type: ty.type.of, optional: false, personal: ty.personal };
    else if (ty.type && !ty.nil) {
      report(
        this.sink,
        'LOOP_NOT_LIST',
        'error',
        inBoth((l) =>
          l === 'en'
            ? `${collection.getText()} is ${describeType(ty.type!, l)}, not a list: {% ${name} %} loops over lists only.`
            : `${collection.getText()} est ${describeType(ty.type!, l)}, pas une liste : {% ${name} %} ne parcourt que des listes.`,
        ),
        collection.begin,
        collection.end,
      );
    }
    const inner = new Scope(scope, undefined, false);
    inner.set(variable, { ty: { ...item, path: variable }, origin: 'loop' });
    const loopName = name === 'for' ? 'forloop' : 'tablerowloop';
    inner.set(loopName, {
      ty: { type: loopName === 'forloop' ? FORLOOP : TABLEROWLOOP, optional: false, personal: false },
      origin: 'loop',
    });
    this.walk(templates, inner, guards);
    // `children()` would give the else branch too, but it runs in the outer scope, without the loop variable.
    if (elseTemplates) this.walk(elseTemplates, scope, guards);
  }

  /** Branches as the tag's public fields hold them: `arguments()` and `children()` would lose which
   *  condition guards which templates. */
  private conditional(
    unless: boolean,
    branches: readonly { value: Value; templates: Template[] }[],
    elseTemplates: readonly Template[] | undefined,
    scope: Scope,
    guards: Guards,
  ): void {
    let elseGuards = guards;
    branches.forEach((branch, i) => {
      const facts = this.condition(branch.value, scope, guards);
      // unless runs its body when the condition is false; its elsif branches are ordinary ifs.
      const negated = unless && i === 0;
      this.walk(branch.templates, scope, withPaths(guards, negated ? facts.whenFalse : facts.whenTrue));
      if (branches.length === 1) elseGuards = withPaths(guards, negated ? facts.whenTrue : facts.whenFalse);
    });
    if (elseTemplates) this.walk(elseTemplates, scope, elseGuards);
  }

  private caseTag(tag: InstanceType<typeof CaseTag>, scope: Scope, guards: Guards): void {
    const subject = this.exprs.value(tag.value, scope, guards);
    for (const branch of tag.branches) {
      let literal = true;
      for (const v of branch.values) {
        const ty = this.exprs.token(v, scope, guards);
        if (ty.nil || ty.literal === undefined) literal = false;
      }
      // `when "x"` only matches a present subject.
      this.walk(branch.templates, scope, literal && subject.path ? withPaths(guards, [subject.path]) : guards);
    }
    if (tag.elseTemplates) this.walk(tag.elseTemplates, scope, guards);
  }

  /** Checks a condition and works out which paths it proves present. */
  private condition(value: ValueLike, scope: Scope, guards: Guards): Facts {
    const stack: Facts[] = [];
    for (const tok of value.initial.postfix) {
      if (!TypeGuards.isOperatorToken(tok)) {
        const ty = this.exprs.token(tok, scope, guards);
        stack.push({ ty, whenTrue: ty.path ? [ty.path] : [], whenFalse: [] });
        continue;
      }
      const right = stack.pop();
      if (tok.operator === 'not') {
        stack.push(right ? { ty: BOOL, whenTrue: right.whenFalse, whenFalse: right.whenTrue } : { ty: BOOL, whenTrue: [], whenFalse: [] });
        continue;
      }
      const left = stack.pop();
      if (!left || !right) {
        stack.push({ ty: BOOL, whenTrue: [], whenFalse: [] });
        continue;
      }
      stack.push(combine(tok.operator, left, right));
    }
    const facts = stack.length === 1 ? stack[0]! : { ty: UNKNOWN, whenTrue: [], whenFalse: [] };
    if (value.filters.length > 0) return { ty: this.exprs.value(value, scope, guards), whenTrue: [], whenFalse: [] };
    return facts;
  }

  /**
   * `partialScope()` (public) says which partial a tag names and whether it sees the caller's scope. The
   * values its names take, and whether `render … for` makes one a loop item, are only in the tags' private
   * fields (`hash`, `with`, `withVar`, `forBinding`): `partialScope()` lists the names without saying
   * which value goes with which, and types need that.
   */
  private partial(tpl: InstanceType<typeof IncludeTag> | InstanceType<typeof RenderTag>, scope: Scope, guards: Guards): void {
    const kind = tpl instanceof RenderTag ? 'render' : 'include';
    const tag = tpl as unknown as PartialFields;
    const hash = tag.hash?.hash ?? {};
    const args = new Map<string, Ty>();
    for (const [name, v] of Object.entries(hash)) {
      args.set(
        name,
        v ? { ...this.exprs.token(v, scope, guards), path: name } : { type: { kind: 'boolean' }, optional: false, personal: false },
      );
    }
    const partialScope = tpl.partialScope();
    // With static partial names liquidjs may keep the quotes: `"signature"`; the engine's loader strips them.
    const name = partialScope
      ? partialScope.name
          .replace(/^(["'])(.*)\1$/, '$2')
          .replace(/^\/+/, '')
          .replace(/\.liquid$/, '')
      : undefined;
    let withBinding: { value: Token; alias?: string } | undefined;
    let forBinding: { value: Token; alias?: string } | undefined;
    if (kind === 'include' && tag.withVar) withBinding = { value: tag.withVar };
    if (kind === 'render') {
      withBinding = tag.with;
      forBinding = tag.forBinding;
    }
    const withTy = withBinding ? this.exprs.token(withBinding.value, scope, guards) : undefined;
    const forTy = forBinding ? this.exprs.token(forBinding.value, scope, guards) : undefined;
    if (forBinding && forTy?.type && forTy.type.kind !== 'list' && !forTy.nil) {
      report(
        this.sink,
        'LOOP_NOT_LIST',
        'error',
        inBoth((l) =>
          l === 'en'
            ? `${forBinding.value.getText()} is ${describeType(forTy.type!, l)}, not a list: render … for loops over lists only.`
            : `${forBinding.value.getText()} est ${describeType(forTy.type!, l)}, pas une liste : render … for ne parcourt que des listes.`,
        ),
        forBinding.value.begin,
        forBinding.value.end,
      );
    }
    if (name === undefined) return; // a file name built from data: nothing to check statically.
    if (!Object.hasOwn(this.ctx.partials, name)) {
      const m = meant(didYouMean(name, Object.keys(this.ctx.partials)));
      report(
        this.sink,
        'PARTIAL_UNKNOWN',
        'error',
        { en: `No partial named "${name}".${m.en}`, fr: `Aucun partiel nommé "${name}".${m.fr}` },
        tpl.token.begin,
        tpl.token.end,
      );
      return;
    }
    if (this.ctx.stack.includes(name)) return;
    const parsed = parseLiquid(this.ctx.partials[name]!);
    const outer = this.sink;
    const at = outer.range(tpl.token.begin, tpl.token.end);
    const sink: Sink = {
      diagnostics: outer.diagnostics,
      range: () => at,
      prefix: { en: `${outer.prefix.en}In partial "${name}": `, fr: `${outer.prefix.fr}Dans le partiel "${name}" : ` },
      fixable: false,
      public: outer.public,
      language: outer.language,
    };
    if (!parsed.templates) {
      for (const p of parsed.problems) report(sink, p.code, 'error', p.message, 0, 0);
      return;
    }
    // include shares the caller's scope; render sees only what it is given.
    const inner = partialScope && !partialScope.isolated ? new Scope(scope, undefined, false) : new Scope(undefined, undefined, true);
    for (const [n, ty] of args) inner.set(n, { ty, origin: 'argument' });
    if (withBinding && withTy)
      inner.set(withBinding.alias ?? name, { ty: { ...withTy, path: withBinding.alias ?? name }, origin: 'argument' });
    if (forBinding && forTy) {
      const alias = forBinding.alias ?? name;
      const item: Ty =
        forTy.type?.kind === 'list'
          ? { type: forTy.type.of, optional: false, personal: forTy.personal }
          : { ...UNKNOWN, personal: forTy.personal };
      inner.set(alias, { ty: { ...item, path: alias }, origin: 'loop' });
      inner.set('forloop', { ty: { type: FORLOOP, optional: false, personal: false }, origin: 'loop' });
    }
    const walker = new Walker(sink, { ...this.ctx, stack: [...this.ctx.stack, name], probe: undefined });
    walker.walk(parsed.templates, inner, partialScope && !partialScope.isolated ? guards : new Set());
  }
}

const BOOL: Ty = { type: { kind: 'boolean' }, optional: false, personal: false };

const isoByLocale = new Map<string, boolean>();

/** Whether a locale writes dates as the data holds them (Swedish and Lithuanian write 2026-03-01). */
function writesIsoDates(locale: string): boolean {
  let iso = isoByLocale.get(locale);
  if (iso === undefined) {
    iso = formatDate('2026-03-01', locale, 'short') === '2026-03-01';
    isoByLocale.set(locale, iso);
  }
  return iso;
}

function isNilish(f: Facts): boolean {
  return !!f.ty.nil || f.ty.literal === '';
}

function combine(op: string, left: Facts, right: Facts): Facts {
  switch (op) {
    case 'and':
      return { ty: BOOL, whenTrue: [...left.whenTrue, ...right.whenTrue], whenFalse: intersect(left.whenFalse, right.whenFalse) };
    case 'or':
      return { ty: BOOL, whenTrue: intersect(left.whenTrue, right.whenTrue), whenFalse: [...left.whenFalse, ...right.whenFalse] };
    case '==':
      if (isNilish(right)) return { ty: BOOL, whenTrue: [], whenFalse: left.whenTrue };
      if (isNilish(left)) return { ty: BOOL, whenTrue: [], whenFalse: right.whenTrue };
      return {
        ty: BOOL,
        whenTrue: [...(right.ty.literal !== undefined ? left.whenTrue : []), ...(left.ty.literal !== undefined ? right.whenTrue : [])],
        whenFalse: [],
      };
    case '!=':
      if (isNilish(right)) return { ty: BOOL, whenTrue: left.whenTrue, whenFalse: [] };
      if (isNilish(left)) return { ty: BOOL, whenTrue: right.whenTrue, whenFalse: [] };
      return { ty: BOOL, whenTrue: [], whenFalse: [] };
    case 'contains':
      return { ty: BOOL, whenTrue: left.whenTrue, whenFalse: [] };
    default:
      // <, >, <=, >=: nil compares false with everything.
      return { ty: BOOL, whenTrue: [...left.whenTrue, ...right.whenTrue], whenFalse: [] };
  }
}

function intersect(a: string[], b: string[]): string[] {
  return a.filter((x) => b.includes(x));
}

/** A present `a.b[0].c` means `a`, `a.b` and `a.b[0]` are present too. */
function withPaths(guards: Guards, paths: readonly string[]): Guards {
  if (paths.length === 0) return guards;
  const out = new Set(guards);
  for (const path of paths) {
    out.add(path);
    for (let i = 1; i < path.length; i++) if (path[i] === '.' || path[i] === '[') out.add(path.slice(0, i));
  }
  return out;
}
